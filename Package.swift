// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "retort",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "retort", targets: ["RetortCLI"]),
        .library(name: "RetortCore", targets: ["RetortCore"]),
        .library(name: "RetortSimulator", targets: ["RetortSimulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(
            name: "RetortCore",
            dependencies: [
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RetortSimulator",
            dependencies: ["RetortCore"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "RetortCLI",
            dependencies: [
                "RetortCore",
                "RetortSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RetortCoreTests",
            dependencies: ["RetortCore"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RetortSimulatorTests",
            dependencies: ["RetortSimulator", "RetortCore"],
            swiftSettings: swiftSettings
        ),
    ]
)
