import Foundation
import RosterTestSupport
import Testing

/// Bots as accounts of the manifest (`bots:`), against a real roster-sandbox: create, update, reassign,
/// roles and tokens, disable, export, `--only`, `unmanaged_bots`, and a bot caller that cannot create bots.
@Suite struct BotsEndToEndTests {
  static let seed = """
    {"users":[
      {"username":"admin","email":"admin@example.com","roles":"system_admin system_user"},
      {"username":"alice","email":"alice@example.com"},
      {"username":"bob","email":"bob@example.com"},
      {"username":"old-bot","is_bot":true,"first_name":"Old","bot_description":"legacy","owner":"alice",
       "roles":"system_user system_admin",
       "tokens":[{"id":"oldbottoken000000000000000","token":"oldbotsecret00000000000000","description":"legacy"}]},
      {"username":"stray-bot","is_bot":true,"owner":"bob"}
    ],
    "settings":{"enable_bot_account_creation":true}}
    """

  func sandbox() async throws -> SandboxProcess {
    try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
  }

  func manifest(_ yaml: String) throws -> String { try temporaryFile("roster.yaml", "version: 1\n" + yaml) }

  func bot(_ name: String, _ sandbox: SandboxProcess) async throws -> [String: Any]? {
    try await sandbox.call("GET", "/bots?include_deleted=true&per_page=200").array.first { bot in
      bot["username"] as? String == name
    }
  }

  func userID(_ name: String, _ sandbox: SandboxProcess) async throws -> String {
    try #require(try await sandbox.call("GET", "/users/username/\(name)").object["id"] as? String)
  }

