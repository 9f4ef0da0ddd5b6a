import CMosquitto
import Foundation
import Logging

/// An MQTT 5.0 / 3.1.1 client over libmosquitto. It carries opaque payloads; it knows nothing
/// of USP. A dedicated thread runs libmosquitto's network loop (never a Swift concurrency
/// thread); callbacks come back through `Unmanaged` user data and leave as `AsyncStream`s.
/// After the broker goes away it reconnects with the TR-181 randomised back-off and
/// subscribes again.
public final class MQTTClient: @unchecked Sendable {
    public let configuration: MQTTConfiguration
    public let messages: AsyncStream<MQTTMessage>
    public let events: AsyncStream<MQTTEvent>
    let messageContinuation: AsyncStream<MQTTMessage>.Continuation
    let eventContinuation: AsyncStream<MQTTEvent>.Continuation
    let logger: Logger

    // State below is guarded by `condition`.
    let condition = NSCondition()
    var mosq: OpaquePointer?
    var connected = false
    var socketOpen = false
    var stopping = false
    var started = false
    var finished = false
    var attempt = 0
    var brokerTopics: [String] = []

    static let libraryInit: Void = { _ = mosquitto_lib_init() }()

    public init(configuration: MQTTConfiguration, logger: Logger = Logger(label: "usp.mqtt")) {
        self.configuration = configuration
        self.logger = logger
        (messages, messageContinuation) = AsyncStream.makeStream(of: MQTTMessage.self, bufferingPolicy: .bufferingNewest(10_000))
        (events, eventContinuation) = AsyncStream.makeStream(of: MQTTEvent.self, bufferingPolicy: .bufferingNewest(1_000))
    }

    deinit {
        if let mosq { mosquitto_destroy(mosq) }
    }

    public var isConnected: Bool {
        condition.lock(); defer { condition.unlock() }
        return connected
    }

