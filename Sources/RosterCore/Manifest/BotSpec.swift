public import RosterYAML

/// One declared bot account (`bots:`). A bot is a user row plus a bot row (model/bot.go): its username
/// and display name (the user's first_name) and its description and owner live on the bot, its roles and
/// tokens on the user, so roles and tokens are planned as a user's are. `nil` means "not managed".
public struct BotSpec: Sendable {
  /// Lowercased, as the server stores it.
  public var username: String
  public var mark: Mark
  public var displayName: String?
  public var description: String?
  /// The owning user's (normalised) username; reassigned with POST /bots/{id}/assign/{user_id} when it
  /// differs. A bot roster creates is owned by the acting user (api4/bot.go createBot) until then.
  public var owner: String?
  /// Canonical order; nil = roles not managed.
  public var roles: [String]?
  /// false: POST /bots/{id}/disable (the bot's user is deactivated with it, app/bot.go UpdateBotActive).
  public var active = true
  /// nil = tokens not managed; otherwise the exact set.
  public var tokens: [TokenSpec]?

  public init(username: String, mark: Mark) {
    self.username = username
    self.mark = mark
  }
}

/// Bots on the server the manifest does not declare: left alone (the default), or disabled.
public enum UnmanagedBotPolicy: String, Sendable, CaseIterable {
  case ignore, disable
}

/// What deactivating an account (or disabling a bot) does to its active personal access tokens. The
/// server keeps them: unusable while the account is inactive, working again on reactivation
/// (shared/mattermost-api.md §8, app/user.go UpdateActive), so a reactivation would bring back every
/// credential the person held.
public enum DeactivationTokenPolicy: String, Sendable, CaseIterable {
  /// Disable them in the same plan (POST /users/tokens/disable); a reactivation enables only the ones
  /// the manifest declares.
  case disableTokens = "disable_tokens"
  /// Revoke them (POST /users/tokens/revoke): gone for good.
  case revokeTokens = "revoke_tokens"
  /// Leave them as the server does.
  case keep
}
