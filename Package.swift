// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "USPBridge",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "DataModel", targets: ["DataModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
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

        // MARK: ZigBee (radio independent)
        .target(name: "ZigbeeCore", path: "Adapters/ZigbeeCore"),

        // MARK: tests
        .testTarget(name: "USPMessagesTests", dependencies: ["USPMessages"]),
        .testTarget(name: "ZigbeeCoreTests", dependencies: ["ZigbeeCore"]),
    ],
    swiftLanguageModes: [.v6]
)
