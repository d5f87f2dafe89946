import Foundation
import RosterCore
import RosterFiles
import Testing

/// The manifest side of team and channel memberships: what each written form means in the model.
@Suite struct MembershipManifestTests {
  func load(_ text: String, only: Set<String>? = nil) -> LoadResult {
    ManifestLoader.load([ManifestFile(name: "m.yaml", bytes: Array(text.utf8))], env: [:], only: only)
  }

  func users(_ text: String) throws -> [String: UserSpec] {
    let result = load(text)
    let manifest = try #require(result.manifest, "\(result.diagnostics)")
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    return Dictionary(uniqueKeysWithValues: manifest.users.map { ($0.username, $0) })
  }

  @Test func theContractExampleReadsAsDocumented() throws {
    let text = """
      version: 1
      settings:
        max_membership_removals: 10%
      defaults:
        teams:
          eng: {}
      teams:
        eng:
          unmanaged_members: remove
          channels:
            incidents: { unmanaged_members: remove }
      users:
        - username: alice
          teams:
            eng:
              roles: [admin]
              channels:
                incidents: [admin]
                deploys: []
            ops: [admin]
        - username: carol
          teams: {}
        - username: dave
      """
    let result = load(text)
    let manifest = try #require(result.manifest, "\(result.diagnostics)")
    #expect(result.diagnostics.isEmpty)
    #expect(manifest.settings.limits[.membershipRemovals] == .percent(10))
    let users = Dictionary(uniqueKeysWithValues: manifest.users.map { ($0.username, $0) })
    let alice = try #require(users["alice"]?.teams)
    #expect(alice.keys.sorted() == ["eng", "ops"])
    #expect(alice["eng"]?.roles == ["admin"] && alice["eng"]?.isAdmin == true)
    #expect(alice["eng"]?.channels == ["incidents": ["admin"], "deploys": []])
    #expect(alice["eng"]?.channelMarks["deploys"]?.line == 19)
    #expect(users["carol"]?.teams == [:])
    let dave = try #require(users["dave"])
    #expect(dave.teams == ["eng": TeamMembershipSpec(mark: dave.mark)])
    #expect(dave.teams?["eng"]?.mark.line == 6, "a filled team keeps its place in defaults")
    let eng = try #require(manifest.teams["eng"])
    #expect(eng.unmanagedMembers == .remove)
    #expect(eng.channels["incidents"]?.unmanagedMembers == .remove)
    #expect(eng.mark.line == 8 && eng.channels["incidents"]?.mark.line == 11)
  }

  @Test func theShorthandIsARolesListWithChannelsUnmanaged() throws {
    let users = try users("version: 1\nusers:\n  - username: a\n    teams:\n      ops: [admin]\n      web: []\n")
    let teams = try #require(users["a"]?.teams)
    #expect(teams["ops"]?.roles == ["admin"] && teams["ops"]?.channels == nil)
    #expect(teams["web"]?.roles == [] && teams["web"]?.isAdmin == false && teams["web"]?.channels == nil)
  }

  @Test func anEmptyMappingManagesNeitherTheAdminFlagNorTheChannels() throws {
    let users = try users("version: 1\nusers:\n  - username: a\n    teams:\n      eng: {}\n")
    let eng = try #require(users["a"]?.teams?["eng"])
    #expect(eng.roles == nil && eng.isAdmin == nil && eng.channels == nil)
  }

  @Test func emptyChannelsMeanOnlyTheDefaultChannelsAndAbsentChannelsAreUnmanaged() throws {
    let text = """
      version: 1
      users:
        - username: a
          teams:
            eng: { roles: [], channels: {} }
            ops: { roles: [] }
            web:
              channels:
                town-square: [admin]
      """
    let teams = try #require(try users(text)["a"]?.teams)
    #expect(teams["eng"]?.channels == [:])
    #expect(teams["ops"]?.channels == nil)
    // A default channel may be listed: that sets the role there, it adds no removal elsewhere.
    #expect(teams["web"]?.channels == ["town-square": ["admin"]] && teams["web"]?.roles == nil)
  }

  @Test func teamsAbsentAreUnmanagedAndTeamsEmptyAreNoTeams() throws {
    let users = try users("version: 1\nusers:\n  - username: a\n  - username: b\n    teams: {}\n")
    #expect(users["a"]?.teams == nil)
    #expect(users["b"]?.teams == [:])
  }

