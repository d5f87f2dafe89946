import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// The server's membership rules as roster meets them through roster-sandbox: default channels are
/// implicit, guests join only what they declare, group-constrained teams are read-only
/// (shared/design/memberships-server.md A5 rules 5, 9 and 11).
@Suite struct MembershipRulesEndToEndTests {
  static let seed = """
    {
      "users": [
        {"username": "admin", "email": "admin@example.com", "password": "sandbox-admin-password",
         "roles": "system_admin system_user"},
        {"username": "alice", "email": "alice@example.com", "password": "alice-password-1"},
        {"username": "gwen", "email": "gwen@example.com", "password": "gwen-password-1", "roles": "system_guest"}
      ],
      "teams": [
        {"name": "eng", "members": [{"user": "admin", "scheme_admin": true}, {"user": "alice"}]},
        {"name": "synced", "group_constrained": true}
      ],
      "channels": [
        {"team": "eng", "name": "incidents"},
        {"team": "eng", "name": "help"}
      ]
    }
    """

  func run(_ yaml: String, _ sandbox: SandboxProcess, _ extra: [String] = []) async throws -> RunResult {
    try await RosterCLI.run(["plan", "-f", try temporaryFile("roster.yaml", yaml)] + extra + sandbox.connection)
  }

  @Test func defaultChannelsAreImplicitAndGuestsJoinOnlyWhatTheyDeclare() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
    defer { sandbox.stop() }
    let yaml = """
      version: 1
      users:
        - username: alice
          teams:
            eng:
              channels:
                town-square: [admin]
        - username: gwen
          roles: [system_guest]
          teams:
            eng:
              channels: { help: [] }
      """
    let plan = try await run(yaml, sandbox, ["--format", "json"])
    #expect(plan.status == 0, "\(plan.stderr)")
    let steps = try PlanDocument.decode(Data(plan.stdout.utf8)).steps.map { "\($0.kind.rawValue) \($0.label)" }
    // alice is in town-square and off-topic already: the flag is set, off-topic (undeclared) stays.
    #expect(
      Set(steps) == [
        "set_channel_member_roles roles of alice in channel eng/town-square", "add_team_member add gwen to team eng",
        "add_channel_member add gwen to channel eng/help",
      ], "\(steps)")
    let file = try temporaryFile("roster.yaml", yaml)
    let apply = try await RosterCLI.run(["apply", "-f", file, "--auto-approve"] + sandbox.connection)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    let again = try await RosterCLI.run(["plan", "-f", file, "--detailed-exitcode"] + sandbox.connection)
    #expect(again.status == 0, "a guest joins no default channel, and none is planned: \(again.stdout)")
  }

  @Test func aGroupConstrainedTeamIsAPlanErrorAndNothingIsWritten() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
    defer { sandbox.stop() }
    let result = try await run(
      "version: 1\nusers:\n  - username: alice\n    teams:\n      eng: {}\n      synced: {}\n", sandbox)
    #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("team synced is group-constrained"), "\(result.stdout)")
    let typo = try await run("version: 1\nusers:\n  - username: alice\n    teams:\n      engg: {}\n", sandbox)
    #expect(typo.stdout.contains("team engg does not exist on the server (did you mean eng?)"), "\(typo.stdout)")
    #expect(try await sandbox.requestLog().writes == 0)
  }

  /// MaxUsersPerTeam (the sandbox's seed sets 3 here): adding two to a team of two is refused at plan time.
  @Test func aTeamWithoutRoomIsAPlanError() async throws {
    let seed = Self.seed.replacingOccurrences(
      of: "\"users\": [", with: "\"settings\": {\"max_users_per_team\": 3},\n  \"users\": [")
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", seed)])
    defer { sandbox.stop() }
    let yaml = """
      version: 1
      users:
        - username: gwen
          roles: [system_guest]
          teams: { eng: { channels: { help: [] } } }
        - username: bea
          email: bea@example.com
          password: bea-password-1
          teams: { eng: {} }
      """
    let result = try await run(yaml, sandbox)
    #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
    #expect(
      result.stdout.contains("team eng has 2 members and the plan adds 2; the server's MaxUsersPerTeam is 3"),
      "\(result.stdout)")
  }

  /// A guest on the server (no `roles` in the manifest) cannot be made an admin: the schemeRoles call
  /// would make the guest a user (rule 11).
  @Test func aServerGuestIsNeverGivenARole() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
    defer { sandbox.stop() }
    let result = try await run(
      "version: 1\nusers:\n  - username: gwen\n    teams:\n      eng:\n        channels: { help: [admin] }\n", sandbox)
    #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("gwen: is a guest on the server"), "\(result.stdout)")
  }
}