    /// Starts the network thread. Connection failures are reported as events and retried.
    public func start() throws(MQTTError) {
        _ = Self.libraryInit
        condition.lock()
        defer { condition.unlock() }
        guard !started else { return }
        let userdata = Unmanaged.passUnretained(self).toOpaque()
        guard let m = mosquitto_new(configuration.clientID, configuration.cleanSession, userdata) else {
            throw MQTTError(code: .setup, message: "mosquitto_new failed (client ID '\(configuration.clientID)')")
        }
        mosq = m
        _ = mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, configuration.version == .v5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311)
        if let u = configuration.username {
            _ = mosquitto_username_pw_set(m, u, configuration.password)
        }
        if let tls = configuration.tls {
            let rc = mosquitto_tls_set(m, tls.caFile, nil, tls.certFile, tls.keyFile, nil)
            guard rc == MOSQ_ERR_SUCCESS.rawValue else {
                throw MQTTError(code: .tls, message: "TLS setup failed: \(String(cString: mosquitto_strerror(rc)))")
            }
            if !tls.verifyHostname { _ = mosquitto_tls_insecure_set(m, true) }
        }
        mosquitto_connect_v5_callback_set(m) { _, obj, rc, flags, props in
            guard let obj else { return }
            Unmanaged<MQTTClient>.fromOpaque(obj).takeUnretainedValue().didConnect(rc: rc, flags: flags, props: props)
        }
        mosquitto_disconnect_v5_callback_set(m) { _, obj, rc, _ in
            guard let obj else { return }
            Unmanaged<MQTTClient>.fromOpaque(obj).takeUnretainedValue().didDisconnect(rc: rc)
        }
        mosquitto_message_v5_callback_set(m) { _, obj, message, props in
            guard let obj, let message else { return }
            Unmanaged<MQTTClient>.fromOpaque(obj).takeUnretainedValue().didReceive(message, props: props)
        }
        mosquitto_subscribe_v5_callback_set(m) { _, obj, mid, _, _, _ in
            guard let obj else { return }
            Unmanaged<MQTTClient>.fromOpaque(obj).takeUnretainedValue().didSubscribe(mid: mid)
        }
        started = true
        let thread = Thread { [self] in self.networkLoop() }
        thread.name = "mqtt-\(configuration.clientID)"
        thread.start()
    }

    /// Disconnects (sending DISCONNECT when connected) and stops the network thread.
    public func stop() {
        condition.lock()
        guard started, !stopping else { condition.unlock(); return }
        stopping = true
        let m = mosq
        let wasConnected = socketOpen
        condition.broadcast()
        condition.unlock()
        if wasConnected, let m { _ = mosquitto_disconnect(m) }
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
        messageContinuation.finish()
        eventContinuation.finish()
    }

    /// Runs until the surrounding task is cancelled (a swift-service-lifecycle style service).
    public func run() async throws {
        try start()
        await withTaskCancellationHandler {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
        } onCancel: { [self] in
            self.stop()
        }
    }

    /// Publishes a message. With MQTT 5 the response topic, content type, correlation data and
    /// user properties are sent as properties (they are not sent with 3.1.1).
    public func publish(topic: String, payload: [UInt8], qos: Int? = nil, retain: Bool = false,
                        responseTopic: String? = nil, contentType: String? = nil,
                        correlationData: [UInt8]? = nil, userProperties: [(String, String)] = []) throws(MQTTError) {
        condition.lock()
        let m = mosq
        let ok = connected
        condition.unlock()
        guard ok, let m else { throw MQTTError(code: .notConnected, message: "not connected to \(configuration.host):\(configuration.port)") }
        var props: OpaquePointer? = nil
        defer { mosquitto_property_free_all(&props) }
        if configuration.version == .v5 {
            if let responseTopic { _ = mosquitto_property_add_string(&props, Int32(MQTT_PROP_RESPONSE_TOPIC.rawValue), responseTopic) }
            if let contentType { _ = mosquitto_property_add_string(&props, Int32(MQTT_PROP_CONTENT_TYPE.rawValue), contentType) }
            if let correlationData {
                _ = correlationData.withUnsafeBytes {
                    mosquitto_property_add_binary(&props, Int32(MQTT_PROP_CORRELATION_DATA.rawValue), $0.baseAddress, UInt16(clamping: $0.count))
                }
            }
            for (k, v) in userProperties { _ = mosquitto_property_add_string_pair(&props, Int32(MQTT_PROP_USER_PROPERTY.rawValue), k, v) }
        }
        let rc = payload.withUnsafeBytes { buf in
            mosquitto_publish_v5(m, nil, topic, Int32(buf.count), buf.baseAddress, Int32(qos ?? configuration.qos), retain, props)
        }
        guard rc == MOSQ_ERR_SUCCESS.rawValue else {
            let text = String(cString: mosquitto_strerror(rc))
            if rc == MOSQ_ERR_NO_CONN.rawValue { throw MQTTError(code: .notConnected, message: "publish to \(topic): \(text)") }
            throw MQTTError(code: .publishFailed(rc), message: "publish to \(topic) failed: \(text)")
        }
    }

    // MARK: network thread

    func networkLoop() {
        while true {
            condition.lock()
            if stopping { condition.unlock(); break }
            let m = mosq!
            let open = socketOpen
            condition.unlock()
            if !open {
                var props: OpaquePointer? = nil
                if configuration.version == .v5 {
                    for (k, v) in configuration.connectUserProperties {
                        _ = mosquitto_property_add_string_pair(&props, Int32(MQTT_PROP_USER_PROPERTY.rawValue), k, v)
                    }
                    if configuration.requestResponseInformation {
                        _ = mosquitto_property_add_byte(&props, Int32(MQTT_PROP_REQUEST_RESPONSE_INFORMATION.rawValue), 1)
                    }
                }
                let rc = mosquitto_connect_bind_v5(m, configuration.host, Int32(configuration.port), Int32(configuration.keepAlive), nil, props)
                mosquitto_property_free_all(&props)
                if rc != MOSQ_ERR_SUCCESS.rawValue {
                    let reason = rc == MOSQ_ERR_ERRNO.rawValue ? String(cString: strerror(errno)) : String(cString: mosquitto_strerror(rc))
                    if attempt == 0 {
                        logger.info("MQTT connect to \(configuration.host):\(configuration.port) failed: \(reason); retrying")
                    } else {
                        logger.debug("MQTT connect to \(configuration.host):\(configuration.port) failed again: \(reason)")
                    }
                    eventContinuation.yield(.connectFailed(reason: reason))
                    waitBeforeRetry()
                    continue
                }
                condition.lock(); socketOpen = true; condition.unlock()
            }
            let rc = mosquitto_loop(m, 100, 1)
            if rc != MOSQ_ERR_SUCCESS.rawValue {
                condition.lock()
                let wasConnected = connected
                socketOpen = false
                connected = false
                let stop = stopping
                condition.unlock()
                if wasConnected {
                    let reason = String(cString: mosquitto_strerror(rc))
                    logger.notice("MQTT connection to \(configuration.host):\(configuration.port) lost: \(reason)")
                    eventContinuation.yield(.disconnected(reason: reason))
                }
                if stop { break }
                waitBeforeRetry()
            }
        }
        condition.lock()
        finished = true
        socketOpen = false
        connected = false
        condition.broadcast()
        condition.unlock()
    }

    func waitBeforeRetry() {
        condition.lock()
        attempt += 1
        let delay = configuration.retry.delay(forAttempt: attempt, random: Double.random(in: 0...1))
        condition.unlock()
        eventContinuation.yield(.reconnectScheduled(seconds: delay))
        let until = Date().addingTimeInterval(delay)
        condition.lock()
        while !stopping && Date() < until { _ = condition.wait(until: until) }
        condition.unlock()
    }

    // MARK: callbacks (network thread)

    func didConnect(rc: Int32, flags: Int32, props: OpaquePointer?) {
        guard rc == 0 else {
            let reason = String(cString: mosquitto_connack_string(rc))
            logger.warning("MQTT broker refused the connection: \(reason)")
            eventContinuation.yield(.connectFailed(reason: reason))
            if let m = mosq { _ = mosquitto_disconnect(m) }
            return
        }
        var assigned: String?
        var responseInfo: String?
        var topics: [String] = []
        if let props {
            assigned = Self.readString(props, MQTT_PROP_ASSIGNED_CLIENT_IDENTIFIER)
            responseInfo = Self.readString(props, MQTT_PROP_RESPONSE_INFORMATION)
            topics = Self.readUserProperties(props).filter { $0.0 == "subscribe-topic" }.map(\.1)
        }
        condition.lock()
        connected = true
        attempt = 0
        brokerTopics = topics
        let m = mosq
        condition.unlock()
        if let m {
            for filter in configuration.subscriptions + topics {
                _ = mosquitto_subscribe_v5(m, nil, filter, Int32(configuration.qos), 0, nil)
            }
        }
        logger.info("MQTT connected to \(configuration.host):\(configuration.port) as \(configuration.clientID)")
        eventContinuation.yield(.connected(sessionPresent: flags != 0, assignedClientID: assigned,
                                           responseInformation: responseInfo, subscribeTopics: topics))
    }

    func didSubscribe(mid: Int32) {
        eventContinuation.yield(.subscribed(topic: ""))
    }

    func didDisconnect(rc: Int32) {
        condition.lock()
        let was = connected
        connected = false
        condition.unlock()
        if was {
            let reason = rc == 0 ? "disconnected" : String(cString: mosquitto_strerror(rc))
            logger.notice("MQTT connection to \(configuration.host):\(configuration.port) lost: \(reason)")
            eventContinuation.yield(.disconnected(reason: reason))
        }
    }

    func didReceive(_ message: UnsafePointer<mosquitto_message>, props: OpaquePointer?) {
        let msg = message.pointee
        let payload: [UInt8]
        if let p = msg.payload, msg.payloadlen > 0 {
            payload = Array(UnsafeRawBufferPointer(start: p, count: Int(msg.payloadlen)))
        } else {
            payload = []
        }
        var out = MQTTMessage(topic: msg.topic.map { String(cString: $0) } ?? "", payload: payload, qos: Int(msg.qos), retain: msg.retain)
        if let props {
            out.responseTopic = Self.readString(props, MQTT_PROP_RESPONSE_TOPIC)
            out.contentType = Self.readString(props, MQTT_PROP_CONTENT_TYPE)
            var ptr: UnsafeMutableRawPointer?
            var len: UInt16 = 0
            if mosquitto_property_read_binary(props, Int32(MQTT_PROP_CORRELATION_DATA.rawValue), &ptr, &len, false) != nil, let ptr {
                out.correlationData = Array(UnsafeRawBufferPointer(start: ptr, count: Int(len)))
                free(ptr)
            }
            for (k, v) in Self.readUserProperties(props) { out.userProperties[k] = v }
        }
        messageContinuation.yield(out)
    }

    static func readString(_ props: OpaquePointer, _ id: mqtt5_property) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard mosquitto_property_read_string(props, Int32(id.rawValue), &value, false) != nil, let value else { return nil }
        defer { free(value) }
        return String(cString: value)
    }

    static func readUserProperties(_ props: OpaquePointer) -> [(String, String)] {
        var out: [(String, String)] = []
        var name: UnsafeMutablePointer<CChar>?
        var value: UnsafeMutablePointer<CChar>?
        var prop = mosquitto_property_read_string_pair(props, Int32(MQTT_PROP_USER_PROPERTY.rawValue), &name, &value, false)
        while prop != nil {
            if let name, let value { out.append((String(cString: name), String(cString: value))) }
            free(name); free(value); name = nil; value = nil
            prop = mosquitto_property_read_string_pair(prop, Int32(MQTT_PROP_USER_PROPERTY.rawValue), &name, &value, true)
        }
        return out
    }
}
