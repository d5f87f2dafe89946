import Foundation

/// Server settings the sandbox emulates, at the server's defaults unless a flag says otherwise.
public struct ServerSettings: Sendable {
  /// ServiceSettings.EnableUserAccessTokens; the sandbox turns it on unless --disable-access-tokens.
  public var enableUserAccessTokens = true
  /// TeamSettings.EnableUserDeactivation (default false): self-deactivation refused.
  public var enableUserDeactivation = false
  /// ServiceSettings.EnableAPIUserDeletion (default false).
  public var enableAPIUserDeletion = false
  /// PasswordSettings.MinimumLength (default 8); maximum 72 bytes.
  public var passwordMinimumLength = 8
  /// PasswordSettings.Lowercase, Uppercase, Number, Symbol (all false by default).
  public var passwordRequireLowercase = false
  public var passwordRequireUppercase = false
  public var passwordRequireNumber = false
  public var passwordRequireSymbol = false
  /// Directory attributes mapped to profile fields ("FirstName", "LastName", "Nickname", "Position"), per
  /// service; only a licensed server maps any, so none by default.
  /// ServiceSettings.MaximumPersonalAccessTokenLifetimeDays: above 0, new tokens need an expires_at
  /// within that many days (app/session.go validateUserAccessTokenExpiry).
  public var maximumTokenLifetimeDays = 0
  /// EmailSettings.RequireEmailVerification: an email change waits for the user's verification link.
  public var requireEmailVerification = false
  /// A license with guest accounts, and GuestAccountsSettings.Enable: without both, demote answers 501.
  public var guestAccounts = false
  public var ldapMappedAttributes: Set<String> = []
  public var samlMappedAttributes: Set<String> = []
  /// ServiceSettings.EnableBotAccountCreation (default false): POST /bots answers 403
  /// `api.bot.create_disabled` until it is on (model/config.go, api4/bot.go createBot).
  public var enableBotAccountCreation = false
  /// ServiceSettings.DisableBotsWhenOwnerIsDeactivated (default true): deactivating a user disables
  /// every bot they own (app/user.go userDeactivated, app/bot.go disableUserBots).
  public var disableBotsWhenOwnerIsDeactivated = true
  /// PrivacySettings.ShowEmailAddress and ShowFullName (both default true): published in the client
  /// configuration and part of every user ETag (model/user.go Etag).
  public var showEmailAddress = true
  public var showFullName = true
  /// TeamSettings.MaxUsersPerTeam (model/config.go TeamSettingsDefaultMaxUsersPerTeam = 50).
  public var maxUsersPerTeam = 50
  /// TeamSettings.MaxChannelsPerTeam (default 2000), published in GET /config only.
  public var maxChannelsPerTeam = 2000
  /// TeamSettings.RestrictCreationToDomains and GuestAccountsSettings.RestrictCreationToDomains: domain
  /// lists ("a.com, @b.org") a team join must match (app/teams IsTeamEmailAllowed); empty allows all.
  public var restrictCreationToDomains = ""
  public var guestRestrictCreationToDomains = ""
  /// TeamSettings.ExperimentalDefaultChannels: replaces off-topic among the channels a team join adds
  /// (app/teams DefaultChannelNames); town-square is always one.
  public var experimentalDefaultChannels: [String] = []
  /// ServiceSettings.ExperimentalEnableDefaultChannelLeaveJoinMessages (default true): team joins and
  /// leaves post in the default channels.
  public var enableDefaultChannelLeaveJoinMessages = true
  /// ServiceSettings.EnableMultifactorAuthentication and EnforceMultifactorAuthentication (model/config.go,
  /// both default false). The sandbox has no MFA login; it only publishes them in GET /config.
  public var enableMultifactorAuthentication = false
  public var enforceMultifactorAuthentication = false
  /// POST /channels/{id}/members reads `user_ids` (mattermost#28210); false: only `user_id`, as older
  /// servers do (api4/channel.go addChannelMember: anything else is 400 invalid_body_param user_id).
  public var channelAddUserIDs = true

  public init() {}
}
