import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// A guest's last channel in a team (shared/design/memberships-server.md A5 rule 11;
/// server/channels/app/channel.go removeUserFromChannel): the server takes the guest out of the team with
/// it. roster refuses a plan that would do that to a team the guest is declared in, and says so when it
/// cannot tell (the guest's other channels were not read); roster-sandbox does what the server does.
@Suite struct GuestMembershipEndToEndTests {
  static let seed = """
    {
      "users": [
        {"username": "admin", "email": "admin@example.com", "password": "sandbox-admin-password",
         "roles": "system_admin system_user"},
        {"username": "alice", "email": "alice@example.com", "password": "alice-password-1"},
        {"username": "gwen", "email": "gwen@example.com", "password": "gwen-password-1", "roles": "system_guest"}
      ],
      "teams": [
        {"name": "eng", "members": [{"user": "admin", "scheme_admin": true}, {"user": "alice"}, {"user": "gwen"}]}
      ],
      "channels": [
        {"team": "eng", "name": "help", "members": [{"user": "alice"}, {"user": "gwen"}]},
        {"team": "eng", "name": "incidents", "members": [{"user": "alice"}]}
      ]
    }
    """

  /// The registry removes everyone undeclared from eng/help.
  static let registry = """
    version: 1
    teams:
      eng:
        channels:
          help: { unmanaged_members: remove }
    users:
      - username: admin
      - username: alice
        teams:
          eng:
            channels: { help: [], incidents: [] }
    """

  func sandbox() async throws -> SandboxProcess {
    try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
  }

  /// gwen's team rows are the sandbox's to tell: is she in eng?
  func inEng(_ sandbox: SandboxProcess) async throws -> Bool {
    let users = try await sandbox.call("POST", "/users/usernames", json: #"["gwen"]"#).array
    let id = try #require(users.first?["id"] as? String)
    let rows = try await sandbox.call("GET", "/users/\(id)/teams/members").array
    return rows.contains { ($0["delete_at"] as? Int) == 0 }
  }

  /// An undeclared guest removed from her only channel: the plan says she may leave the team, the apply
  /// succeeds and its check agrees, the server has taken her out of eng, and the next plan is empty.
  @Test func anUndeclaredGuestLeavesTheTeamWithHerLastChannel() async throws {
    let sandbox = try await sandbox()
    defer { sandbox.stop() }
    let file = try temporaryFile("roster.yaml", Self.registry)
    let plan = try await RosterCLI.run(["plan", "-f", file] + sandbox.connection)
    #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    let said = plan.stdout + plan.stderr
    #expect(said.contains("remove gwen from channel eng/help"), "\(said)")
    #expect(
      said.contains("gwen: is a guest: if eng/help is their last channel in team eng, the server takes them out"),
      "\(said)")
    let apply = try await RosterCLI.run(["apply", "-f", file, "--auto-approve"] + sandbox.connection)
    #expect(apply.status == 0, "the check after apply agrees: \(apply.stdout)\(apply.stderr)")
    #expect(try await !inEng(sandbox), "the server took the guest out of the team with her last channel")
    let again = try await RosterCLI.run(["plan", "-f", file, "--detailed-exitcode"] + sandbox.connection)
    #expect(again.status == 0, "converged: \(again.stdout)\(again.stderr)")
  }

  /// A guest declared in eng whose last channel there would go (by the registry, or by declaring no
  /// channel while the server knows her as a guest): a plan error, nothing written.
  @Test(arguments: [
    GuestMembershipEndToEndTests.registry + "\n  - username: gwen\n    teams:\n      eng: {}\n",
    "version: 1\nusers:\n  - username: gwen\n    teams:\n      eng:\n        channels: {}\n",
  ])
  func aDeclaredGuestKeepsAChannelInHerTeam(manifest: String) async throws {
    let sandbox = try await sandbox()
    defer { sandbox.stop() }
    let plan = try await RosterCLI.run(["plan", "-f", try temporaryFile("roster.yaml", manifest)] + sandbox.connection)
    #expect(plan.status == 1, "\(plan.stdout)\(plan.stderr)")
    #expect(
      (plan.stdout + plan.stderr).contains(
        "gwen: is a guest: removing them from eng/help leaves them in no channel of team eng, and the server then "
          + "takes a guest out of the team too"), "\(plan.stdout)\(plan.stderr)")
    #expect(try await sandbox.requestLog().writes == 0)
    #expect(try await inEng(sandbox))
  }
}
