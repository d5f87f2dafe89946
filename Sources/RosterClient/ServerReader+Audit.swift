#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

/// The two reads `roster audit` adds to what plan reads: the bot list (`allBots`, in ServerReader+Bots)
/// and the server configuration's sign-in and token settings. Both are bulk: ⌈bots/200⌉ + 1 requests and 1.
extension ServerReader {
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
