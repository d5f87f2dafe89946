import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// Team and channel memberships, `roster` against a `roster-sandbox` process that keeps the server's
/// rules on its own (shared/design/memberships-server.md): plan, apply, and a second plan that is empty.
@Suite struct MembershipEndToEndTests {
  static let seed = """
    {
      "users": [
        {"username": "admin", "email": "admin@example.com", "password": "sandbox-admin-password",
         "roles": "system_admin system_user"},
        {"username": "alice", "email": "alice@example.com", "password": "alice-password-1"},
        {"username": "dave", "email": "dave@example.com", "password": "dave-password-1"},
        {"username": "olga", "email": "olga@elsewhere.example", "password": "olga-password-1"}
      ],
      "teams": [
        {"name": "eng", "display_name": "Engineering",
         "members": [{"user": "admin", "scheme_admin": true}, {"user": "alice"}, {"user": "dave"}]},
        {"name": "ops", "display_name": "Operations", "members": [{"user": "dave"}]},
        {"name": "corp", "display_name": "Corp", "allowed_domains": "example.com"}
      ],
      "channels": [
        {"team": "eng", "name": "incidents", "members": [{"user": "alice"}, {"user": "dave"}]},
        {"team": "eng", "name": "deploys", "type": "P"},
        {"team": "ops", "name": "pager", "members": [{"user": "dave"}]}
      ]
    }
    """

  static let manifest = """
    version: 1
    users:
      - username: admin
      - username: alice
        teams:
          eng:
            roles: [admin]
            channels:
              incidents: [admin]
              deploys: []
      - username: dave
        teams: {}
      - username: erin
        email: erin@example.com
        password: ${ERIN_PASSWORD}
        teams:
          eng:
            channels: { deploys: [] }
    """

  static let env = ["ERIN_PASSWORD": "erin-password-1"]

  func sandbox() async throws -> SandboxProcess {
    try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
  }

