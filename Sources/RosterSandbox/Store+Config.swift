import Foundation

/// GET /config (server/channels/api4/config.go getConfig): the server configuration, typed as in
/// model/config.go (numbers, booleans, lists; unlike the client configuration's strings), for callers
/// holding any sysconsole read permission (the admin). Only the sections and keys the sandbox emulates
/// are sent: the values the planner needs to predict refusals (shared/design/memberships-server.md A2)
/// and the ones GET /config/client already publishes, from the same settings.
extension SandboxStore {
  func serverConfig(_ request: APIRequest) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    try require("sysconsole_read_*", caller)
    let s = settings
    return .ok(
      .object([
        (
          "ServiceSettings",
          .object([
            ("SiteURL", .string("")), ("EnableUserAccessTokens", .bool(s.enableUserAccessTokens)),
            ("EnableBotAccountCreation", .bool(s.enableBotAccountCreation)),
            ("DisableBotsWhenOwnerIsDeactivated", .bool(s.disableBotsWhenOwnerIsDeactivated)),
            ("EnableAPIUserDeletion", .bool(s.enableAPIUserDeletion)), ("EnableAPITeamDeletion", .bool(false)),
            ("EnableAPIChannelDeletion", .bool(false)),
            ("ExperimentalEnableDefaultChannelLeaveJoinMessages", .bool(s.enableDefaultChannelLeaveJoinMessages)),
            ("EnableMultifactorAuthentication", .bool(s.enableMultifactorAuthentication)),
            ("EnforceMultifactorAuthentication", .bool(s.enforceMultifactorAuthentication)),
            ("MaximumPersonalAccessTokenLifetimeDays", .int(Int64(s.maximumTokenLifetimeDays))),
          ])
        ),
        (
          "TeamSettings",
          .object([
            ("MaxUsersPerTeam", .int(Int64(s.maxUsersPerTeam))),
            ("MaxChannelsPerTeam", .int(Int64(s.maxChannelsPerTeam))),
            ("RestrictCreationToDomains", .string(s.restrictCreationToDomains)),
            ("ExperimentalDefaultChannels", .array(s.experimentalDefaultChannels.map(JSONValue.string))),
            ("EnableUserDeactivation", .bool(s.enableUserDeactivation)),
          ])
        ),
        (
          "PasswordSettings",
          .object([
            ("MinimumLength", .int(Int64(s.passwordMinimumLength))), ("Lowercase", .bool(s.passwordRequireLowercase)),
            ("Number", .bool(s.passwordRequireNumber)), ("Uppercase", .bool(s.passwordRequireUppercase)),
            ("Symbol", .bool(s.passwordRequireSymbol)),
          ])
        ),
        ("EmailSettings", .object([("RequireEmailVerification", .bool(s.requireEmailVerification))])),
        (
          "PrivacySettings",
          .object([("ShowEmailAddress", .bool(s.showEmailAddress)), ("ShowFullName", .bool(s.showFullName))])
        ),
        (
          "GuestAccountsSettings",
          .object([
            ("Enable", .bool(s.guestAccounts)),
            ("RestrictCreationToDomains", .string(s.guestRestrictCreationToDomains)),
          ])
        ),
      ]))
  }

  /// Test-only `GET /sandbox/posts`: the system posts membership changes made, oldest first, with
  /// counts by type and by channel so tests can assert "no churn".
  func postsJSON() -> JSONValue {
    var byType: [String: Int] = [:]
    var byChannel: [String: Int] = [:]
    for p in org.posts {
      byType[p.type, default: 0] += 1
      byChannel[p.channelID, default: 0] += 1
    }
    return .object([
      ("total", .int(Int64(org.posts.count))),
      ("by_type", .object(byType.keys.sorted().map { ($0, .int(Int64(byType[$0] ?? 0))) })),
      ("by_channel", .object(byChannel.keys.sorted().map { ($0, .int(Int64(byChannel[$0] ?? 0))) })),
      (
        "posts",
        .array(
          org.posts.map { p in
            .object([
              ("type", .string(p.type)), ("channel_id", .string(p.channelID)), ("user_id", .string(p.userID)),
              ("actor_id", .string(p.actorID)),
            ])
          })
      ),
    ])
  }
}
