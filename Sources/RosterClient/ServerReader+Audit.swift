#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

/// The two reads `roster audit` adds to what plan reads: the bot list and the server configuration's
/// sign-in and token settings. Both are bulk: ⌈bots/200⌉ + 1 requests and 1.
extension ServerReader {
  /// Every bot, disabled ones included (GET /bots?include_deleted=true, api4/bot.go getBots; the whole
  /// list needs read_others_bots, else only the caller's own bots are listed). Paged at 200 until a
  /// short page.
  public func allBots() async throws(APIFailure) -> [LiveBot] {
    struct BotBody: Decodable, Sendable {
      var user_id: String
      var username: String
      var description: String?
      var owner_id: String
      var delete_at: Int64?
    }
    let bots = try await pages("/bots", BotBody.self, query: "include_deleted=true")
    for bot in bots { _ = try ServerID.checked(bot.user_id) }
    return uniqueByID(
      bots.map {
        LiveBot(
          userID: $0.user_id, username: $0.username, description: $0.description ?? "", ownerID: $0.owner_id,
          deleteAt: $0.delete_at ?? 0)
      }, \.userID)
  }

  /// ServiceSettings from GET /config (api4/config.go getConfig, for callers with a sysconsole read
  /// permission; model/config.go): the token switch, the token lifetime limit (newest servers only:
  /// MaximumPersonalAccessTokenLifetimeDays, absent before) and the MFA switches.
  public func serverPosture() async throws(APIFailure) -> ServerPosture {
    struct Config: Decodable {
      struct Service: Decodable {
        var EnableUserAccessTokens: Bool?
        var MaximumPersonalAccessTokenLifetimeDays: Int?
        var EnableMultifactorAuthentication: Bool?
        var EnforceMultifactorAuthentication: Bool?
      }
      var ServiceSettings: Service?
    }
    let config = try connection.json(Config.self, try await connection.send("GET", "/config"), path: "/config")
    let s = config.ServiceSettings
    return ServerPosture(
      accessTokensEnabled: s?.EnableUserAccessTokens,
      maximumTokenLifetimeDays: s?.MaximumPersonalAccessTokenLifetimeDays,
      mfaEnabled: s?.EnableMultifactorAuthentication, mfaEnforced: s?.EnforceMultifactorAuthentication)
  }
}
