/// PUT /bots/{bot_user_id} and POST /bots/{bot_user_id}/assign/{user_id} (server/channels/api4/bot.go
/// patchBot, assignBot; app/bot.go PatchBot, UpdateBotOwner; model/bot.go Patch, WouldPatch).
extension SandboxStore {
  /// app/authorization.go SessionHasPermissionToManageBot: the bot must exist, disabled or not (404);
  /// its owner needs manage_bots, anyone else manage_others_bots, and a caller who may not even read
  /// the bot gets the 404 rather than the 403.
  func requireManageBot(_ rawID: String, _ caller: UserRecord) throws(APIError) -> BotRecord {
    guard Self.isValidID(rawID) else { throw APIError.invalidURL("bot_user_id") }
    guard let bot = bots[rawID], users[rawID] != nil else { throw Self.botNotFound }
    let (manage, read) =
      bot.ownerID == caller.id ? ("manage_bots", "read_bots") : ("manage_others_bots", "read_others_bots")
    if (try? require(manage, caller)) == nil {
      if (try? require(read, caller)) == nil { throw Self.botNotFound }
      throw APIError.permissions(manage)
    }
    return bot
  }

  /// PUT /bots/{id}: the body is a BotPatch (`null` decodes to no patch, which changes nothing); the
  /// server registers no PATCH route. A patch that would change nothing answers the bot as it is; else
  /// the bot's user takes the username, `<username>@localhost` and the display name as first_name
  /// (model/bot.go UserFromBot) and is saved first, then the bot row is validated and saved, as
  /// app/bot.go PatchBot does (so a refused description leaves the user's change in place).
  func updateBot(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    guard Self.isValidID(id) else { throw APIError.invalidURL("bot_user_id") }
    var patch: [String: String] = [:]
    if JSONValue.parse(request.body) != .null {
      let body = try bodyObject(request, name: "bot")
      for key in ["username", "display_name", "description"] {
        if let value = try stringField(body, key, body: "bot") { patch[key] = value }
      }
    }
    var bot = try requireManageBot(id, caller)
    guard var user = users[id] else { throw APIError.missingAccount }
    let current = ["username": user.username, "display_name": user.firstName, "description": bot.description]
    guard patch.contains(where: { current[$0.key] != $0.value }) else { return .ok(botJSON(bot)) }
    let username = patch["username"] ?? user.username
    if username != user.username, let other = idByUsername[username], other != id {
      throw APIError(400, "app.user.save.username_exists.app_error", "An account with that username already exists.")
    }
    user.username = username
    user.email = SandboxRules.goLower(username + "@localhost")
    user.firstName = patch["display_name"] ?? user.firstName
    if let invalid = SandboxRules.invalidField(user) { throw APIError.invalidUser(invalid) }
    user.updateAt = now()
    replace(user)
    adminViewCache[id] = nil
    // Bot.IsValid, through IsValidCreate, in its order.
    let description = patch["description"] ?? bot.description
    guard SandboxRules.validUsername(username) else {
      try persistOrFail()
      throw APIError(400, "model.bot.is_valid.username.app_error", "Invalid username.")
    }
    if user.firstName.unicodeScalars.count > 64 {
      try persistOrFail()
      throw APIError(400, "model.bot.is_valid.user_id.app_error", "Invalid user id.")
    }
    if description.unicodeScalars.count > 1024 {
      try persistOrFail()
      throw APIError(400, "model.bot.is_valid.description.app_error", "Invalid description.")
    }
    bot.description = description
    bot.updateAt = now()
    bots[id] = bot
    try persistOrFail()
    return .ok(botJSON(bot))
  }

  /// POST /bots/{id}/assign/{user_id}: both ids must look like ids (400), the caller must manage the
  /// bot, and a bot cannot own a bot (403 assign_bot). The new owner is never checked to exist
  /// (UpdateBotOwner sets owner_id and saves).
  func assignBot(_ request: APIRequest, id: String, ownerID: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    guard Self.isValidID(ownerID) else { throw APIError.invalidURL("user_id") }
    var bot = try requireManageBot(id, caller)
    if users[ownerID]?.isBot == true { throw APIError.permissions("assign_bot") }
    bot.ownerID = ownerID
    bot.updateAt = now()
    bots[id] = bot
    try persistOrFail()
    return .ok(botJSON(bot))
  }

  func botJSON(_ bot: BotRecord) -> JSONValue {
    bot.json(user: users[bot.userID] ?? UserRecord(id: bot.userID, createAt: 0, updateAt: 0, username: "", email: ""))
  }
}
