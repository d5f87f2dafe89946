import Foundation
import RosterSandbox
import RosterTestSupport
import Testing

/// PUT /bots/{id} and POST /bots/{id}/assign/{user_id} (api4/bot.go patchBot, assignBot; app/bot.go
/// PatchBot, UpdateBotOwner).
extension SandboxBotsTests {
  @Test func putBotPatchesTheBotAndItsUser() async throws {
    let sandbox = try await InProcessSandbox { $0.seed = Self.seed() }
    let bot = try await id(sandbox, "olgabot")
    let patched = try await sandbox.call(
      "PUT", "/bots/\(bot)", json: #"{"display_name":"Builder","description":"ships"}"#)
    #expect(patched.status == 200)
    #expect(
      patched.object["display_name"] as? String == "Builder" && patched.object["description"] as? String == "ships")
    #expect(try await sandbox.call("GET", "/users/\(bot)").object["first_name"] as? String == "Builder")
    let renamed = try await sandbox.call("PUT", "/bots/\(bot)", json: #"{"username":"buildbot"}"#)
    #expect(renamed.object["username"] as? String == "buildbot")
    #expect(try await sandbox.call("GET", "/users/\(bot)").object["email"] as? String == "buildbot@localhost")
    let long = String(repeating: "d", count: 1025)
    let refused = try await sandbox.call("PUT", "/bots/\(bot)", json: #"{"description":"\#(long)"}"#)
    #expect(refused.status == 400 && refused.errorID == "model.bot.is_valid.description.app_error")
    #expect(try await sandbox.call("PATCH", "/bots/\(bot)", json: "{}").status != 200, "no PATCH route")
    let taken = try await sandbox.call("PUT", "/bots/\(bot)", json: #"{"username":"olga"}"#)
    #expect(taken.status == 400 && taken.errorID == "app.user.save.username_exists.app_error")
  }

  @Test func assignMovesTheOwnerButNeverToABot() async throws {
    let sandbox = try await InProcessSandbox { $0.seed = Self.seed() }
    let bot = try await id(sandbox, "olgabot")
    let admin = try await id(sandbox, "admin")
    let moved = try await sandbox.call("POST", "/bots/\(bot)/assign/\(admin)")
    #expect(moved.status == 200 && moved.object["owner_id"] as? String == admin)
    let legacy = try await id(sandbox, "legacybot")
    let toBot = try await sandbox.call("POST", "/bots/\(bot)/assign/\(legacy)")
    #expect(toBot.status == 403)
    #expect(try await sandbox.call("POST", "/bots/\(bot)/assign/nope").status == 400)
    // An owner who only has manage_bots loses the bot once it is assigned away.
    let olga = try await login(sandbox, "olga")
    #expect(try await sandbox.call("POST", "/bots/\(bot)/assign/\(admin)", token: olga).status != 200)
  }
}
