/// Typed ZCL global ("profile-wide") commands (ZCL rev 6/7/8, section 2.5).
/// Commands this library does not type stay opaque as `.other`.
public enum ZCLGlobalCommand: Hashable, Sendable {
    case readAttributes([UInt16])                                    // 0x00
    case readAttributesResponse([ZCLReadAttributeRecord])            // 0x01
    case writeAttributes([ZCLAttributeValue])                        // 0x02
    case writeAttributesUndivided([ZCLAttributeValue])               // 0x03
    case writeAttributesResponse([ZCLAttributeStatusRecord])         // 0x04
    case writeAttributesNoResponse([ZCLAttributeValue])              // 0x05
    case configureReporting([ZCLReportingConfiguration])             // 0x06
    case configureReportingResponse([ZCLReportingStatusRecord])      // 0x07
    case reportAttributes([ZCLAttributeValue])                       // 0x0A
    case defaultResponse(commandId: UInt8, status: ZCLStatus)        // 0x0B
    case discoverAttributes(startAttributeId: UInt16, maximumCount: UInt8)             // 0x0C
    case discoverAttributesResponse(complete: Bool, attributes: [ZCLDiscoveredAttribute]) // 0x0D
    case other(commandId: UInt8, payload: [UInt8])

    public var commandId: UInt8 {
        switch self {
        case .readAttributes: return 0x00
        case .readAttributesResponse: return 0x01
        case .writeAttributes: return 0x02
        case .writeAttributesUndivided: return 0x03
        case .writeAttributesResponse: return 0x04
        case .writeAttributesNoResponse: return 0x05
        case .configureReporting: return 0x06
        case .configureReportingResponse: return 0x07
        case .reportAttributes: return 0x0A
        case .defaultResponse: return 0x0B
        case .discoverAttributes: return 0x0C
        case .discoverAttributesResponse: return 0x0D
        case .other(let id, _): return id
        }
    }

    /// Direction in which the command normally travels (client requests, server responses/reports).
    public var defaultDirection: ZCLDirection {
        switch self {
        case .readAttributesResponse, .writeAttributesResponse, .configureReportingResponse,
             .reportAttributes, .discoverAttributesResponse:
            return .serverToClient
        default:
            return .clientToServer
        }
    }

    // MARK: encoding

    public func encodedPayload() throws -> [UInt8] {
        var out: [UInt8] = []
        switch self {
        case .readAttributes(let ids):
            for id in ids { out.appendLE(id) }
        case .readAttributesResponse(let records):
            for record in records {
                out.appendLE(record.attributeId)
                out.append(record.status.rawValue)
                if record.status == .success {
                    guard let value = record.value else { throw ZigbeeCodecError(.typeMismatch) }
                    out.append(value.dataType.rawValue)
                    try value.write(to: &out)
                }
            }
        case .writeAttributes(let records), .writeAttributesUndivided(let records),
             .writeAttributesNoResponse(let records), .reportAttributes(let records):
            for record in records {
                out.appendLE(record.attributeId)
                out.append(record.value.dataType.rawValue)
                try record.value.write(to: &out)
            }
        case .writeAttributesResponse(let records):
            for record in records {
                out.append(record.status.rawValue)
                if let id = record.attributeId { out.appendLE(id) }
            }
        case .configureReporting(let records):
            for record in records { try Self.write(record, to: &out) }
        case .configureReportingResponse(let records):
            for record in records {
                out.append(record.status.rawValue)
                if let attributeId = record.attributeId {
                    out.append((record.direction ?? .reported).rawValue)
                    out.appendLE(attributeId)
                }
            }
        case .defaultResponse(let commandId, let status):
            out += [commandId, status.rawValue]
        case .discoverAttributes(let start, let maximum):
            out.appendLE(start)
            out.append(maximum)
        case .discoverAttributesResponse(let complete, let attributes):
            out.append(complete ? 1 : 0)
            for attribute in attributes {
                out.appendLE(attribute.attributeId)
                out.append(attribute.dataType.rawValue)
            }
        case .other(_, let payload):
            out = payload
        }
        return out
    }

    private static func write(_ record: ZCLReportingConfiguration, to out: inout [UInt8]) throws {
        out.append(record.direction.rawValue)
        out.appendLE(record.attributeId)
        switch record.kind {
        case .reported(let type, let minimum, let maximum, let change):
            out.append(type.rawValue)
            out.appendLE(minimum)
            out.appendLE(maximum)
            // Reportable Change is present only for analog data types, with the attribute's type.
            if type.isAnalog {
                guard let change else { throw ZigbeeCodecError(.invalidValue) }
                guard change.dataType == type else { throw ZigbeeCodecError(.typeMismatch) }
                try change.write(to: &out)
            }
        case .received(let timeout):
            out.appendLE(timeout)
        }
    }

    // MARK: decoding

