// swift-tools-version:6.2
import PackageDescription

/// The targets linked into `roster`: FoundationEssentials only (plain Foundation links ICU, about 39 MB of
/// the binary), and every module a file uses imported by that file, so nothing reaches Foundation unseen.
let shipped: [SwiftSetting] = [.enableUpcomingFeature("MemberImportVisibility")]

let package = Package(
  name: "roster",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "roster", targets: ["roster"]),
    .executable(name: "roster-sandbox", targets: ["roster-sandbox"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
    .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
    .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
    .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
  ],
  targets: [
    // The system libyaml (apt libyaml-dev): the product reads YAML through it, not a Swift YAML package.
    .systemLibrary(
      name: "CYAML", pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"])]),
    // The system libcurl (apt libcurl4-openssl-dev), with typed wrappers for its variadic setters.
    .systemLibrary(
      name: "CCurl", pkgConfig: "libcurl",
      providers: [.apt(["libcurl4-openssl-dev"])]),
    // Allocator tuning for large rosters (mallopt is not reachable from Swift's Glibc module), and a
    // cache prefetch hint for the loader's and planner's tables.
    .target(name: "CPlatform"),
    // libyaml events turned into positioned nodes; every libyaml lifetime rule lives here.
    .target(name: "RosterYAML", dependencies: ["CYAML"], swiftSettings: shipped),
    // The pure core: manifest, validation, schema, planner, plan renderers. No network, clock or print.
    .target(name: "RosterCore", dependencies: ["RosterYAML", "CPlatform"], swiftSettings: shipped),
    // The file-system edge: reading the manifest files and directories named on the command line.
    .target(name: "RosterFiles", dependencies: ["RosterCore", "RosterYAML"], swiftSettings: shipped),
    // The edges: HTTP over libcurl, the typed Mattermost API v4 client, live-state reading, the applier.
    .target(name: "RosterClient", dependencies: ["CCurl", "RosterCore"], swiftSettings: shipped),
    // The CLI: parse arguments, read files, call core and client, render, map to exit codes.
    .executableTarget(
      name: "roster",
      dependencies: [
        "RosterCore", "RosterClient", "RosterFiles", "RosterYAML", "CPlatform",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: shipped),
    // The emulator of the Mattermost users API. It shares no code with the client or the core on purpose:
    // it follows the server's rules on its own, so the end-to-end tests compare two independent readings.
    .target(
      name: "RosterSandbox",
      dependencies: [
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]),
    .executableTarget(
      name: "roster-sandbox",
      dependencies: [
        "RosterSandbox",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // Helpers shared by the test targets and the benchmark scripts: a real roster-sandbox process.
    .target(name: "RosterTestSupport", dependencies: ["RosterClient"]),
    .testTarget(name: "RosterYAMLTests", dependencies: ["RosterYAML"]),
    .testTarget(
      name: "RosterSandboxTests",
      dependencies: ["RosterTestSupport", "RosterClient", "RosterYAML", "RosterSandbox"],
      exclude: ["OpenAPI"]),
    .testTarget(
      name: "RosterCoreTests", dependencies: ["RosterCore", "RosterFiles", "RosterTestSupport"],
      exclude: ["Snapshots"],
      resources: [.copy("Fixtures")]),
    .testTarget(name: "RosterClientTests", dependencies: ["RosterClient", "RosterCore"]),
    .testTarget(
      name: "EndToEndTests",
      dependencies: ["RosterClient", "RosterCore", "RosterFiles", "RosterYAML", "RosterTestSupport"],
      exclude: ["hostile_server.py", "HostileCorpus", "AuditFixtures"]),
  ]
)
