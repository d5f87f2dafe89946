import Foundation
import RosterClient
import RosterSandbox
import RosterTestSupport
import Testing

/// Bot accounts and their owners (api4/bot.go, app/bot.go, app/user.go userDeactivated, model/bot.go).
@Suite(.serialized, .inProcessSandboxes) struct SandboxBotsTests {
  static let ownerPassword = "password-1"

  /// A seed with an owner (olga), her bot (olgabot, with a token) and an admin-owned bot.
  static func seed(_ settings: SeedSettings? = nil) -> SandboxSeed {
    var olga = SeedUser(username: "olga", password: ownerPassword)
    olga.first_name = "Olga"
    var bot = SeedUser(username: "olgabot")
    bot.is_bot = true
    bot.bot_description = "builds"
    bot.owner = "olga"
    bot.tokens = [SeedToken(id: nil, token: "olgabottoken0000000000000a", description: "ci")]
    var legacy = SeedUser(username: "legacybot")
    legacy.is_bot = true
    return SandboxSeed(users: SandboxSeed.minimal.users + [olga, bot, legacy], settings: settings)
  }

  static func enabled() -> SeedSettings {
    var settings = SeedSettings()
    settings.enable_bot_account_creation = true
    return settings
  }

  func id(_ sandbox: InProcessSandbox, _ username: String) async throws -> String {
    try #require(try await sandbox.call("GET", "/users/username/\(username)").object["id"] as? String)
  }

