import Foundation
import RosterCore
import RosterFiles
import Testing

/// Every file in Fixtures/bad has a `.expected` file beside it holding the exact diagnostics, verbatim:
/// line, column, severity and message. RECORD_SNAPSHOTS=1 rewrites them (and fails, to be reviewed).
@Suite struct BadManifestTests {
  static let names: [String] = {
    let dir = Fixtures.url("bad")
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return entries.filter { $0.hasSuffix(".yaml") }.sorted()
  }()

  @Test func thereAreAtLeastFortyFixtures() {
    #expect(Self.names.count >= 40)
  }

  @Test(arguments: names)
  func fixtureReportsExactly(_ name: String) async throws {
    let url = Fixtures.url("bad").appendingPathComponent(name)
    let bytes = [UInt8](try Data(contentsOf: url))
    let actual = Fixtures.diagnostics(name: name, bytes: bytes)
    let expectedURL = url.deletingPathExtension().appendingPathExtension("expected")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
      let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/bad").appendingPathComponent(expectedURL.lastPathComponent)
      try (actual.joined(separator: "\n") + "\n").write(to: source, atomically: true, encoding: .utf8)
      Issue.record("recorded \(source.lastPathComponent); review it and run again without RECORD_SNAPSHOTS")
      return
    }
    let expected = try String(contentsOf: expectedURL, encoding: .utf8)
      .split(separator: "\n").map(String.init)
    #expect(actual == expected)
    #expect(actual.contains { $0.contains(": error: ") }, "a bad fixture must produce an error")
  }

  @Test func nonUTF8BytesAreRefusedAtTheirPosition() {
    let bytes = Array("version: 1\nusers:\n  - username: al".utf8) + [0xFF, 0x0A]
    #expect(
      Fixtures.diagnostics(name: "latin1.yaml", bytes: bytes) == [
        "latin1.yaml:3:17: error: invalid UTF-8 byte 0xFF; manifests must be UTF-8 text"
      ])
  }

  @Test func aTwentyMebibyteFileIsRefusedWithoutParsing() async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roster-big-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("big.yaml")
    let line = Array("# padding padding padding padding padding padding padding padding padding pad\n".utf8)
    var bytes = Array("version: 1\n".utf8)
    while bytes.count < 20 * 1_048_576 { bytes += line }
    try Data(bytes).write(to: file)
    let result = ManifestSources.load([file.path], env: [:])
    #expect(result.manifest == nil)
    #expect(result.diagnostics.map(\.description) == ["\(file.path):1:1: error: file is 20.0 MiB; the limit is 16 MiB"])
  }

  /// A file is read as libyaml parses it, 16 KiB at a time; a problem past the first piece is placed
  /// from the file read again, after its byte order mark, and a tab found there still gets its hint.
  @Test func problemsFarIntoAFileReadInPiecesArePlaced() async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roster-pieces-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let users = (0..<1500).map { "  - username: user\($0)\n    first_name: Zoë\n" }.joined()
    let head = Array("\u{FEFF}version: 1\nusers:\n\(users)".utf8)
    let bad = dir.appendingPathComponent("bad.yaml")
    try Data(head + Array("  - username: al".utf8) + [0xFF, 0x0A]).write(to: bad)
    let tab = dir.appendingPathComponent("tab.yaml")
    try Data(head + Array("  - username: x\n\tfirst_name: y\n".utf8)).write(to: tab)
    #expect(head.count > 3 * 16_384)
    #expect(
      ManifestSources.load([bad.path], env: [:]).diagnostics.map(\.description) == [
        "\(bad.path):3003:17: error: invalid UTF-8 byte 0xFF; manifests must be UTF-8 text"
      ])
    let tabbed = ManifestSources.load([tab.path], env: [:]).diagnostics.map(\.description)
    #expect(tabbed.count == 1, "\(tabbed)")
    #expect(tabbed.first?.hasPrefix("\(tab.path):3004:1: error: ") == true)
    #expect(tabbed.first?.hasSuffix("; tabs cannot indent YAML, use spaces") == true)
  }

  @Test func settingsMayAppearInOneFileOnlyAndUsersMergeAcrossFiles() {
    let result = ManifestSources.load([Fixtures.url("settings-twice").path], env: [:])
    let dir = Fixtures.url("settings-twice").path
    #expect(
      result.diagnostics.map(\.description) == [
        "\(dir)/b.yaml:2:1: error: settings may appear in one file only; it is already set at \(dir)/a.yaml:2:1",
        "\(dir)/b.yaml:5:15: error: user \"alice\" is declared twice (usernames are case-insensitive); the first is at \(dir)/a.yaml:5:15",
      ])
  }
}
