import Foundation
import RosterCore

/// Locates the fixture folders copied into the test bundle.
enum Fixtures {
  static var root: URL {
    (Bundle.module.resourceURL ?? Bundle.module.bundleURL).appendingPathComponent("Fixtures")
  }

  static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

  /// The environment every fixture is loaded with: deterministic, never the machine's.
  static let env = ["ALICE_PASSWORD": "correct-horse-battery", "BOB_PASSWORD": "short"]

  /// Loads files under a short name so diagnostics read the same on every machine.
  static func diagnostics(name: String, bytes: [UInt8]) -> [String] {
    ManifestLoader.load([ManifestFile(name: name, bytes: bytes)], env: env).diagnostics.map(\.description)
  }
}