  @Test func planApplyAndPlanAgainIsEmpty() async throws {
    let sandbox = try await sandbox()
    defer { sandbox.stop() }
    let file = try temporaryFile("roster.yaml", Self.manifest)
    let plan = try await RosterCLI.run(
      ["plan", "-f", file, "--format", "json", "--max-membership-removals", "100%"] + sandbox.connection,
      environment: Self.env)
    #expect(plan.status == 0, "\(plan.stderr)")
    let document = try PlanDocument.decode(Data(plan.stdout.utf8))
    let lines = Set(document.steps.map { "\($0.kind.rawValue) \($0.username) \($0.label)" })
    #expect(lines.contains("set_team_member_roles alice roles of alice in team eng"), "\(lines.sorted())")
    #expect(lines.contains("set_channel_member_roles alice roles of alice in channel eng/incidents"))
    #expect(lines.contains("add_channel_member alice add alice to channel eng/deploys"))
    #expect(lines.contains("add_team_member erin add erin to team eng"))
    #expect(lines.contains("add_channel_member erin add erin to channel eng/deploys"))
    #expect(lines.contains("remove_team_member dave remove dave from team eng"))
    #expect(lines.contains("remove_team_member dave remove dave from team ops"))
    // The team removal takes dave's channels with it: no channel removal of its own.
    #expect(!lines.contains { $0.hasPrefix("remove_channel_member dave") }, "\(lines.sorted())")
    let engRemoval = document.steps.first { $0.kind == .removeTeamMember && $0.label.hasSuffix("team eng") }
    guard case .removeTeamMember(_, let cascade)? = engRemoval?.membershipChange else {
      Issue.record("no removal of dave from eng")
      return
    }
    // town-square, off-topic and incidents.
    #expect(cascade == 3)

    try await sandbox.clearLog()
    let apply = try await RosterCLI.run(
      ["apply", "-f", file, "--auto-approve", "--max-membership-removals", "100%"] + sandbox.connection,
      environment: Self.env)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    let again = try await RosterCLI.run(
      ["plan", "-f", file, "--detailed-exitcode", "--max-membership-removals", "100%"] + sandbox.connection,
      environment: Self.env)
    #expect(again.status == 0, "converged: \(again.stdout)\(again.stderr)")

    // Export writes the memberships back; planning from the export changes nothing, and a second export
    // is the same bytes.
    let fields = "email,roles,active,teams,channels"
    let exported = try await RosterCLI.run(["export", "--fields", fields] + sandbox.connection)
    #expect(exported.status == 0, "\(exported.stderr)")
    #expect(
      exported.stdout.contains(
        "      eng:\n        roles: [admin]\n        channels:\n          deploys: []\n          incidents: [admin]"),
      "\(exported.stdout)")
    let roundTrip = try await RosterCLI.run(
      ["plan", "-f", try temporaryFile("export.yaml", exported.stdout), "--detailed-exitcode"] + sandbox.connection)
    #expect(roundTrip.status == 0, "export then plan: \(roundTrip.stdout)\(roundTrip.stderr)")
    let twice = try await RosterCLI.run(["export", "--fields", fields] + sandbox.connection)
    #expect(twice.stdout == exported.stdout)
  }

  @Test func theGateStopsManyRemovalsAndADomainRefusalIsAPlanError() async throws {
    let sandbox = try await sandbox()
    defer { sandbox.stop() }
    let gated = try await RosterCLI.run(
      ["plan", "-f", try temporaryFile("roster.yaml", Self.manifest)] + sandbox.connection, environment: Self.env)
    #expect(gated.status == 3, "\(gated.stdout)\(gated.stderr)")
    #expect(gated.stderr.contains("max_membership_removals"), "\(gated.stderr)")
    let refused = try await RosterCLI.run(
      [
        "plan", "-f",
        try temporaryFile("corp.yaml", "version: 1\nusers:\n  - username: olga\n    teams:\n      corp: {}\n"),
      ]
        + sandbox.connection,
      environment: Self.env)
    #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
    #expect(refused.stdout.contains("allowed domains"), "\(refused.stdout)")
    #expect(try await sandbox.requestLog().writes == 0)
  }

  /// A saved plan's membership steps are checked again at apply: an understated cascade (to pass the
  /// gate) is refused with nothing written, and the unedited file applies.
  @Test func aSavedPlanIsCheckedAgainAndApplies() async throws {
    let sandbox = try await sandbox()
    defer { sandbox.stop() }
    let file = try temporaryFile("roster.yaml", Self.manifest)
    let saved = try temporaryFile("plan.json", "")
    let plan = try await RosterCLI.run(
      ["plan", "-f", file, "--out", saved, "--max-membership-removals", "100%"] + sandbox.connection,
      environment: Self.env)
    #expect(plan.status == 0, "\(plan.stderr)")
    let text = try String(contentsOfFile: saved, encoding: .utf8)
    let edited = try temporaryFile(
      "edited.json", text.replacingOccurrences(of: "\"cascade\" : 3", with: "\"cascade\" : 0"))
    #expect(text.contains("\"cascade\" : 3"))
    try await sandbox.clearLog()
    let refused = try await RosterCLI.run(["apply", edited] + sandbox.connection, environment: Self.env)
    #expect(refused.status == 3, "\(refused.stdout)\(refused.stderr)")
    #expect(refused.stderr.contains("understates"), "\(refused.stderr)")
    #expect(try await sandbox.requestLog().writes == 0)
    let applied = try await RosterCLI.run(
      ["apply", saved, "--max-membership-removals", "100%"] + sandbox.connection, environment: Self.env)
    #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
    let again = try await RosterCLI.run(["apply", saved] + sandbox.connection, environment: Self.env)
    #expect(again.status == 3 && again.stderr.contains("changed since the plan"), "\(again.stderr)")
  }

  /// `--only` reads only the targeted user's memberships: the user's team rows and channel rows, with the
  /// listings of teams and channels, the team settings and the declared team's member count.
  @Test func onlyReadsTheTargetedUsersMemberships() async throws {
    let sandbox = try await sandbox()
    defer { sandbox.stop() }
    let file = try temporaryFile("roster.yaml", Self.manifest)
    try await sandbox.clearLog()
    _ = try await RosterCLI.run(["plan", "-f", file, "--only", "alice"] + sandbox.connection, environment: Self.env)
    let only = try await sandbox.requestLog()
    try await sandbox.clearLog()
    _ = try await RosterCLI.run(["plan", "-f", file] + sandbox.connection, environment: Self.env)
    let all = try await sandbox.requestLog()
    let memberReads = only.byRoute.filter { $0.key.contains("/teams/members") || $0.key.contains("/channels/members") }
    #expect(memberReads.values.reduce(0, +) == 2, "alice's team rows and her channel rows in eng: \(only.byRoute)")
    #expect(only.total <= 10 && only.total < all.total, "only \(only.total) of \(all.total): \(only.byRoute)")
  }
}
