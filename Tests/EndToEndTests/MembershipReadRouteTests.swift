import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// Which route the membership read takes (ServerReader+Memberships.swift states the bound): with more
/// users than teams, the teams' member lists and the channels of a busy team are read whole; with few
/// users (`--only`), each user's own rows. Both must give the same plan.
@Suite struct MembershipReadRouteTests {
  static let names = (1...30).map { String(format: "u%02d", $0) }

  static var seed: String {
    let users = names.map { #"{"username": "\#($0)", "email": "\#($0)@example.com", "password": "password-\#($0)"}"# }
    func members(_ list: ArraySlice<String>) -> String { list.map { #"{"user": "\#($0)"}"# }.joined(separator: ", ") }
    return """
      {"users": [{"username": "admin", "email": "admin@example.com", "password": "sandbox-admin-password",
                  "roles": "system_admin system_user"}, \(users.joined(separator: ", "))],
       "teams": [{"name": "eng", "members": [{"user": "admin", "scheme_admin": true}, \(members(names[...]))]},
                 {"name": "ops", "members": [\(members(names[0..<2]))]}],
       "channels": [{"team": "eng", "name": "a", "members": [\(members(names[0..<20]))]},
                    {"team": "eng", "name": "b", "members": [\(members(names[10..<30]))]},
                    {"team": "eng", "name": "c", "type": "P", "members": [\(members(names[0..<1]))]},
                    {"team": "ops", "name": "pager", "members": [\(members(names[0..<1]))]}]}
      """
  }

  /// u01–u15 keep channel a only, u16–u20 b only, u21 becomes admin of a, the rest declare eng alone;
  /// nobody declares ops.
  static var manifest: String {
    let entries = names.enumerated().map { index, name in
      let channels =
        index < 15
        ? "{ channels: { a: [] } }"
        : index < 20 ? "{ channels: { b: [] } }" : index == 20 ? "{ channels: { a: [admin] } }" : "{}"
      return "  - username: \(name)\n    teams: { eng: \(channels) }\n"
    }
    return "version: 1\nusers:\n" + entries.joined()
  }

  func plan(_ file: String, _ sandbox: SandboxProcess, _ extra: [String] = []) async throws -> Set<String> {
    let result = try await RosterCLI.run(
      ["plan", "-f", file, "--format", "json", "--max-membership-removals", "100%"] + extra + sandbox.connection)
    #expect(result.status == 0, "\(result.stderr)")
    return Set(try PlanDocument.decode(Data(result.stdout.utf8)).steps.map { "\($0.kind.rawValue) \($0.label)" })
  }

  @Test func theWholeListsGiveThePlanThePerUserRowsGive() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
    defer { sandbox.stop() }
    let file = try temporaryFile("roster.yaml", Self.manifest)
    try await sandbox.clearLog()
    let whole = try await plan(file, sandbox)
    let log = try await sandbox.requestLog()
    #expect(whole.contains("remove_team_member remove u01 from team ops"), "\(whole.sorted())")
    #expect(whole.contains("remove_channel_member remove u11 from channel eng/b"))
    #expect(whole.contains("remove_channel_member remove u16 from channel eng/a"))
    #expect(whole.contains("remove_channel_member remove u01 from channel eng/c"))
    #expect(whole.contains("add_channel_member add u21 to channel eng/a"))
    // 30 users, 2 teams: the teams' member lists, not 30 user reads; eng's channels whole, not 30 pair
    // reads; ops's two members (u01, u02) one pair read each.
    #expect(log.byRoute["GET /api/v4/users/{user_id}/teams/members"] == nil, "\(log.byRoute)")
    #expect(log.byRoute["GET /api/v4/teams/{team_id}/members"] == 2, "\(log.byRoute)")
    #expect(log.byRoute["GET /api/v4/users/{user_id}/teams/{team_id}/channels/members"] == 2, "\(log.byRoute)")
    let channelReads = log.byRoute["GET /api/v4/channels/{channel_id}/members"] ?? 0
    #expect((3...5).contains(channelReads), "eng's a, b, c and its default channels: \(log.byRoute)")
    // The stated bound: config, the two listings, stats of both teams, their member lists, eng's five
    // channels at one page each, two pair reads. The per-user reads were 30 + 32 + 1.
    let membership = log.byRoute.filter { $0.key.contains("/teams") || $0.key.contains("/channels") }
    let bound = 13  // 2 listings + 2 stats + 2 member lists + 5 channels + 2 pairs (GET /config aside)
    let spent: Int = membership.values.reduce(0, +)
    #expect(spent <= bound, "\(log.byRoute)")

    var perUser: Set<String> = []
    for name in ["u01", "u02", "u11", "u16", "u21", "u25"] {
      perUser.formUnion(try await plan(file, sandbox, ["--only", name]))
    }
    let mine = whole.filter { step in ["u01", "u02", "u11", "u16", "u21", "u25"].contains { step.contains(" \($0) ") } }
    #expect(mine == perUser, "whole lists \(mine.sorted()) vs per user \(perUser.sorted())")
  }

  /// `--only` a user in two teams: their team rows and their channel rows, one request each; no member
  /// count, as they are in every team they declare.
  @Test func onlyAUserInTwoTeamsIsTwoMembershipReads() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
    defer { sandbox.stop() }
    let file = try temporaryFile("roster.yaml", Self.manifest)
    try await sandbox.clearLog()
    let steps = try await plan(file, sandbox, ["--only", "u01"])
    #expect(steps.contains("remove_team_member remove u01 from team ops"), "\(steps.sorted())")
    let log = try await sandbox.requestLog()
    let reads = log.byRoute.filter { $0.key.contains("/users/{user_id}/") && $0.key.contains("members") }
    #expect(
      reads == [
        "GET /api/v4/users/{user_id}/teams/members": 1, "GET /api/v4/users/{user_id}/channel_members": 1,
      ], "\(log.byRoute)")
    #expect(log.byRoute["GET /api/v4/teams/{team_id}/stats"] == nil, "\(log.byRoute)")
  }