  @Test func defaultsFillOnlyUsersWithoutATeamsKey() throws {
    let text = """
      version: 1
      users:
        - username: a
        - username: b
          teams: {}
        - username: c
          teams:
            ops: [admin]
      defaults:
        teams:
          eng: { channels: { incidents: [] } }
      """
    let users = try users(text)
    let a = try #require(users["a"])
    #expect(a.teams == ["eng": TeamMembershipSpec(channels: ["incidents": []], mark: a.mark)])
    #expect(users["b"]?.teams == [:])
    #expect(users["c"]?.teams?.keys.sorted() == ["ops"], "a user's own teams replace the defaults, never merge")
  }

  @Test func registryChannelPoliciesNeedNoMembers() throws {
    let text = """
      version: 1
      teams:
        eng:
          channels:
            off-topic: { unmanaged_members: remove }
            incidents: {}
        ops: {}
      users:
        - username: a
          teams: {}
      """
    let manifest = try #require(load(text).manifest)
    #expect(manifest.teams["eng"]?.unmanagedMembers == .ignore)
    #expect(manifest.teams["eng"]?.channels["off-topic"]?.unmanagedMembers == .remove)
    #expect(manifest.teams["eng"]?.channels["incidents"]?.unmanagedMembers == .ignore)
    #expect(manifest.teams["ops"]?.channels == [:])
  }

  @Test func aGuestWithAChannelInEachTeamIsValid() throws {
    let text = """
      version: 1
      users:
        - username: g
          roles: [system_guest]
          teams:
            eng: { roles: [], channels: { help: [] } }
      """
    #expect(try users(text)["g"]?.teams?["eng"]?.channels == ["help": []])
  }

  @Test func aGuestProblemOutsideOnlyIsAWarningAndLeavesTheUserOut() throws {
    let text = """
      version: 1
      users:
        - username: a
        - username: g
          roles: [system_guest]
          teams:
            eng: {}
      """
    let result = load(text, only: ["a"])
    #expect(result.manifest?.users.map(\.username) == ["a"])
    #expect(
      result.diagnostics.map(\.description) == [
        "m.yaml:7:7: warning: guest g must declare at least one channel in team eng: guests join no default channels, and the server removes a guest from a team with its last channel (not targeted by --only, so only a warning)"
      ])
  }

  @Test func theRegistryMergesAcrossFilesAndATeamTwiceNamesBothPlaces() {
    let dir = Fixtures.url("teams-twice").path
    let result = ManifestSources.load([dir], env: [:])
    #expect(
      result.diagnostics.map(\.description) == [
        "\(dir)/b.yaml:4:3: error: team eng is declared twice in teams; the first is at \(dir)/a.yaml:3:3"
      ])
    let merged = ManifestLoader.load(
      [
        ManifestFile(name: "a.yaml", bytes: Array("version: 1\nteams:\n  eng: { unmanaged_members: remove }\n".utf8)),
        ManifestFile(name: "b.yaml", bytes: Array("version: 1\nteams:\n  web: {}\n".utf8)),
      ], env: [:])
    #expect(merged.manifest?.teams.keys.sorted() == ["eng", "web"])
    #expect(merged.manifest?.teams["eng"]?.unmanagedMembers == .remove)
  }

  @Test(arguments: [
    ("eng", true), ("e2", true), ("a-b-c", true), ("a__b", true), ("ab", true),
    ("e", false), ("Eng", false), ("a_b", false), ("-ab", false), ("ab-", false), ("a___b", false),
    ("a__", false), ("ü-team", false), (String(repeating: "a", count: 64), true),
    (String(repeating: "a", count: 65), false),
  ])
  func teamNamesFollowIsValidTeamName(name: String, valid: Bool) {
    #expect((ServerRules.teamNameProblem(name) == nil) == valid, "\(name)")
  }

  @Test(arguments: [
    ("town-square", true), ("x", true), ("on_call", true), ("a-", true), ("a_", true), ("9", true),
    ("_a", false), ("-a", false), ("Ops", false), ("a b", false), ("", false),
    (String(repeating: "c", count: 65), false),
    (String(repeating: "gh", count: 20), true), (String(repeating: "a1", count: 20), false),
    (String(repeating: "a", count: 26) + "__" + String(repeating: "b", count: 26), false),
  ])
  func channelNamesFollowIsValidChannelIdentifier(name: String, valid: Bool) {
    #expect((ServerRules.channelNameProblem(name) == nil) == valid, "\(name)")
  }
}
