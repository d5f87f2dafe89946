import Foundation
import RosterCore
import Testing

/// docs/manifest.md is generated from the schema: it must be what `roster schema --markdown` prints,
/// document every key, and show only examples roster accepts.
@Suite struct ManifestReferenceTests {
  static let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../docs/manifest.md").standardized

  @Test func committedReferenceIsWhatRosterSchemaMarkdownPrints() async throws {
    let text = try String(contentsOf: Self.committed, encoding: .utf8)
    #expect(text == ManifestReference.markdown, "run: swift run roster schema --markdown > docs/manifest.md")
  }

  @Test func everyKeyTheLoaderAcceptsIsDocumented() {
    let paths = Set(ManifestReference.entries.map(\.path))
    let expected =
      ManifestLoader.topKeys + ManifestLoader.settingsKeys.map { "settings." + $0 }
      + ManifestLoader.defaultsKeys.map { "defaults." + $0 } + ManifestLoader.userKeys.map { "users[]." + $0 }
      + ManifestLoader.tokenKeys.map { "users[].tokens[]." + $0 } + ManifestLoader.botKeys.map { "bots[]." + $0 }
      + ManifestLoader.membershipKeys.map { "users[].teams.TEAM." + $0 }
      + ManifestLoader.registryTeamKeys.map { "teams.TEAM." + $0 }
      + ManifestLoader.registryChannelKeys.map { "teams.TEAM.channels.CHANNEL." + $0 }
    #expect(paths == Set(expected))
    #expect(paths.count == ManifestReference.entries.count, "each key once")
  }

  @Test func everyKeyHasADescriptionATypeAndAnExampleThatLoads() {
    for entry in ManifestReference.entries {
      let markdown = ManifestReference.markdown
      #expect(markdown.contains("### `\(entry.path)`\n"), "\(entry.path)")
      #expect(!entry.description.isEmpty, "\(entry.path) has no description")
      let example = try? #require(ManifestReference.example(for: entry.path), "\(entry.path) has no example")
      guard let example else { continue }
      let text = example.hasPrefix("version:") ? example : "version: 1\n" + example
      let result = ManifestLoader.load(
        [ManifestFile(name: "example.yaml", bytes: Array(text.utf8))], env: ["ALICE_PASSWORD": "x"])
      let errors = result.diagnostics.filter { $0.severity == .error }
      #expect(result.manifest != nil && errors.isEmpty, "\(entry.path): \(errors)\n\(text)")
    }
  }
}
