import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// Usernames are not identities: privilege follows the account, and roster runs as a bot safely
/// (issue: safety and the real server, points 2, 3 and 8), against roster-sandbox's bots and renames.
@Suite struct IdentityTests {
  static let botToken = "cibotsecrettoken0000000000"

  /// A system-admin bot owned by olivia is the CI identity. Deactivating olivia would disable the bot
  /// and its token (app/bot.go disableUserBots): the plan refuses, and the sandbox shows why.
  @Test func rosterRunningAsABotNeverDeactivatesTheBotsOwner() async throws {
    let seed = try temporaryFile(
      "seed.json",
      #"""
      {"users":[
        {"username":"admin","email":"admin@example.com","roles":"system_admin system_user"},
        {"username":"olivia","email":"o@example.com","roles":"system_admin system_user"},
        {"username":"ci-bot","is_bot":true,"owner":"olivia","roles":"system_admin system_user",
         "tokens":[{"description":"ci","token":"\#(Self.botToken)"}]},
        {"username":"x","email":"x@example.com"}
      ]}
      """#)
    let sandbox = try await SandboxProcess(["--seed", seed])
    let asBot = ["--url", sandbox.url, "--token", Self.botToken]
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n  - username: admin\n  - username: x\n  - username: olivia\n    active: false\n")
    let plan = try await RosterCLI.run(["plan", "-f", manifest] + asBot)
    #expect(plan.status == 1, "\(plan.stdout)\(plan.stderr)")
    #expect(plan.stdout.contains("olivia: cannot deactivate olivia: it owns the bot ci-bot that roster runs as"))
    #expect(try await sandbox.requestLog().byRoute.keys.contains { $0.contains("/bots/") }, "the owner was read")
    let apply = try await RosterCLI.run(["apply", "-f", manifest, "--auto-approve"] + asBot)
    #expect(apply.status == 1)
    #expect(try await sandbox.requestLog().writes == 0)
    // What the refusal prevents: deactivating the owner disables the bot, and its token stops working.
    let me = try await sandbox.call("GET", "/users/me", token: Self.botToken)
    #expect(me.status == 200)
    let olivia = try await sandbox.call("GET", "/users/username/olivia").object["id"] as? String ?? ""
    #expect(try await sandbox.call("DELETE", "/users/\(olivia)").status == 200)
    #expect(try await sandbox.call("GET", "/users/me", token: Self.botToken).status == 401)
  }

  /// The README's rename example with a departed robin still on the server: no reactivation of the old
  /// account, no deactivation of rob, an error naming both.
  @Test func aRenameNeverReactivatesAnotherAccountHoldingTheNewName() async throws {
    let seed = try temporaryFile(
      "seed.json",
      #"""
      {"users":[
        {"username":"admin","email":"admin@example.com","roles":"system_admin system_user"},
        {"username":"robin","email":"robin.old@example.com","active":false},
        {"username":"rob","email":"rob@example.com"}
      ]}
      """#)
    let sandbox = try await SandboxProcess(["--seed", seed])
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nsettings:\n  unmanaged_users: deactivate\nusers:\n  - username: admin\n"
        + "  - username: robin\n    previous_usernames: [rob]\n    email: rob@example.com\n")
    let plan = try await RosterCLI.run(["plan", "-f", manifest] + sandbox.connection)
    #expect(plan.status == 1, "\(plan.stdout)")
    #expect(plan.stdout.contains("roster will not reactivate the old robin"), "\(plan.stdout)")
    #expect(!plan.stdout.contains("reactivate user robin") && !plan.stdout.contains("deactivate user rob"))
  }

  /// A reviewed create of an admin meets an ordinary user who renamed themselves to the pending name
  /// before the merge: the plan refuses instead of handing the squatter system_admin, and a saved plan
  /// made before the squat is stale.
  @Test func aSquattedPendingNameNeverReceivesTheReviewedPrivileges() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(1)])
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n  - username: admin\n  - username: user01\n"
        + "  - username: newhire\n    email: newhire@example.com\n    password: ${PW}\n"
        + "    roles: [system_user, system_admin]\n")
    let env = ["PW": "a-long-enough-password"]
    let saved = try temporaryFile("p.plan", "")
    let before = try await RosterCLI.run(
      ["plan", "-f", manifest, "--out", saved] + sandbox.connection, environment: env)
    #expect(before.status == 0 && before.stdout.contains("+ create user newhire"), "\(before.stdout)")
    // user01 renames their own account (users may patch their own username).
    let user01 = try await sandbox.call("GET", "/users/username/user01").object["id"] as? String ?? ""
    #expect(
      try await sandbox.call("PUT", "/users/\(user01)/patch", json: #"{"username":"newhire"}"#).status == 200)
    let after = try await RosterCLI.run(["plan", "-f", manifest] + sandbox.connection, environment: env)
    #expect(after.status == 1, "\(after.stdout)")
    #expect(after.stdout.contains("newhire is declared to be created"), "\(after.stdout)")
    #expect(!after.stdout.contains("system_admin]"), "no roles step for the squatter: \(after.stdout)")
    try await sandbox.clearLog()
    let stale = try await RosterCLI.run(["apply", saved, "--auto-approve"] + sandbox.connection, environment: env)
    #expect(stale.status == 3 && stale.stderr.contains("user newhire appeared"), "\(stale.stderr)")
    #expect(try await sandbox.requestLog().writes == 0)
  }
}
