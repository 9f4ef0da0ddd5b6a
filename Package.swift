// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "USPBridge",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "DataModel", targets: ["DataModel"]),
        .library(name: "Agent", targets: ["Agent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
    ],
    targets: [
        // MARK: USP core
        .target(
            name: "USPMessages",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .target(
            name: "DataModel",
            dependencies: ["USPMessages"]
        ),
        .target(
            name: "Agent",
            dependencies: [
                "DataModel", "USPMessages",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),

        // MARK: process helpers (children with clean signal masks, loopback ports)
        .target(name: "LocalProcess"),

        // MARK: transports
        .systemLibrary(name: "CMosquitto", path: "Sources/CMosquitto", pkgConfig: "libmosquitto",
                       providers: [.apt(["libmosquitto-dev"])]),
        .target(
            name: "MQTTTransport",
            dependencies: ["CMosquitto", .product(name: "Logging", package: "swift-log")]
        ),
        // TR-369 UNIX domain socket MTP: framing, handshake, client and server.
        .target(
            name: "UDSTransport",
            dependencies: ["SerialPort", .product(name: "Logging", package: "swift-log")]
        ),

        // MARK: bridge
        // The adapter seam: what adapters implement and the bridge consumes. No USP in it.
        .target(name: "RadioSeam"),
        .target(
            name: "Bridge",
            dependencies: [
                "Agent", "DataModel", "RadioSeam",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // MARK: radio adapters (know their radio, not USP)
        .target(name: "ZigbeeCore", path: "Adapters/ZigbeeCore"),
        // The ZigBee radio adapter shared by every coordinator stack (interviews, ZCL <-> seam).
        .target(name: "Zigbee", dependencies: ["ZigbeeCore", "RadioSeam", .product(name: "Logging", package: "swift-log")], path: "Adapters/Zigbee"),
        .target(
            name: "Bluetooth",
            dependencies: ["RadioSeam", "SerialPort", "USBSupport", "CUSB", "CBluetooth", .product(name: "Logging", package: "swift-log"),
                           .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto")],
            path: "Adapters/Bluetooth"
        ),

        // MARK: USB (libusb) and BlueZ (libbluetooth) system libraries
        .systemLibrary(name: "CUSB", path: "Sources/CUSB", pkgConfig: "libusb-1.0", providers: [.apt(["libusb-1.0-0-dev"])]),
        .systemLibrary(name: "CBluetooth", path: "Sources/CBluetooth", pkgConfig: "bluez", providers: [.apt(["libbluetooth-dev"])]),
        .target(name: "USBSupport", dependencies: ["CUSB"]),

        // MARK: serial ports (tty, pty, tcp://) and the virtual sticks behind pseudo-terminals
        .target(name: "CPseudoTerminal"),
        .target(name: "SerialPort", dependencies: ["CPseudoTerminal", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "VirtualSticks",
            dependencies: ["SerialPort", "Bluetooth", "ZigbeeCore", "ZigbeeEZSP", "ZigbeeZNP", .product(name: "Logging", package: "swift-log"),
                           .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "ZigbeeEZSP", dependencies: ["ZigbeeCore", "SerialPort", .product(name: "Logging", package: "swift-log")], path: "Adapters/ZigbeeEZSP"),
        .target(name: "ZigbeeZNP", dependencies: ["ZigbeeCore", "SerialPort", .product(name: "Logging", package: "swift-log")], path: "Adapters/ZigbeeZNP"),

        // MARK: controller client
        .target(
            name: "USPClient",
            dependencies: ["USPMessages", "MQTTTransport", "UDSTransport", .product(name: "Logging", package: "swift-log")]
        ),

        // MARK: runtime and executables
        .target(
            name: "Runtime",
            dependencies: [
                "Agent", "DataModel", "USPMessages", "MQTTTransport", "UDSTransport", "Bridge", "LocalProcess",
                "Bluetooth", "SerialPort", "VirtualSticks", "USBSupport", "Zigbee", "ZigbeeEZSP", "ZigbeeZNP",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        .executableTarget(
            name: "usp-bridge",
            dependencies: [
                "USPClient", "Runtime", "UDSTransport", "USPMessages", "Bridge", "LocalProcess", "VirtualSticks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "usp-bridge-bench",
            dependencies: ["USPMessages", "MQTTTransport", "Agent", "Bridge", "DataModel", "Runtime", "LocalProcess", "Bluetooth", "ZigbeeEZSP", "ZigbeeZNP", "Zigbee", "ZigbeeCore", "VirtualSticks",
                           .product(name: "Logging", package: "swift-log")]
        ),

        // MARK: tests
        .target(name: "MosquittoTestSupport", dependencies: ["LocalProcess"], path: "Tests/Support/MosquittoTestSupport"),
        .testTarget(name: "USPMessagesTests", dependencies: ["USPMessages"]),
        .testTarget(name: "DataModelTests", dependencies: ["DataModel", "USPMessages"]),
        .testTarget(name: "AgentTests", dependencies: ["Agent", "DataModel", "USPMessages"]),
        .testTarget(name: "MQTTTransportTests", dependencies: ["MQTTTransport", "MosquittoTestSupport"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "Agent", "DataModel", "USPMessages", "MQTTTransport", "MosquittoTestSupport", "USBSupport", "UDSTransport"]),
        .testTarget(name: "BridgeTests", dependencies: [
            "Bridge", "Agent", "DataModel", "USPMessages",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "ZigbeeCoreTests", dependencies: ["ZigbeeCore"]),
        .testTarget(name: "BluetoothTests", dependencies: ["Bluetooth", "RadioSeam", "SerialPort", "VirtualSticks"]),
        .testTarget(name: "SerialPortTests", dependencies: ["SerialPort"]),
        .target(name: "UDSTestSupport", dependencies: ["UDSTransport", "SerialPort"], path: "Tests/Support/UDSTestSupport"),
        .testTarget(name: "UDSTransportTests", dependencies: ["UDSTransport", "UDSTestSupport"]),
        .testTarget(name: "VirtualSticksTests", dependencies: ["VirtualSticks", "ZigbeeCore", "ZigbeeEZSP", "ZigbeeZNP", "SerialPort", "LocalProcess",
                                                      .product(name: "Logging", package: "swift-log")], exclude: ["Fixtures"]),
        .testTarget(name: "ZigbeeTests", dependencies: ["Zigbee", "ZigbeeCore", "VirtualSticks", "RadioSeam", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "ZigbeeEZSPTests", dependencies: ["ZigbeeEZSP", "ZigbeeCore"]),
        .testTarget(name: "ZigbeeZNPTests", dependencies: ["ZigbeeZNP", "ZigbeeCore"]),
        .testTarget(name: "USPClientTests", dependencies: [
            "USPClient", "Agent", "Runtime", "MosquittoTestSupport", "DataModel", "USPMessages", "MQTTTransport", "LocalProcess",
            "Zigbee", "ZigbeeCore", "VirtualSticks", "UDSTransport", "UDSTestSupport",
        ], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)

// MARK: fuzzing
// Only when USPBRIDGE_FUZZ is set (scripts/fuzz.sh): libFuzzer executables for the frame decoders,
// with the decoder modules instrumented too. Normal builds and CI never see these targets or flags.
if Context.environment["USPBRIDGE_FUZZ"] != nil {
    let sanitize = ["-sanitize=fuzzer,address"]
    for target in package.targets where ["ZigbeeZNP", "ZigbeeCore", "ZigbeeEZSP"].contains(target.name) {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(sanitize)]
    }
    package.targets += [
        .executableTarget(name: "ZNPFrameFuzz", dependencies: ["ZigbeeZNP"], path: "Fuzz/ZNPFrameFuzz",
                          swiftSettings: [.unsafeFlags(sanitize)],
                          linkerSettings: [.unsafeFlags(sanitize)]),
        .executableTarget(name: "ASHFrameFuzz", dependencies: ["ZigbeeEZSP"], path: "Fuzz/ASHFrameFuzz",
                          swiftSettings: [.unsafeFlags(sanitize)],
                          linkerSettings: [.unsafeFlags(sanitize)]),
    ]
}
