import RosterCore
import Testing

/// A hostile server chooses every string roster exports, comments included: nothing it sends may add a
/// line, a key or a user to the manifest, and every value reads back exactly.
@Suite struct ExportEscapingTests {
  static let hostile = [
    "x\nusers:\n  - username: mallory\n    roles: [system_user, system_admin]\n#",
    "a # b: c 'd' \"e\"", "line\u{2028}users: []", "next\u{85}version: 2", "para\u{2029}- username: eve",
  ]

  @Test(arguments: hostile)
  func aHostileNameOrValueIsQuotedEvenInAComment(value: String) {
    var bot = P.user("robot", bot: true)
    bot.username = value
    var remote = P.user("far", remote: true)
    remote.username = value + " 2"
    let amy = P.user("amy", position: value)
    let live = LiveState(users: [P.admin, amy, bot, remote], tokens: [], acting: P.admin)
    let text = ManifestExporter.export(live, options: ExportOptions(fields: ExportField.allCases))
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      #expect(!line.unicodeScalars.contains { [0x85, 0x2028, 0x2029].contains($0.value) }, "a raw line break: \(line)")
    }
    let manifest = P.manifest(text)
    #expect(manifest.users.map(\.username).sorted() == ["admin", "amy"], "\(text)")
    #expect(manifest.users.first { $0.username == "amy" }?.position == value, "\(text)")
    #expect(Planner.plan(manifest, live: live).isEmpty, "\(text)")
  }
}
