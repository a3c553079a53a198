// swift-tools-version:6.1
import PackageDescription

// Benchmarks for Retort's hot kernels, kept in their own package so the main package never depends on the
// benchmark framework. Run from this directory: `swift package benchmark` (see docs/performance.md).
let package = Package(
    name: "RetortBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "retort", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "RetortBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "RetortCore", package: "retort"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/RetortBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        )
    ]
)

package.targets += [
    .target(
        name: "BenchmarkSupport",
        dependencies: [.product(name: "RetortCore", package: "retort")],
        path: "Sources/BenchmarkSupport"
    ),
    .executableTarget(
        name: "ingest-throughput",
        dependencies: ["BenchmarkSupport", .product(name: "RetortCore", package: "retort")],
        path: "Sources/ingest-throughput"
    ),
]
