import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// How the membership read finds its teams and channels (ServerReader+Listings.swift): on a server of
/// many teams and channels, `--only dan` looks up the few it needs instead of listing every one, and
/// plans what the whole listings plan.
@Suite struct MembershipListingRouteTests {
  /// 850 generated teams (team-0001…, one channel each besides the two default ones) sort before eng
  /// and ops (display names zz-…): the team listing is 5 pages, the channel listing 13, and page 0 of
  /// either holds none of dan's.
  static let seed = """
    {"users": [{"username": "admin", "email": "admin@example.com", "password": "sandbox-admin-password",
                "roles": "system_admin system_user"},
               {"username": "dan", "email": "dan@example.com", "password": "password-dan"},
               {"username": "erin", "email": "erin@example.com", "password": "password-erin"}],
     "generate": {"teams": 850, "channels_per_team": 1},
     "teams": [{"name": "eng", "display_name": "zz-eng", "members": [{"user": "admin"}, {"user": "dan"}, {"user": "erin"}]},
               {"name": "ops", "display_name": "zz-ops", "members": [{"user": "dan"}]}],
     "channels": [{"team": "eng", "name": "a", "display_name": "zz-a", "members": [{"user": "dan"}]},
                  {"team": "eng", "name": "b", "display_name": "zz-b", "members": [{"user": "erin"}]},
                  {"team": "eng", "name": "c", "display_name": "zz-c", "type": "P", "members": [{"user": "dan"}]},
                  {"team": "ops", "name": "pager", "display_name": "zz-pager", "members": [{"user": "dan"}]}]}
    """

  /// dan keeps eng with a and b (so leaves c, and ops with its channels); erin keeps eng/b. `registry`
  /// adds a team whose members are read whole, which makes every plan list every team and channel.
  static func manifest(erinTeam: String = "eng", erinChannel: String = "b", registry: Bool = false) -> String {
    (registry ? "teams:\n  team-0001: { unmanaged_members: remove }\n" : "") + """
      users:
        - username: dan
          teams: { eng: { channels: { a: [], b: [] } } }
        - username: erin
          teams: { \(erinTeam): { channels: { \(erinChannel): [] } } }

      """
  }

  func plan(_ manifest: String, _ sandbox: SandboxProcess, _ extra: [String] = []) async throws -> (
    steps: Set<String>, log: (total: Int, writes: Int, byRoute: [String: Int]), output: String
  ) {
    let file = try temporaryFile("roster.yaml", "version: 1\n" + manifest)
    try await sandbox.clearLog()
    let result = try await RosterCLI.run(
      ["plan", "-f", file, "--format", "json", "--max-membership-removals", "100%"] + extra + sandbox.connection)
    let log = try await sandbox.requestLog()
    let document = try PlanDocument.decode(Data(result.stdout.utf8))
    return (Set(document.steps.map { "\($0.kind.rawValue) \($0.label)" }), log, result.stdout + result.stderr)
  }

  @Test func onlyDanLooksUpWhatItNeedsAndPlansWhatTheListingsPlan() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
    defer { sandbox.stop() }
    let only = try await plan(Self.manifest(), sandbox, ["--only", "dan"])
    #expect(
      only.steps == [
        "remove_team_member remove dan from team ops", "remove_channel_member remove dan from channel eng/c",
        "add_channel_member add dan to channel eng/b",
      ], "\(only.steps.sorted())")
    // The membership reads (the account reads and the client configuration aside): 10, where the whole
    // listings cost 5 + 13 on their own.
    let membership = only.log.byRoute.filter {
      $0.key.contains("/teams") || $0.key.contains("channel") || $0.key == "GET /api/v4/config"
    }
    #expect(
      membership == [
        "GET /api/v4/config": 1,
        "GET /api/v4/teams": 1,  // page 0 with its count: 852 teams, 4 pages more
        "GET /api/v4/users/{user_id}/teams/members": 1,
        "GET /api/v4/teams/name/{name}": 1,  // eng, named
        "GET /api/v4/teams/{team_id}": 1,  // ops, dan's but not named
        "GET /api/v4/channels": 1,  // page 0 with its count: 12 pages more
        "GET /api/v4/users/{user_id}/channels": 1,  // dan's channels: a, c, pager and the default ones
        "GET /api/v4/teams/name/{team_name}/channels/name/{channel_name}": 1,  // eng/b, dan is not in it
        "GET /api/v4/users/{user_id}/channel_members": 1,  // dan's rows, two teams
      ], "\(only.log.byRoute)")

    // The whole listings (a registry team read whole) give dan the same steps.
    let whole = try await plan(Self.manifest(registry: true), sandbox)
    #expect(whole.log.byRoute["GET /api/v4/teams"] == 5 && whole.log.byRoute["GET /api/v4/channels"] == 13)
    #expect(whole.log.byRoute["GET /api/v4/users/{user_id}/channels"] == nil, "\(whole.log.byRoute)")
    #expect(whole.steps.filter { $0.contains(" dan ") } == only.steps, "\(whole.steps.sorted())")
  }

  /// A named team or channel the server lacks: the planner suggests a close name from the whole list,
  /// so that listing is read whole, and the suggestion is the one a whole listing gives.
  @Test func aNameTheServerLacksReadsTheWholeListingForTheSuggestion() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
    defer { sandbox.stop() }
    let team = try await plan(Self.manifest(erinTeam: "engs"), sandbox, ["--only", "dan"])
    #expect(team.output.contains("team engs does not exist on the server (did you mean eng?)"), "\(team.output)")
    #expect(team.log.byRoute["GET /api/v4/teams"] == 5, "page 0 and the 4 after it: \(team.log.byRoute)")
    #expect(team.log.byRoute["GET /api/v4/channels"] == 1, "\(team.log.byRoute)")

    let channel = try await plan(Self.manifest(erinChannel: "bb"), sandbox, ["--only", "dan"])
    #expect(
      channel.output.contains("channel eng/bb does not exist on the server (did you mean b?)"), "\(channel.output)")
    #expect(channel.log.byRoute["GET /api/v4/channels"] == 13, "\(channel.log.byRoute)")
    #expect(channel.steps == (try await plan(Self.manifest(), sandbox, ["--only", "dan"])).steps)
  }
}
