import RosterCore

/// The bots routes apply calls (server/channels/api4/bot.go). Kept apart from `ServerWriting`'s account
/// calls; the in-memory test server need not emulate them.
public protocol BotWriting: Sendable {
  /// POST /bots; the created bot's user id. Not idempotent: a lost answer is re-read by username.
  func createBot(username: String, displayName: String, description: String) async throws(APIFailure) -> String
  /// PUT /bots/{bot_user_id} with a BotPatch of the given fields (there is no PATCH route).
  func updateBot(_ id: String, _ fields: [String: String]) async throws(APIFailure)
  /// POST /bots/{bot_user_id}/assign/{user_id}.
  func assignBot(_ id: String, to ownerID: String) async throws(APIFailure)
  /// POST /bots/{bot_user_id}/enable or /disable.
  func setBotActive(_ id: String, _ active: Bool) async throws(APIFailure)
}

extension BotWriting {
  private func unsupported(_ path: String) -> APIFailure {
    APIFailure(
      method: "POST", path: path, status: 0, id: nil, message: "this writer has no bots routes", ambiguous: false)
  }
  public func createBot(username: String, displayName: String, description: String) async throws(APIFailure)
    -> String
  { throw unsupported("/bots") }
  public func updateBot(_ id: String, _ fields: [String: String]) async throws(APIFailure) {
    throw unsupported("/bots/{id}")
  }
  public func assignBot(_ id: String, to ownerID: String) async throws(APIFailure) {
    throw unsupported("/bots/{id}/assign")
  }
  public func setBotActive(_ id: String, _ active: Bool) async throws(APIFailure) { throw unsupported("/bots/{id}") }
}

extension ServerWriter {
  public func createBot(username: String, displayName: String, description: String) async throws(APIFailure)
    -> String
  {
    var body = ["username": username]
    if !displayName.isEmpty { body["display_name"] = displayName }
    if !description.isEmpty { body["description"] = description }
    let response = try await connection.send("POST", "/bots", body: APIJSON.body(body), mode: .create)
    return try connection.json(BotBody.self, response, path: "/bots").user_id
  }

  public func updateBot(_ id: String, _ fields: [String: String]) async throws(APIFailure) {
    _ = try await connection.send("PUT", "/bots/\(try ServerID.checked(id))", body: APIJSON.body(fields))
  }

  public func assignBot(_ id: String, to ownerID: String) async throws(APIFailure) {
    let path = "/bots/\(try ServerID.checked(id))/assign/\(try ServerID.checked(ownerID))"
    _ = try await connection.send("POST", path)
  }

  public func setBotActive(_ id: String, _ active: Bool) async throws(APIFailure) {
    _ = try await connection.send("POST", "/bots/\(try ServerID.checked(id))/\(active ? "enable" : "disable")")
  }
}