  func login(_ sandbox: InProcessSandbox, _ username: String) async throws -> String {
    let response = try await sandbox.call(
      "POST", "/users/login", json: #"{"login_id":"\#(username)","password":"\#(Self.ownerPassword)"}"#, token: "")
    return try #require(response.headers["token"])
  }

  /// api4/bot.go createBot: body, then create_bot, then the bot-caller check, then
  /// EnableBotAccountCreation (off by default, model/config.go); the caller owns what it creates.
  @Test func createBotFollowsTheHandlersOrder() async throws {
    let off = try await InProcessSandbox { $0.seed = Self.seed() }
    let disabled = try await off.call("POST", "/bots", json: #"{"username":"newbot"}"#)
    #expect(disabled.status == 403 && disabled.errorID == "api.bot.create_disabled")
    #expect(try await off.call("POST", "/bots", json: "null").status == 400, "the body is read first")

    let sandbox = try await InProcessSandbox { $0.seed = Self.seed(Self.enabled()) }
    let created = try await sandbox.call(
      "POST", "/bots", json: #"{"username":"newbot","display_name":"New","description":"does things"}"#)
    #expect(created.status == 201, "\(created.text)")
    let admin = try #require(try await sandbox.call("GET", "/users/me").object["id"] as? String)
    #expect(created.object["owner_id"] as? String == admin)
    #expect(created.object["display_name"] as? String == "New" && created.object["delete_at"] as? Int == 0)
    let user = try await sandbox.call("GET", "/users/username/newbot").object
    #expect(user["is_bot"] as? Bool == true && user["bot_description"] as? String == "does things")
    #expect(user["email"] as? String == "newbot@localhost" && user["first_name"] as? String == "New")

    let human = try await login(sandbox, "olga")
    let plain = try await sandbox.call("POST", "/bots", json: #"{"username":"hers"}"#, token: human)
    #expect(plain.status == 403 && plain.errorID == "api.context.permissions.app_error")
    let taken = try await sandbox.call("POST", "/bots", json: #"{"username":"olga"}"#)
    #expect(taken.status == 400 && taken.errorID == "app.user.save.username_exists.app_error")
    let upper = try await sandbox.call("POST", "/bots", json: #"{"username":"Upper"}"#)
    #expect(upper.status == 400 && upper.errorID == "model.bot.is_valid.username.app_error")
  }

  /// api4/bot.go createBot refuses a bot caller with the create_bot permission error, even an admin bot.
  @Test func aBotCannotCreateBots() async throws {
    var seed = Self.seed(Self.enabled())
    var adminBot = SeedUser(username: "adminbot", roles: "system_user system_admin")
    adminBot.is_bot = true
    adminBot.tokens = [SeedToken(id: nil, token: "adminbottoken0000000000000", description: "x")]
    seed.users.append(adminBot)
    let sandbox = try await InProcessSandbox { $0.seed = seed }
    let refused = try await sandbox.call(
      "POST", "/bots", json: #"{"username":"child"}"#, token: "adminbottoken0000000000000")
    #expect(refused.status == 403 && refused.errorID == "api.context.permissions.app_error", "\(refused.text)")
  }

  /// api4/bot.go getBot, getBots; store/sqlstore/bot_store.go Get, GetAll. A seeded bot without an owner
  /// belongs to the seed's admin.
  @Test func readingBotsShowsOwnersAndHidesThemFromOthers() async throws {
    let sandbox = try await InProcessSandbox { $0.seed = Self.seed() }
    let (olga, botID, legacy) = (
      try await id(sandbox, "olga"), try await id(sandbox, "olgabot"), try await id(sandbox, "legacybot")
    )
    let admin = try #require(try await sandbox.call("GET", "/users/me").object["id"] as? String)
    let bot = try await sandbox.call("GET", "/bots/\(botID)")
    #expect(
      bot.status == 200 && bot.object["owner_id"] as? String == olga && bot.object["username"] as? String == "olgabot")
    #expect(try await sandbox.call("GET", "/bots/\(legacy)").object["owner_id"] as? String == admin)
    #expect(try await sandbox.call("GET", "/bots/\(olga)").errorID == "store.sql_bot.get.missing.app_error")
    #expect(try await sandbox.call("GET", "/bots/nope").errorID == "api.context.invalid_url_param.app_error")
    let human = try await login(sandbox, "olga")
    let hidden = try await sandbox.call("GET", "/bots/\(botID)", token: human)
    #expect(hidden.status == 404, "without read_bots even the owner is told it does not exist")
    let forbidden = try await sandbox.call("GET", "/bots", token: human)
    #expect(forbidden.status == 403 && forbidden.errorID == "api.context.permissions.app_error")
    let page = try await sandbox.call("GET", "/bots?per_page=1&page=1").array
    #expect(page.count == 1)
    #expect(try await sandbox.call("GET", "/bots?per_page=500").array.count == 2)
  }

  /// app/user.go userDeactivated, app/bot.go disableUserBots and UpdateBotActive: deactivating the owner
  /// disables the bot (user and bot row), its token then gets 401, and reactivating the owner leaves
  /// the bot disabled. `only_orphaned` lists bots whose owner is deactivated.
  @Test func deactivatingTheOwnerDisablesTheBot() async throws {
    let sandbox = try await InProcessSandbox { $0.seed = Self.seed() }
    let (olga, botID) = (try await id(sandbox, "olga"), try await id(sandbox, "olgabot"))
    let token = "olgabottoken0000000000000a"
    #expect(try await sandbox.call("GET", "/users/me", token: token).status == 200)
    #expect(try await sandbox.call("GET", "/bots?only_orphaned=true").array.isEmpty)
    #expect(try await sandbox.call("PUT", "/users/\(olga)/active", json: #"{"active":false}"#).status == 200)

    #expect(try await sandbox.call("GET", "/users/\(botID)").object["delete_at"] as? Int != 0)
    #expect(try await sandbox.call("GET", "/bots/\(botID)").status == 404, "a disabled bot needs include_deleted")
    let disabled = try await sandbox.call("GET", "/bots/\(botID)?include_deleted=True").object
    #expect(disabled["delete_at"] as? Int != 0 && disabled["owner_id"] as? String == olga)
    let rejected = try await sandbox.call("GET", "/users/me", token: token)
    #expect(rejected.status == 401 && rejected.errorID == "api.context.session_expired.app_error")
    let orphans = try await sandbox.call("GET", "/bots?only_orphaned=1&include_deleted=1").array
    #expect(orphans.map { $0["user_id"] as? String } == [botID])

    #expect(try await sandbox.call("PUT", "/users/\(olga)/active", json: #"{"active":true}"#).status == 200)
    #expect(try await sandbox.call("GET", "/users/me", token: token).status == 401, "bots stay disabled")
    let enabled = try await sandbox.call("POST", "/bots/\(botID)/enable")
    #expect(enabled.status == 200 && enabled.object["delete_at"] as? Int == 0)
    #expect(try await sandbox.call("GET", "/users/me", token: token).status == 200)
  }

  /// DisableBotsWhenOwnerIsDeactivated off: the owner's bots stay as they are.
  @Test func ownersBotsStayWhenTheSettingIsOff() async throws {
    var settings = SeedSettings()
    settings.disable_bots_when_owner_is_deactivated = false
    let sandbox = try await InProcessSandbox { $0.seed = Self.seed(settings) }
    let olga = try await id(sandbox, "olga")
    _ = try await sandbox.call("DELETE", "/users/\(olga)")
    #expect(try await sandbox.call("GET", "/users/me", token: "olgabottoken0000000000000a").status == 200)
  }

  /// api4/bot.go updateBotActive after SessionHasPermissionToManageBot: disable sets the bot row's and
  /// the user's delete_at; deactivating the bot's user alone leaves the bot row as it is.
  @Test func disableAndEnableMoveBothDeleteAts() async throws {
    let sandbox = try await InProcessSandbox { $0.seed = Self.seed() }
    let botID = try await id(sandbox, "olgabot")
    let disabled = try await sandbox.call("POST", "/bots/\(botID)/disable")
    #expect(disabled.status == 200 && disabled.object["delete_at"] as? Int != 0)
    #expect(try await sandbox.call("GET", "/users/\(botID)").object["delete_at"] as? Int != 0)
    let human = try await login(sandbox, "olga")
    #expect(try await sandbox.call("POST", "/bots/\(botID)/enable", token: human).status == 404)
    _ = try await sandbox.call("POST", "/bots/\(botID)/enable")
    _ = try await sandbox.call("PUT", "/users/\(botID)/active", json: #"{"active":false}"#)
    #expect(try await sandbox.call("GET", "/bots/\(botID)").object["delete_at"] as? Int == 0)
    #expect(try await sandbox.call("POST", "/bots/abcdefghijklmnopqrstuvwxyz/disable").status == 404)
  }

  /// The seed's `owner` must name a user of the seed and only a bot may have one; the state file keeps
  /// the owner (as `owner_id`) and the bot row's delete_at.
  @Test func seedOwnersAreCheckedAndSurviveTheStateFile() async throws {
    var unknownOwner = Self.seed()
    unknownOwner.users[2].owner = "nobody"
    var ownedHuman = Self.seed()
    ownedHuman.users[1].owner = "admin"
    for bad in [unknownOwner, ownedHuman] {
      await #expect(throws: SeedError.self) { _ = try await InProcessSandbox { $0.seed = bad } }
    }

    let state = FileManager.default.temporaryDirectory.appendingPathComponent("bots-\(UUID()).json").path
    defer { try? FileManager.default.removeItem(atPath: state) }
    let first = try await InProcessSandbox {
      $0.seed = Self.seed()
      $0.statePath = state
    }
    let botID = try await id(first, "olgabot")
    _ = try await first.call("POST", "/bots/\(botID)/disable")
    let olga = try await id(first, "olga")
    let again = try await InProcessSandbox { $0.statePath = state }
    let bot = try await again.call("GET", "/bots/\(botID)?include_deleted=true").object
    #expect(bot["owner_id"] as? String == olga && bot["delete_at"] as? Int != 0)
  }
}
