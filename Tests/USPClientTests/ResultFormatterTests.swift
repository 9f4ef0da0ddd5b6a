import Testing
import USPClient
import USPMessages

/// `USPResultFormatter` on hand-built responses: exact text tables and JSON.
@Suite struct ResultFormatterTests {
    static func getResponse() -> Usp_Response.OneOf_RespType {
        var things = Usp_GetResp.RequestedPathResult()
        things.requestedPath = "Device.Thing.*."
        var t2 = Usp_GetResp.ResolvedPathResult()
        t2.resolvedPath = "Device.Thing.2."
        t2.resultParams = ["Name": "plug", "Level": "10"]
        var t1 = Usp_GetResp.ResolvedPathResult()
        t1.resolvedPath = "Device.Thing.1."
        t1.resultParams = ["Name": "lamp", "Level": "0"]
        things.resolvedPathResults = [t2, t1]
        var bad = Usp_GetResp.RequestedPathResult()
        bad.requestedPath = "Device.Foo."
        bad.errCode = 7026
        bad.errMsg = "invalid path"
        var r = Usp_GetResp()
        r.reqPathResults = [things, bad]
        return .getResp(r)
    }

    @Test func getAsTextTable() {
        #expect(USPResultFormatter.render(Self.getResponse(), as: .text) == """
            Device.Thing.1.Level | 0
            Device.Thing.1.Name  | lamp
            Device.Thing.2.Level | 10
            Device.Thing.2.Name  | plug
            ERROR 7026 Device.Foo.: invalid path
            """)
        #expect(USPResultFormatter.failures(of: Self.getResponse()) == [USPFailure(code: 7026, path: "Device.Foo.", message: "invalid path")])
    }

    @Test func getAsJSON() {
        #expect(USPResultFormatter.render(Self.getResponse(), as: .json) == """
            {
              "errors": [
                {
                  "code": 7026,
                  "message": "invalid path",
                  "path": "Device.Foo."
                }
              ],
              "parameters": {
                "Device.Thing.1.Level": "0",
                "Device.Thing.1.Name": "lamp",
                "Device.Thing.2.Level": "10",
                "Device.Thing.2.Name": "plug"
              }
            }
            """)
    }

    @Test func emptyGetHasNoRowsAndEmptyJSONLists() {
        let empty = Usp_Response.OneOf_RespType.getResp(Usp_GetResp())
        #expect(USPResultFormatter.render(empty, as: .text) == "")
        #expect(USPResultFormatter.render(empty, as: .json) == "{\n  \"errors\": [],\n  \"parameters\": {}\n}")
    }

    @Test func errorMessageAsTextAndJSON() {
        let e = USPResponseError(msgID: "m1", code: 7004, message: "Set failed",
                                 paramErrors: [.init(path: "Device.Thing.1.Level", code: 7012, message: "99 is out of range")])
        #expect(USPResultFormatter.render(e, as: .text) == """
            ERROR 7004: Set failed
            ERROR 7012 Device.Thing.1.Level: 99 is out of range
            """)
        #expect(USPResultFormatter.render(e, as: .json) == """
            {
              "errors": [
                {
                  "code": 7004,
                  "message": "Set failed"
                },
                {
                  "code": 7012,
                  "message": "99 is out of range",
                  "path": "Device.Thing.1.Level"
                }
              ]
            }
            """)
    }

    @Test func errorFromTheWireKeepsEveryField() {
        var body = Usp_Error()
        body.errCode = 7026
        body.errMsg = "invalid path"
        var pe = Usp_Error.ParamError()
        pe.paramPath = "Device.Foo."
        pe.errCode = 7026
        pe.errMsg = "not supported"
        body.paramErrs = [pe]
        let e = USPResponseError(msgID: "m9", body)
        #expect(e == USPResponseError(msgID: "m9", code: 7026, message: "invalid path",
                                      paramErrors: [.init(path: "Device.Foo.", code: 7026, message: "not supported")]))
    }

    @Test func supportedDMAsText() {
        var obj = Usp_GetSupportedDMResp.SupportedObjectResult()
        obj.supportedObjPath = "Device.Thing.{i}."
        obj.access = .objAddDelete
        obj.isMultiInstance = true
        var level = Usp_GetSupportedDMResp.SupportedParamResult()
        level.paramName = "Level"; level.valueType = .paramInt; level.access = .paramReadWrite
        var name = Usp_GetSupportedDMResp.SupportedParamResult()
        name.paramName = "Name"; name.valueType = .paramString; name.access = .paramReadOnly
        obj.supportedParams = [name, level]
        var double = Usp_GetSupportedDMResp.SupportedCommandResult()
        double.commandName = "Double()"; double.commandType = .cmdSync; double.inputArgNames = ["Value"]; double.outputArgNames = ["Result"]
        obj.supportedCommands = [double]
        var pressed = Usp_GetSupportedDMResp.SupportedEventResult()
        pressed.eventName = "Pressed!"; pressed.argNames = ["Button"]
        obj.supportedEvents = [pressed]
        var keys = Usp_GetSupportedDMResp.SupportedUniqueKeySet()
        keys.keyNames = ["Name"]
        obj.uniqueKeySets = [keys]
        var req = Usp_GetSupportedDMResp.RequestedObjectResult()
        req.reqObjPath = "Device.Thing."
        req.supportedObjs = [obj]
        var r = Usp_GetSupportedDMResp()
        r.reqObjResults = [req]
        #expect(USPResultFormatter.render(.getSupportedDmResp(r), as: .text) == """
            Device.Thing.{i}.  (multi-instance, addDelete, unique keys [Name])
              Level     int      readWrite
              Name      string   readOnly
              Double()  command  sync       in: Value; out: Result
              Pressed!  event               args: Button
            """)
        let json = USPResultFormatter.render(.getSupportedDmResp(r), as: .json)
        #expect(json.contains(#""name": "Level","#) && json.contains(#""type": "int","#) && json.contains(#""multiInstance": true"#))
    }

    @Test func failuresInsideSuccessfulResponses() {
        var inst = Usp_SetResp.UpdatedInstanceResult()
        inst.affectedPath = "Device.Thing.1."
        inst.updatedParams = ["On": "true"]
        var pe = Usp_SetResp.ParameterError()
        pe.param = "Level"; pe.errCode = 7012; pe.errMsg = "out of range"
        inst.paramErrs = [pe]
        var obj = Usp_SetResp.UpdatedObjectResult()
        obj.requestedPath = "Device.Thing.1."
        obj.operStatus.operSuccess.updatedInstResults = [inst]
        var set = Usp_SetResp()
        set.updatedObjResults = [obj]
        #expect(USPResultFormatter.render(.setResp(set), as: .text) == """
            Device.Thing.1.On | true
            ERROR 7012 Device.Thing.1.Level: out of range
            """)

        var op = Usp_OperateResp.OperationResult()
        op.executedCommand = "Device.Thing.1.Broken()"
        op.cmdFailure.errCode = 7022
        op.cmdFailure.errMsg = "it broke"
        var ok = Usp_OperateResp.OperationResult()
        ok.executedCommand = "Device.Thing.1.Double()"
        ok.reqOutputArgs.outputArgs = ["Result": "4"]
        var operate = Usp_OperateResp()
        operate.operationResults = [op, ok]
        #expect(USPResultFormatter.render(.operateResp(operate), as: .text) == """
            Device.Thing.1.Double()
              Result | 4
            ERROR 7022 Device.Thing.1.Broken(): it broke
            """)

        var gone = Usp_DeleteResp.DeletedObjectResult()
        gone.requestedPath = "Device.Thing.*."
        gone.operStatus.operSuccess.affectedPaths = ["Device.Thing.2.", "Device.Thing.1."]
        var fail = Usp_DeleteResp.DeletedObjectResult()
        fail.requestedPath = "Device.Nope.1."
        fail.operStatus.operFailure.errCode = 7026
        fail.operStatus.operFailure.errMsg = "invalid path"
        var del = Usp_DeleteResp()
        del.deletedObjResults = [gone, fail]
        #expect(USPResultFormatter.render(.deleteResp(del), as: .text) == """
            Device.Thing.1.
            Device.Thing.2.
            ERROR 7026 Device.Nope.1.: invalid path
            """)
        #expect(USPResultFormatter.render(.deleteResp(del), as: .json) == """
            {
              "deleted": [
                "Device.Thing.1.",
                "Device.Thing.2."
              ],
              "errors": [
                {
                  "code": 7026,
                  "message": "invalid path",
                  "path": "Device.Nope.1."
                }
              ]
            }
            """)
    }

    @Test func jsonEscapesOnlyWhatItMust() {
        let v = JSONValue.object(["b": .string("a \"q\" \\ / é\n\u{01}"), "a": .array([.int(-1), .bool(false), .null])])
        #expect(v.compact == #"{"a":[-1,false,null],"b":"a \"q\" \\ / é\n\u0001"}"#)
    }

    @Test func instanceNumbersSortAsNumbers() {
        let paths = ["Device.ProxiedDevice.10.Name", "Device.ProxiedDevice.2.Name", "Device.ProxiedDevice.1.Name",
                     "Device.ProxiedDevice.2.Alias", "Device.ProxiedDevice.", "Device.ProxiedDevice.1.IoTCapability.12.Name",
                     "Device.ProxiedDevice.1.IoTCapability.3.Name"]
        #expect(paths.sorted(by: USPResultFormatter.pathOrder) == [
            "Device.ProxiedDevice.", "Device.ProxiedDevice.1.IoTCapability.3.Name", "Device.ProxiedDevice.1.IoTCapability.12.Name",
            "Device.ProxiedDevice.1.Name", "Device.ProxiedDevice.2.Alias", "Device.ProxiedDevice.2.Name", "Device.ProxiedDevice.10.Name",
        ])
    }
}
