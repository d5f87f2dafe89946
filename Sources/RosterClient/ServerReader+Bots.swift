import RosterCore

/// The server's bot JSON (model/bot.go Bot; display_name and description are omitempty).
struct BotBody: Decodable {
  var user_id: String
  var username: String
  var display_name: String?
  var description: String?
  var owner_id: String
  var delete_at: Int64?

  var live: LiveBot {
    LiveBot(
      userID: user_id, username: username, displayName: display_name ?? "", description: description ?? "",
      ownerID: owner_id, deleteAt: delete_at ?? 0)
  }
}

extension LiveBot: Identified { public var id: String { userID } }

extension ServerReader {
  /// Every bot, disabled ones too: GET /bots pages by OFFSET/LIMIT (store/sqlstore/bot_store.go GetAll)
  /// and leaves out bots whose delete_at is set unless `include_deleted=true` (api4/bot.go getBots). A
  /// caller with read_others_bots sees every bot, one with only read_bots its own.
  public func allBots() async throws(APIFailure) -> [LiveBot] {
    var bots: [LiveBot] = []
    var seen = Set<String>()
    for page in 0..<(Self.maxObjects / Self.pageSize) {
      let path = "/bots?include_deleted=true&page=\(page)&per_page=\(Self.pageSize)"
      let response = try await connection.send("GET", path)
      try PageGuard.check(response.body, limit: Self.pageSize, path: path)
      let batch = (try connection.json([BotBody]?.self, response, path: path) ?? []).map(\.live)
      for bot in batch { _ = try ServerID.checked(bot.userID) }
      try Self.checkNew(batch, seen: &seen, page: "bots")
      bots += batch
      if batch.count < Self.pageSize { return uniqueByID(bots, \.userID) }
    }
    throw APIFailure(
      method: "GET", path: "/bots", status: 0, id: nil, message: "more than \(Self.maxObjects) bots; stopped reading",
      ambiguous: false)
  }
}
