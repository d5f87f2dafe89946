import Foundation

/// Bot accounts (server/channels/api4/bot.go, app/bot.go, model/bot.go, store/sqlstore/bot_store.go).
extension SandboxStore {
  static let botNotFound = APIError(404, "store.sql_bot.get.missing.app_error", "Unable to find the existing bot.")

  /// `{bot_user_id}` must be an id (web/context.go RequireBotUserId).
  private func botID(_ id: String) throws(APIError) -> String {
    guard Self.isValidID(id) else { throw APIError.invalidURL("bot_user_id") }
    return id
  }

  private func botAnswer(_ bot: BotRecord, status: Int = 200) -> APIResponse {
    APIResponse(status: status, body: bot.json(user: users[bot.userID] ?? Self.missingUser(bot.userID)))
  }

  /// A stand-in for a bot whose user row is gone, which the store's JOIN would hide anyway.
  private static func missingUser(_ id: String) -> UserRecord {
    UserRecord(id: id, createAt: 0, updateAt: 0, username: "", email: "")
  }

  /// POST /bots (api4/bot.go createBot): the body is decoded first (null is 400), then create_bot (403),
  /// a bot caller refused with the same 403, then EnableBotAccountCreation (403 api.bot.create_disabled);
  /// the caller owns the bot. app/bot.go CreateBot: Bot.IsValidCreate, then the user store's Save of
  /// model.UserFromBot (email `<username>@localhost`, first_name the display name, roles system_user).
  func createBot(_ request: APIRequest) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    guard JSONValue.parse(request.body) != .null else { throw APIError.invalidBody("bot") }
    let body = try bodyObject(request, name: "bot")
    let field = { (key: String) throws(APIError) -> String in try self.stringField(body, key, body: "bot") ?? "" }
    let (username, displayName, description) = (
      try field("username"), try field("display_name"), try field("description")
    )
    try require("create_bot", caller)
    if caller.isBot { throw APIError.permissions("create_bot") }
    guard settings.enableBotAccountCreation else {
      throw APIError(403, "api.bot.create_disabled", "Bot creation has been disabled.")
    }
    // model/bot.go IsValidCreate, in its order (a long display name reports user_id, as the server does).
    guard SandboxRules.validUsername(username) else {
      throw APIError(400, "model.bot.is_valid.username.app_error", "Invalid username.")
    }
    if displayName.unicodeScalars.count > 64 {
      throw APIError(400, "model.bot.is_valid.user_id.app_error", "Invalid user id.")
    }
    if description.unicodeScalars.count > 1024 {
      throw APIError(400, "model.bot.is_valid.description.app_error", "Invalid description.")
    }
    let at = now()
    var user = UserRecord(
      id: Self.newID(), createAt: at, updateAt: at, username: username,
      email: SandboxRules.goLower(username + "@localhost"))
    user.firstName = SandboxRules.sanitizeUnicode(displayName)
    user.isBot = true
    user.botDescription = description
    user.lastPasswordUpdate = at
    if let invalid = SandboxRules.invalidField(user) { throw APIError.invalidUser(invalid) }
    if idByEmail[user.email] != nil {
      throw APIError(400, "app.user.save.email_exists.app_error", "An account with that email already exists.")
    }
    if idByUsername[user.username] != nil {
      throw APIError(400, "app.user.save.username_exists.app_error", "An account with that username already exists.")
    }
    index(user)
    let bot = BotRecord(userID: user.id, description: description, ownerID: caller.id, createAt: at, updateAt: at)
    bots[bot.userID] = bot
    try persistOrFail()
    return botAnswer(bot, status: 201)
  }

  /// GET /bots/{bot_user_id}: read_others_bots sees any bot, its owner needs read_bots; everyone else is
  /// told it does not exist (404, not 403, so a bot is not revealed). A disabled bot only with
  /// `include_deleted`. The handler answers 304 to a matching If-None-Match but sets no ETag itself.
  func getBot(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let id = try botID(id)
    let includeDeleted = SandboxRules.parseBool(request.query["include_deleted"])
    guard let bot = bots[id], users[id] != nil, includeDeleted || bot.deleteAt == 0 else { throw Self.botNotFound }
    if (try? require("read_others_bots", caller)) == nil {
      guard bot.ownerID == caller.id, (try? require("read_bots", caller)) != nil else { throw Self.botNotFound }
    }
    let tag = [Self.serverVersion, bot.userID, String(bot.updateAt)].joined(separator: ".")
    if request.ifNoneMatch == tag { return .notModified(tag) }
    return botAnswer(bot)
  }

  /// GET /bots: read_others_bots lists every bot, read_bots only the caller's, else 403 read_bots.
  /// `only_orphaned` keeps bots whose owner is a deactivated user; order create_at, then username;
  /// OFFSET/LIMIT paging as every list (store GetAll). 304 for a matching If-None-Match (BotList Etag).
  func listBots(_ request: APIRequest) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let includeDeleted = SandboxRules.parseBool(request.query["include_deleted"])
    let onlyOrphaned = SandboxRules.parseBool(request.query["only_orphaned"])
    var owner: String?
    if (try? require("read_others_bots", caller)) == nil {
      guard (try? require("read_bots", caller)) != nil else { throw APIError.permissions("read_bots") }
      owner = caller.id
    }
    let (page, perPage) = paging(request)
    let all = bots.values.filter { bot in
      guard users[bot.userID] != nil else { return false }
      if !includeDeleted && bot.deleteAt != 0 { return false }
      if let owner, bot.ownerID != owner { return false }
      if onlyOrphaned { return users[bot.ownerID].map { !$0.isActive } ?? false }
      return true
    }.sorted { a, b in
      a.createAt != b.createAt
        ? a.createAt < b.createAt : (users[a.userID]?.username ?? "") < (users[b.userID]?.username ?? "")
    }
    let start = min(page * perPage, all.count)
    let list = Array(all[start..<min(start + perPage, all.count)])
    // model/bot.go BotList.Etag: the newest update_at and its bot, a zero delta, the count.
    let newest = list.reduce(nil as BotRecord?) { best, bot in bot.updateAt > (best?.updateAt ?? 0) ? bot : best }
    let tag = [Self.serverVersion, newest?.userID ?? "0", String(newest?.updateAt ?? 0), "0", String(list.count)]
      .joined(separator: ".")
    if request.ifNoneMatch == tag { return .notModified(tag) }
    return .ok(.array(list.map { botAnswer($0).body }))
  }

  /// POST /bots/{bot_user_id}/disable and /enable (api4/bot.go updateBotActive, app/bot.go
  /// UpdateBotActive) after SessionHasPermissionToManageBot (app/authorization.go): the bot must exist,
  /// deleted or not (404); its owner needs manage_bots, anyone else manage_others_bots, and a caller who
  /// may not even read the bot gets the 404 rather than the 403.
  func changeBotActive(_ request: APIRequest, id: String, active: Bool) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    _ = try requireManageBot(id, caller)
    return botAnswer(try setBotActive(id, active))
  }

  /// app/bot.go UpdateBotActive: the user goes through UpdateActive when its state differs (so its
  /// sessions end and the bots it owns follow), then the bot row's delete_at is set or cleared.
  @discardableResult
  func setBotActive(_ id: String, _ active: Bool) throws(APIError) -> BotRecord {
    guard var user = users[id] else { throw APIError.missingAccount }
    if user.isActive != active { try setActive(&user, active) }
    guard var bot = bots[id] else { throw Self.botNotFound }
    if active == (bot.deleteAt != 0) {
      bot.deleteAt = active ? 0 : now()
      bot.updateAt = now()
      bots[id] = bot
      adminViewCache[id] = nil
      try persistOrFail()
    }
    return bot
  }

  /// app/bot.go disableUserBots: every bot the user owns that is not disabled yet, oldest first.
  func disableBots(ownedBy ownerID: String) throws(APIError) {
    let owned = bots.values.filter { $0.ownerID == ownerID && $0.deleteAt == 0 }.sorted { $0.createAt < $1.createAt }
    for bot in owned { try setBotActive(bot.userID, false) }
  }
}
