@testable import RosterCore
import Testing

/// A user entry is read value by value as libyaml reads it, unless it carries an anchor, when it is
/// built whole first (an alias may copy it). Both must give the same users and the same diagnostics,
/// wherever in the entry a problem lies.
@Suite struct StreamedUserTests {
  static let entries = [
    "username: Alice\n    email: ALICE@example.com\n    first_name: Alice\n    roles: [system_user]\n    active: false",
    "username: bob\n    colour: blue\n    email: ~\n    active: yes\n    tokens: ci",
    "username: carol\n    email: carol@example.com\n    nickname: ${SECRET}\n    password: plain\n    auth_service: gitlab",
    "username: dave\n    email: [d@example.com]\n    roles: system_user\n    initial_password: fixed\n    emial: x",
  ]

  func load(_ entry: String, anchored: Bool) -> LoadResult {
    // The keys start on the line after the dash either way, so a value is at one place in both.
    let item = (anchored ? "  - &user\n    " : "  -\n    ") + entry
    let text = "version: 1\nusers:\n" + item + "\n"
    return ManifestLoader.load([ManifestFile(name: "m.yaml", bytes: Array(text.utf8))], env: [:])
  }

  @Test(arguments: entries)
  func aStreamedEntryReadsAsABuiltOne(entry: String) {
    let streamed = load(entry, anchored: false)
    let built = load(entry, anchored: true)
    // Only the entry's own place differs (a built entry starts at its anchor), so the messages are
    // compared in order, and the places of every problem in a value.
    #expect(streamed.diagnostics.map(\.message) == built.diagnostics.map(\.message))
    #expect(
      streamed.diagnostics.map(\.mark).filter { $0.column > 5 }
        == built.diagnostics.map(\.mark).filter { $0.column > 5 })
    let a = streamed.manifest?.users.first
    let b = built.manifest?.users.first
    #expect(a?.username == b?.username)
    #expect(a?.email == b?.email)
    #expect(a?.firstName == b?.firstName)
    #expect(a?.roles == b?.roles)
    #expect(a?.active == b?.active)
  }

  /// `UserKeySet` keeps a key at the bit of its `ordinal`, which must be its place in `all`.
  @Test func everyKeysOrdinalIsItsPlaceInAll() {
    #expect(ManifestKey.User.all.map(\.ordinal) == Array(ManifestKey.User.all.indices))
  }

  @Test func theFirstEntryIsValidAndNormalised() throws {
    let user = try #require(load(Self.entries[0], anchored: false).manifest?.users.first)
    #expect(user.username == "alice")
    #expect(user.email == "alice@example.com")
    #expect(user.active == false)
  }

  @Test func theOthersReportEachProblemAtItsValue() {
    let bob = load(Self.entries[1], anchored: false).diagnostics.map(\.description)
    #expect(bob.contains { $0.hasPrefix("m.yaml:5:5: error: unknown key \"colour\" in a user") })
    #expect(bob.contains("m.yaml:6:12: error: email must be a string, found null"))
    #expect(bob.contains { $0.hasPrefix("m.yaml:7:13: error: active must be true or false; \"yes\"") })
    #expect(bob.contains("m.yaml:8:13: error: tokens must be a list, found \"ci\""))
    let dave = load(Self.entries[3], anchored: false).diagnostics.map(\.description)
    #expect(dave.contains("m.yaml:5:12: error: email must be a string, found a sequence"))
    #expect(dave.contains("m.yaml:6:12: error: roles must be a list, found \"system_user\""))
    #expect(
      dave.contains { $0.hasPrefix("m.yaml:8:5: error: unknown key \"emial\" in a user; did you mean \"email\"?") })
  }
}
