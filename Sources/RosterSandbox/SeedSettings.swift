import Foundation

/// `"settings"` in a seed: PasswordSettings and the token switch, by the names of their JSON fields.
public struct SeedSettings: Codable, Sendable {
  public var password_minimum_length: Int?
  public var password_require_lowercase: Bool?
  public var password_require_uppercase: Bool?
  public var password_require_number: Bool?
  public var password_require_symbol: Bool?
  public var enable_user_access_tokens: Bool?
  /// ServiceSettings.MaximumPersonalAccessTokenLifetimeDays; 0 or absent: no policy.
  public var maximum_personal_access_token_lifetime_days: Int?
  /// EmailSettings.RequireEmailVerification.
  public var require_email_verification: Bool?
  /// A licensed server with guest accounts on (demote works).
  public var guest_accounts: Bool?
  /// Attribute names ("FirstName", "LastName", "Nickname", "Position") the directory maps.
  public var ldap_mapped_attributes: [String]?
  public var saml_mapped_attributes: [String]?
  /// ServiceSettings.EnableBotAccountCreation (default false) and DisableBotsWhenOwnerIsDeactivated
  /// (default true).
  public var enable_bot_account_creation: Bool?
  public var disable_bots_when_owner_is_deactivated: Bool?
  /// TeamSettings.MaxUsersPerTeam (default 50), MaxChannelsPerTeam (2000), RestrictCreationToDomains,
  /// ExperimentalDefaultChannels; GuestAccountsSettings.RestrictCreationToDomains;
  /// ServiceSettings.ExperimentalEnableDefaultChannelLeaveJoinMessages (default true).
  public var max_users_per_team: Int?
  public var max_channels_per_team: Int?
  public var restrict_creation_to_domains: String?
  public var guest_restrict_creation_to_domains: String?
  public var experimental_default_channels: [String]?
  public var enable_default_channel_leave_join_messages: Bool?
  /// ServiceSettings.EnableMultifactorAuthentication and EnforceMultifactorAuthentication (both false by
  /// default), published in GET /config.
  public var enable_multifactor_authentication: Bool?
  public var enforce_multifactor_authentication: Bool?
  /// false: a server from before `user_ids` on POST /channels/{id}/members (mattermost#28210).
  public var channel_add_user_ids: Bool?
  /// PrivacySettings.ShowEmailAddress and ShowFullName (both default true): whether callers without
  /// manage_system see other users' email addresses and names.
  public var show_email_address: Bool?
  public var show_full_name: Bool?

  public init(
    password_minimum_length: Int? = nil, password_require_lowercase: Bool? = nil,
    password_require_uppercase: Bool? = nil, password_require_number: Bool? = nil,
    password_require_symbol: Bool? = nil, enable_user_access_tokens: Bool? = nil
  ) {
    self.password_minimum_length = password_minimum_length
    self.password_require_lowercase = password_require_lowercase
    self.password_require_uppercase = password_require_uppercase
    self.password_require_number = password_require_number
    self.password_require_symbol = password_require_symbol
    self.enable_user_access_tokens = enable_user_access_tokens
  }
}