  /// A channel member page that shifts under a concurrent write (the sandbox's --channel-page-drift)
  /// repeats a row and loses another: the count disagrees, the channel is read again, and the plan is
  /// the one a quiet server gives. A channel that keeps shifting stops the plan with a clear error.
  @Test func aChannelWhoseCountDisagreesIsReadAgain() async throws {
    let names = (0..<450).map { String(format: "m%03d", $0) }
    let users = names.map { #"{"username": "\#($0)", "email": "\#($0)@example.com", "password": "password-\#($0)"}"# }
    let members = names.map { #"{"user": "\#($0)"}"# }.joined(separator: ", ")
    let seed = try temporaryFile(
      "seed.json",
      """
      {"users": [{"username": "admin", "email": "admin@example.com", "password": "sandbox-admin-password",
                  "roles": "system_admin system_user"}, \(users.joined(separator: ", "))],
       "teams": [{"name": "eng", "members": [\(members)]}],
       "channels": [{"team": "eng", "name": "big", "members": [\(members)]}]}
      """)
    let declared = names.prefix(100).map { "  - username: \($0)\n    teams: { eng: { channels: { big: [] } } }\n" }
    let file = try temporaryFile(
      "roster.yaml",
      "version: 1\nteams:\n  eng:\n    channels:\n      big: { unmanaged_members: remove }\nusers:\n"
        + declared.joined())
    var stats: [Int] = []
    for drift in ["0", "1"] {
      let sandbox = try await SandboxProcess(["--seed", seed, "--channel-page-drift", drift])
      defer { sandbox.stop() }
      let steps = try await plan(file, sandbox)
      let removed = steps.filter { $0.hasPrefix("remove_channel_member") }
      #expect(removed.count == 350, "drift \(drift): \(removed.count) removals")
      stats.append(try await sandbox.requestLog().byRoute["GET /api/v4/channels/{channel_id}/stats"] ?? 0)
    }
    #expect(stats[0] >= 1 && stats[1] == stats[0] + 1, "one more count for the channel read again: \(stats)")

    let sandbox = try await SandboxProcess(["--seed", seed, "--channel-page-drift", "1000"])
    defer { sandbox.stop() }
    let failed = try await RosterCLI.run(["plan", "-f", file] + sandbox.connection)
    #expect(failed.status != 0 && failed.stderr.contains("members changed while they were read"), "\(failed.stderr)")
    #expect(try await sandbox.requestLog().writes == 0)
  }
}
