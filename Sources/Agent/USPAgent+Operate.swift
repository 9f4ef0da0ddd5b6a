import DataModel
import USPMessages

extension USPAgent {
    /// Operate (TR-369 "The Operate Message"): sync commands answer with output args; async
    /// commands get a `Device.LocalAgent.Request.{i}.` and an OperationComplete notification.
    ///
    /// Called under the message lock, which is released while synchronous command handlers run
    /// (a handler may wait for a radio), and taken again to answer. Async handlers run in their
    /// own tasks and take the lock only to complete.
    func handleOperate(_ op: Usp_Operate, controller: String) async -> Result<Usp_OperateResp, USPError> {
        let resolution: Resolution
        let name: String
        do throws(USPError) {
            let expr = try PathExpression.parse(op.command)
            guard case .command(let n) = expr.leaf else {
                throw USPError(.invalidPath, "\(op.command) is not a command path (it must end with '()')")
            }
            name = n
            resolution = try await resolver.resolve(expr, store: store, lookup: self)
        } catch {
            return .failure(error)
        }
        var resp = Usp_OperateResp()
        var syncCalls: [(index: Int, handler: CommandHandler, invocation: CommandInvocation)] = []
        for obj in resolution.objects {
            var r = Usp_OperateResp.OperationResult()
            r.executedCommand = "\(obj.path)\(name)()"
            guard let cmd = schema[obj.supported]?.command(name) else { continue }
            guard policy.allows(.commandEvent, .execute, r.executedCommand) else {
                r.cmdFailure = .init(USPError(.permissionDenied, "controller may not run \(r.executedCommand)"))
                resp.operationResults.append(r)
                continue
            }
            // Inputs: R-OPR.5 mandatory ones must be present; R-OPR.6 unknown ones are ignored;
            // known ones are validated and canonicalised.
            var inputs: [String: String] = [:]
            var failure: USPError?
            for arg in cmd.inputs {
                if let v = op.inputArgs[arg.name] {
                    do throws(USPError) { inputs[arg.name] = try arg.syntax.canonicalValue(v) } catch {
                        failure = USPError(.invalidCommandArguments, "input argument \(arg.name): \(error.message)")
                        break
                    }
                } else if arg.mandatory {
                    failure = USPError(.invalidCommandArguments, "mandatory input argument \(arg.name) is missing")
                    break
                }
            }
            guard let handler = commands[obj.supported + name] else {
                failure = failure ?? USPError(.commandFailure, "\(obj.supported)\(name)() is not implemented by this agent")
                r.cmdFailure = .init(failure!)
                resp.operationResults.append(r)
                continue
            }
            if let failure {
                r.cmdFailure = .init(failure)
                resp.operationResults.append(r)
                continue
            }
            let invocation = CommandInvocation(objectPath: obj.path, supported: obj.supported, command: name,
                                               inputs: inputs, commandKey: op.commandKey, controller: controller)
            if cmd.isAsync {
                do throws(USPError) {
                    let requestPath = try createRequestObject(controller: controller, command: r.executedCommand, key: op.commandKey)
                    r.reqObjPath = requestPath
                    Task { [weak self] in
                        let result: Result<[String: String], USPError>
                        do throws(USPError) { result = .success(try await handler(invocation)) } catch { result = .failure(error) }
                        await self?.completeAsyncCommand(requestPath: requestPath, objectPath: obj.path, command: name,
                                                        commandKey: op.commandKey, result: result)
                    }
                } catch {
                    r.cmdFailure = .init(error)
                }
            } else {
                syncCalls.append((resp.operationResults.count, handler, invocation))
            }
            resp.operationResults.append(r)
        }
        if !syncCalls.isEmpty {
            let savedPolicy = releaseLockForWait()
            var outcomes: [(Int, Result<[String: String], USPError>)] = []
            for call in syncCalls {
                do throws(USPError) { outcomes.append((call.index, .success(try await call.handler(call.invocation)))) } catch {
                    outcomes.append((call.index, .failure(error)))
                }
            }
            await retakeLock(savedPolicy)
            for (i, outcome) in outcomes {
                switch outcome {
                case .success(let args):
                    var out = Usp_OperateResp.OperationResult.OutputArgs()
                    out.outputArgs = args
                    resp.operationResults[i].reqOutputArgs = out
                case .failure(let e):
                    resp.operationResults[i].cmdFailure = .init(e)
                }
            }
        }
        return .success(resp)
    }

    func createRequestObject(controller: String, command: String, key: String) throws(USPError) -> String {
        let table = "Device.LocalAgent.Request."
        guard schema[table + "{i}."] != nil else {
            throw USPError(.commandFailure, "this agent's data model has no Device.LocalAgent.Request table for async commands")
        }
        let values = ["Originator": controller, "Command": command, "CommandKey": key, "Status": "Active"]
        let n = try store.addInstance(table: table, values: values)
        let path = "\(table)\(n)."
        pendingChanges.append(.objectCreated(path: path, uniqueKeys: uniqueKeyValuesFromStore(path)))
        return path
    }

    /// Ends an async command: OperationComplete, then the Request object goes away (R-OPR.0).
    func completeAsyncCommand(requestPath: String, objectPath: String, command: String, commandKey: String,
                              result: Result<[String: String], USPError>) async {
        await acquire()
        defer { release() }
        pendingChanges.append(.operationComplete(objectPath: objectPath, command: command + "()",
                                                 commandKey: commandKey, result: result))
        deleteInstanceLocked(requestPath)
    }
}

extension Usp_OperateResp.OperationResult.CommandFailure {
    init(_ e: USPError) {
        self.init()
        errCode = e.code.rawValue
        errMsg = e.message
    }
}
