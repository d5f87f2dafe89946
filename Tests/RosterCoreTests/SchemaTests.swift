import Foundation
import RosterCore
import Testing

@Suite struct SchemaTests {
  static let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../schemas/roster.schema.json").standardized

  @Test func committedSchemaIsWhatRosterSchemaPrints() async throws {
    let text = try String(contentsOf: Self.committed, encoding: .utf8)
    #expect(text == ManifestSchema.json, "run: swift run roster schema > schemas/roster.schema.json")
  }

  func properties(_ object: Any?, _ path: [String]) -> [String] {
    var node = object
    for key in path { node = (node as? [String: Any])?[key] }
    return ((node as? [String: Any])?["properties"] as? [String: Any]).map { Array($0.keys).sorted() } ?? []
  }

  @Test func schemaPropertiesAreExactlyTheKeysTheLoaderAccepts() async throws {
    let json = try JSONSerialization.jsonObject(with: Data(ManifestSchema.json.utf8))
    #expect(properties(json, []) == ManifestLoader.topKeys.sorted())
    #expect(properties(json, ["properties", "settings"]) == ManifestLoader.settingsKeys.sorted())
    #expect(properties(json, ["properties", "defaults"]) == ManifestLoader.defaultsKeys.sorted())
    #expect(properties(json, ["$defs", "user"]) == ManifestLoader.userKeys.sorted())
    #expect(properties(json, ["$defs", "token"]) == ManifestLoader.tokenKeys.sorted())
    #expect(properties(json, ["$defs", "bot"]) == ManifestLoader.botKeys.sorted())
    #expect(properties(json, ["$defs", "team_membership_fields"]) == ManifestLoader.membershipKeys.sorted())
    #expect(properties(json, ["$defs", "team_policy"]) == ManifestLoader.registryTeamKeys.sorted())
    #expect(properties(json, ["$defs", "channel_policy"]) == ManifestLoader.registryChannelKeys.sorted())
  }
}