    public init(commandId: UInt8, payload: [UInt8]) throws {
        var r = ByteReader(payload)
        switch commandId {
        case 0x00:
            var ids: [UInt16] = []
            while !r.isAtEnd { ids.append(try r.readUInt16()) }
            self = .readAttributes(ids)
        case 0x01:
            var records: [ZCLReadAttributeRecord] = []
            while !r.isAtEnd {
                let id = try r.readUInt16()
                let status = ZCLStatus(rawValue: try r.readUInt8())
                if status == .success {
                    let type = ZCLDataType(rawValue: try r.readUInt8())
                    records.append(ZCLReadAttributeRecord(attributeId: id, value: try ZCLValue.read(type, from: &r)))
                } else {
                    records.append(ZCLReadAttributeRecord(attributeId: id, status: status))
                }
            }
            self = .readAttributesResponse(records)
        case 0x02, 0x03, 0x05, 0x0A:
            var records: [ZCLAttributeValue] = []
            while !r.isAtEnd {
                let id = try r.readUInt16()
                let type = ZCLDataType(rawValue: try r.readUInt8())
                records.append(ZCLAttributeValue(attributeId: id, value: try ZCLValue.read(type, from: &r)))
            }
            switch commandId {
            case 0x02: self = .writeAttributes(records)
            case 0x03: self = .writeAttributesUndivided(records)
            case 0x05: self = .writeAttributesNoResponse(records)
            default: self = .reportAttributes(records)
            }
        case 0x04:
            var records: [ZCLAttributeStatusRecord] = []
            repeat {
                let status = ZCLStatus(rawValue: try r.readUInt8())
                if r.isAtEnd && records.isEmpty {
                    records.append(ZCLAttributeStatusRecord(status: status))
                } else {
                    records.append(ZCLAttributeStatusRecord(status: status, attributeId: try r.readUInt16()))
                }
            } while !r.isAtEnd
            self = .writeAttributesResponse(records)
        case 0x06:
            var records: [ZCLReportingConfiguration] = []
            while !r.isAtEnd { records.append(try Self.readReportingConfiguration(&r)) }
            self = .configureReporting(records)
        case 0x07:
            var records: [ZCLReportingStatusRecord] = []
            repeat {
                let status = ZCLStatus(rawValue: try r.readUInt8())
                if r.isAtEnd && records.isEmpty {
                    records.append(ZCLReportingStatusRecord(status: status))
                } else {
                    let direction = try Self.readDirection(&r)
                    records.append(ZCLReportingStatusRecord(
                        status: status, direction: direction, attributeId: try r.readUInt16()))
                }
            } while !r.isAtEnd
            self = .configureReportingResponse(records)
        case 0x0B:
            self = .defaultResponse(commandId: try r.readUInt8(), status: ZCLStatus(rawValue: try r.readUInt8()))
            try r.expectEnd()
        case 0x0C:
            self = .discoverAttributes(startAttributeId: try r.readUInt16(), maximumCount: try r.readUInt8())
            try r.expectEnd()
        case 0x0D:
            let complete = try r.readUInt8() != 0
            var attributes: [ZCLDiscoveredAttribute] = []
            while !r.isAtEnd {
                let id = try r.readUInt16()
                attributes.append(ZCLDiscoveredAttribute(attributeId: id, dataType: ZCLDataType(rawValue: try r.readUInt8())))
            }
            self = .discoverAttributesResponse(complete: complete, attributes: attributes)
        default:
            self = .other(commandId: commandId, payload: payload)
        }
    }

    private static func readDirection(_ r: inout ByteReader) throws -> ZCLReportingDirection {
        let offset = r.offset
        guard let direction = ZCLReportingDirection(rawValue: try r.readUInt8()) else {
            throw ZigbeeCodecError(.invalidValue, offset: offset)
        }
        return direction
    }

    private static func readReportingConfiguration(_ r: inout ByteReader) throws -> ZCLReportingConfiguration {
        let direction = try readDirection(&r)
        let id = try r.readUInt16()
        switch direction {
        case .reported:
            let type = ZCLDataType(rawValue: try r.readUInt8())
            let minimum = try r.readUInt16()
            let maximum = try r.readUInt16()
            let change = type.isAnalog ? try ZCLValue.read(type, from: &r) : nil
            return .report(id, type: type, min: minimum, max: maximum, change: change)
        case .received:
            return ZCLReportingConfiguration(attributeId: id, kind: .received(timeout: try r.readUInt16()))
        }
    }
}

extension ZCLFrame {
    /// Builds a global-command frame.
    public static func global(
        _ command: ZCLGlobalCommand,
        transactionSequence: UInt8,
        direction: ZCLDirection? = nil,
        manufacturerCode: UInt16? = nil,
        disableDefaultResponse: Bool = false
    ) throws -> ZCLFrame {
        ZCLFrame(
            frameType: .global,
            manufacturerCode: manufacturerCode,
            direction: direction ?? command.defaultDirection,
            disableDefaultResponse: disableDefaultResponse,
            transactionSequence: transactionSequence,
            commandId: command.commandId,
            payload: try command.encodedPayload()
        )
    }

    /// Decodes the payload of a global frame; throws `.wrongFrameKind` for cluster-specific frames.
    public func globalCommand() throws -> ZCLGlobalCommand {
        guard frameType == .global else { throw ZigbeeCodecError(.wrongFrameKind) }
        return try ZCLGlobalCommand(commandId: commandId, payload: payload)
    }
}
