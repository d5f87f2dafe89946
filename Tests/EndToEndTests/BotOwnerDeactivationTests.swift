import Foundation
import RosterTestSupport
import Testing

/// The server disables a deactivated user's bots (app/user.go userDeactivated -> app/bot.go
/// disableUserBots, DisableBotsWhenOwnerIsDeactivated on by default): a plan that deactivates the owner of
/// a bot it declares active would not converge, so it says so; handing the bot to another owner first does.
@Suite struct BotOwnerDeactivationTests {
  func manifest(owner: String?) throws -> String {
    try temporaryFile(
      "roster.yaml",
      """
      version: 1
      users:
        - username: alice
          active: false
      bots:
        - username: old-bot
      \(owner.map { "    owner: \($0)\n" } ?? "")
      """)
  }

  @Test func deactivatingTheOwnerOfADeclaredActiveBotIsAPlanErrorUntilTheBotHasAnotherOwner() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", BotsEndToEndTests.seed)])
    defer { sandbox.stop() }
    let refused = try await RosterCLI.run(["plan", "-f", try manifest(owner: nil)] + sandbox.connection)
    #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
    #expect(
      refused.stdout.contains("alice: bot old-bot is declared active, but its owner alice is deactivated by this plan"),
      "\(refused.stdout)\(refused.stderr)")

    let handed = try manifest(owner: "bob")
    // --only alice would drop old-bot's reassignment and keep alice's deactivation: refused as well.
    let only = try await RosterCLI.run(["plan", "-f", handed, "--only", "alice"] + sandbox.connection)
    #expect(only.status == 1, "\(only.stdout)\(only.stderr)")
    #expect(only.stdout.contains("alice: bot old-bot is declared active"), "\(only.stdout)\(only.stderr)")
    let apply = try await RosterCLI.run(
      ["apply", "-f", handed, "--auto-approve"]
        + sandbox.connection)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    let bot = try await sandbox.call("GET", "/bots?include_deleted=true&per_page=200").array.first {
      $0["username"] as? String == "old-bot"
    }
    #expect(bot?["delete_at"] as? Int == 0, "\(String(describing: bot))")
    let again = try await RosterCLI.run(["plan", "-f", handed, "--detailed-exitcode"] + sandbox.connection)
    #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
  }
}