  @Test func aDeclaredBotIsCreatedAssignedGivenRolesAndATokenThenNothingIsLeft() async throws {
    let sandbox = try await sandbox()
    defer { sandbox.stop() }
    let file = try manifest(
      """
      bots:
        - username: ci-bot
          display_name: CI
          description: deploys from the pipeline
          owner: alice
          roles: [system_user, system_post_all]
          tokens:
            - description: deploy
              rotate_after_days: 90
      """)
    let plan = try await RosterCLI.run(["plan", "-f", file] + sandbox.connection)
    #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    for line in [
      "+ create bot ci-bot", "~ assign bot ci-bot to alice", "~ set roles of ci-bot",
      "+ create token \"deploy\" for ci-bot",
    ] {
      #expect(plan.stdout.contains(line), "\(line) missing from\n\(plan.stdout)")
    }
    let secrets = try temporaryFile("secrets.jsonl", "")
    try FileManager.default.removeItem(atPath: secrets)
    let apply = try await RosterCLI.run(
      ["apply", "-f", file, "--auto-approve", "--secrets-file", secrets] + sandbox.connection)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    let bot = try #require(try await bot("ci-bot", sandbox))
    #expect(bot["owner_id"] as? String == (try await userID("alice", sandbox)))
    #expect(bot["display_name"] as? String == "CI" && bot["description"] as? String == "deploys from the pipeline")
    let user = try await sandbox.call("GET", "/users/username/ci-bot").object
    #expect(user["roles"] as? String == "system_user system_post_all")
    #expect((try String(contentsOfFile: secrets, encoding: .utf8)).contains("ci-bot"))
    let again = try await RosterCLI.run(["plan", "-f", file, "--detailed-exitcode"] + sandbox.connection)
    #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
    // Export writes the bot back, and planning the export changes nothing.
    let export = try await RosterCLI.run(["export", "--fields", "email,roles,active,tokens"] + sandbox.connection)
    #expect(export.stdout.contains("bots:\n  - username: ci-bot\n    display_name: CI\n"), "\(export.stdout)")
    #expect(export.stdout.contains("    owner: alice\n    roles: [system_user, system_post_all]\n"))
    let exported = try temporaryFile("exported.yaml", export.stdout)
    let roundTrip = try await RosterCLI.run(["plan", "-f", exported, "--detailed-exitcode"] + sandbox.connection)
    #expect(roundTrip.status == 0, "\(roundTrip.stdout)\(roundTrip.stderr)")
  }

  @Test func anExistingBotIsUpdatedReassignedAndDisabledAsADeactivation() async throws {
    let sandbox = try await sandbox()
    defer { sandbox.stop() }
    let file = try manifest(
      """
      settings:
        max_deactivations: 0
      bots:
        - username: old-bot
          display_name: Legacy
          description: retired
          owner: bob
          active: false
      """)
    let plan = try await RosterCLI.run(["plan", "-f", file] + sandbox.connection)
    #expect(plan.stdout.contains("~ update bot old-bot"), "\(plan.stdout)")
    #expect(plan.stdout.contains("display_name: \"Old\" → \"Legacy\""), "\(plan.stdout)")
    #expect(plan.stdout.contains("~ assign bot old-bot to bob (owner was alice)"), "\(plan.stdout)")
    #expect(plan.stdout.contains("- disable bot old-bot"), "\(plan.stdout)")
    // Disabling counts as a deactivation, and its active token is disabled with it (on_deactivate).
    #expect(plan.stdout.contains("disable token \"legacy\" of old-bot"), "\(plan.stdout)")
    #expect(plan.stdout.contains("1 deactivations exceed max_deactivations"), "\(plan.stdout)")
    let refused = try await RosterCLI.run(["apply", "-f", file, "--auto-approve"] + sandbox.connection)
    #expect(refused.status != 0)
    #expect((try await bot("old-bot", sandbox))?["delete_at"] as? Int == 0)
    let apply = try await RosterCLI.run(["apply", "-f", file, "--auto-approve", "--force"] + sandbox.connection)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    let bot = try #require(try await bot("old-bot", sandbox))
    #expect((bot["delete_at"] as? Int ?? 0) != 0)
    #expect(bot["owner_id"] as? String == (try await userID("bob", sandbox)))
    #expect(bot["display_name"] as? String == "Legacy" && bot["description"] as? String == "retired")
    let tokens = try await sandbox.call("GET", "/users/\(try await userID("old-bot", sandbox))/tokens").array
    #expect(tokens.map { $0["is_active"] as? Bool } == [false])
  }

  @Test func undeclaredBotsAreLeftAloneUnlessUnmanagedBotsSaysDisable() async throws {
    let sandbox = try await sandbox()
    defer { sandbox.stop() }
    let users = "users:\n  - username: admin\n  - username: alice\n  - username: bob\n"
    let ignore = try manifest("settings:\n  unmanaged_users: deactivate\n" + users)
    let quiet = try await RosterCLI.run(["plan", "-f", ignore, "--detailed-exitcode"] + sandbox.connection)
    #expect(quiet.status == 0, "\(quiet.stdout)\(quiet.stderr)")
    let disable = try manifest(
      "settings:\n  unmanaged_bots: disable\n  max_deactivations: 5\n" + users + "bots:\n  - username: old-bot\n")
    let plan = try await RosterCLI.run(["plan", "-f", disable] + sandbox.connection)
    #expect(
      plan.stdout.contains("- disable bot stray-bot: not in the manifest; unmanaged_bots: disable"), "\(plan.stdout)")
    #expect(!plan.stdout.contains("disable bot old-bot"), "\(plan.stdout)")
    let apply = try await RosterCLI.run(["apply", "-f", disable, "--auto-approve"] + sandbox.connection)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    #expect(((try await bot("stray-bot", sandbox))?["delete_at"] as? Int ?? 0) != 0)
  }

  @Test func onlyTargetsABotAndLeavesTheRestOut() async throws {
    let sandbox = try await sandbox()
    defer { sandbox.stop() }
    let file = try manifest(
      "users:\n  - username: alice\n    nickname: al\nbots:\n  - username: old-bot\n    description: renamed\n")
    let plan = try await RosterCLI.run(["plan", "-f", file, "--only", "old-bot"] + sandbox.connection)
    #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    #expect(plan.stdout.contains("~ update bot old-bot") && !plan.stdout.contains("alice"), "\(plan.stdout)")
  }

  @Test func aBotCallerCannotPlanToCreateABot() async throws {
    let sandbox = try await sandbox()
    defer { sandbox.stop() }
    let file = try manifest("bots:\n  - username: new-bot\n")
    let plan = try await RosterCLI.run(
      ["plan", "-f", file, "--url", sandbox.url, "--token", "oldbotsecret00000000000000"])
    #expect(plan.status != 0)
    #expect(plan.stdout.contains("human admin's token"), "\(plan.stdout)\(plan.stderr)")
  }
}
