import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// Batch adds that partly fail (shared/design/memberships-server.md A5 rules 7, 8 and 10): the server
/// changes between a saved plan and its apply, the team batch (`graceful=true`) refuses some users one by
/// one, and the channel add answers 201 with only the members it added. apply names exactly the
/// memberships that failed, exits 4, writes nothing more, and once the cause is fixed a new plan holds only
/// what is missing, and converges.
@Suite struct MembershipPartialFailureTests {
  static func seed(_ settings: String) -> String {
    var users = [
      #"{"username": "admin", "email": "admin@example.com", "password": "sandbox-admin-password", "roles": "system_admin system_user"}"#
    ]
    for (name, domain) in [
      ("alice", "example.com"), ("bea", "example.com"), ("cid", "other.org"), ("dave", "example.com"),
      ("erin", "example.com"), ("xi", "example.com"), ("yan", "example.com"), ("zed", "example.com"),
    ] {
      users.append(#"{"username": "\#(name)", "email": "\#(name)@\#(domain)", "password": "\#(name)-password-1"}"#)
    }
    return """
      {
        "settings": {\(settings)},
        "users": [\(users.joined(separator: ",\n"))],
        "teams": [{"name": "eng", "members": [{"user": "admin", "scheme_admin": true}, {"user": "alice"}, {"user": "dave"}]}],
        "channels": [{"team": "eng", "name": "help", "members": [{"user": "alice"}]}]
      }
      """
  }

  static let manifest = """
    version: 1
    users:
      - username: admin
      - username: alice
        teams: { eng: { channels: { help: [] } } }
      - username: bea
        teams: { eng: { channels: { help: [] } } }
      - username: cid
        teams: { eng: { channels: { help: [] } } }
      - username: dave
        teams: { eng: { channels: { help: [] } } }
      - username: erin
        teams: { eng: { channels: { help: [] } } }
    """

  func steps(_ plan: RunResult) throws -> Set<String> {
    Set(try PlanDocument.decode(Data(plan.stdout.utf8)).steps.map { "\($0.kind.rawValue) \($0.username)" })
  }

  func id(_ sandbox: SandboxProcess, _ name: String) async throws -> String {
    let users = try await sandbox.call("POST", "/users/usernames", json: #"["\#(name)"]"#).array
    return try #require(users.first?["id"] as? String)
  }

  @Test func refusedUsersAreReportedAndARerunAddsOnlyThem() async throws {
    let sandbox = try await SandboxProcess([
      "--seed", try temporaryFile("seed.json", Self.seed(#""max_users_per_team": 6"#)),
    ])
    defer { sandbox.stop() }
    let file = try temporaryFile("roster.yaml", Self.manifest)
    let saved = try temporaryFile("plan.json", "")
    let plan = try await RosterCLI.run(["plan", "-f", file, "--out", saved] + sandbox.connection)
    #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")

    // Between plan and apply: an administrator restricts the domains (cid is at other.org), takes dave out
    // of eng, and fills eng up to one free place with three others.
    _ = try await sandbox.inspect("POST", "/settings", json: #"{"restrict_creation_to_domains": "example.com"}"#)
    let eng = try #require(try await sandbox.call("GET", "/teams/name/eng").object["id"] as? String)
    #expect(try await sandbox.call("DELETE", "/teams/\(eng)/members/\(try await id(sandbox, "dave"))").status == 200)
    for name in ["xi", "yan", "zed"] {
      let body = #"{"team_id":"\#(eng)","user_id":"\#(try await id(sandbox, name))"}"#
      #expect(try await sandbox.call("POST", "/teams/\(eng)/members", json: body).status == 201)
    }
    try await sandbox.clearLog()
    let apply = try await RosterCLI.run(["apply", saved] + sandbox.connection)
    #expect(apply.status == 4, "some steps failed: \(apply.stdout)\(apply.stderr)")
    let failed = Set(apply.stdout.split(separator: "\n").filter { $0.hasPrefix("  failed:") }.map(String.init))
    #expect(failed.count == 3, "\(apply.stdout)")
    #expect(failed.contains { $0.contains("add cid to team eng") && $0.contains("allowed_domains") }, "\(failed)")
    #expect(failed.contains { $0.contains("add erin to team eng") && $0.contains("max_accounts") }, "\(failed)")
    #expect(failed.contains { $0.contains("add dave to channel eng/help") }, "\(failed)")
    #expect(
      apply.stdout.contains("add cid to channel eng/help") && apply.stdout.contains("add erin to channel eng/help"))
    // One team batch and one channel add: nothing retried, nothing else written.
    let log = try await sandbox.requestLog()
    #expect(log.writes == 2, "\(log.byRoute)")

    // The cause fixed: the next plan holds only what is missing; applied, the plan after is empty.
    _ = try await sandbox.inspect(
      "POST", "/settings", json: #"{"restrict_creation_to_domains": "", "max_users_per_team": 50}"#)
    let again = try await RosterCLI.run(["plan", "-f", file, "--format", "json"] + sandbox.connection)
    #expect(
      try steps(again) == [
        "add_team_member cid", "add_team_member dave", "add_team_member erin", "add_channel_member cid",
        "add_channel_member dave", "add_channel_member erin",
      ], "\(again.stdout)")
    let rerun = try await RosterCLI.run(["apply", "-f", file, "--auto-approve"] + sandbox.connection)
    #expect(rerun.status == 0, "\(rerun.stdout)\(rerun.stderr)")
    let empty = try await RosterCLI.run(["plan", "-f", file, "--detailed-exitcode"] + sandbox.connection)
    #expect(empty.status == 0, "converged: \(empty.stdout)\(empty.stderr)")
  }

  /// A server that refuses `user_ids` with 400 (before mattermost#28210): one call per user; a user it
  /// refuses fails alone while the others are added, and the next plan holds only that user.
  @Test func aServerWithoutUserIDsGetsOneCallPerUser() async throws {
    let sandbox = try await SandboxProcess(
      ["--seed", try temporaryFile("seed.json", Self.seed(#""channel_add_user_ids": false"#))])
    defer { sandbox.stop() }
    let yaml =
      "version: 1\nusers:\n  - username: admin\n"
      + ["alice", "bea", "dave"].map {
        "  - username: \($0)\n    teams: { eng: { channels: { help: [] } } }\n"
      }.joined()
    let file = try temporaryFile("roster.yaml", yaml)
    let saved = try temporaryFile("plan.json", "")
    let plan = try await RosterCLI.run(["plan", "-f", file, "--out", saved] + sandbox.connection)
    #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    let eng = try #require(try await sandbox.call("GET", "/teams/name/eng").object["id"] as? String)
    #expect(try await sandbox.call("DELETE", "/teams/\(eng)/members/\(try await id(sandbox, "dave"))").status == 200)
    try await sandbox.clearLog()
    let apply = try await RosterCLI.run(["apply", saved] + sandbox.connection)
    #expect(apply.status == 4, "\(apply.stdout)\(apply.stderr)")
    let failed = apply.stdout.split(separator: "\n").filter { $0.hasPrefix("  failed:") }
    #expect(failed.count == 1 && failed[0].contains("add dave to channel eng/help"), "\(apply.stdout)")
    let log = try await sandbox.requestLog()
    // The refused user_ids call, then one call for bea and one for dave; and bea's team add.
    #expect(log.byRoute["POST /api/v4/channels/{channel_id}/members"] == 3, "\(log.byRoute)")
    #expect(log.writes == 4, "\(log.byRoute)")
    let again = try await RosterCLI.run(["plan", "-f", file, "--format", "json"] + sandbox.connection)
    #expect(try steps(again) == ["add_team_member dave", "add_channel_member dave"], "\(again.stdout)")
  }
}
