import Foundation

/// The seed and state file format: a JSON object with a `users` array. Every field but `username` is
/// optional; ids, timestamps and token secrets are generated when absent. The state file written by
/// `--state` uses the same format with everything filled in (passwords only as digests).
public struct SandboxSeed: Codable, Sendable {
  public var users: [SeedUser]
  /// Server settings the seed changes from the defaults.
  public var settings: SeedSettings?
  /// Teams with their members, channels with theirs, and generated ones (SeedOrganisation.swift).
  public var teams: [SeedTeam]?
  public var channels: [SeedChannel]?
  public var generate: SeedGenerate?

  public init(
    users: [SeedUser] = [], settings: SeedSettings? = nil, teams: [SeedTeam]? = nil, channels: [SeedChannel]? = nil
  ) {
    self.users = users
    self.settings = settings
    self.teams = teams
    self.channels = channels
  }

  /// The settings with the seed's changes applied.
  public func apply(to settings: ServerSettings) -> ServerSettings {
    var out = settings
    guard let seed = self.settings else { return out }
    if let v = seed.password_minimum_length { out.passwordMinimumLength = v }
    if let v = seed.password_require_lowercase { out.passwordRequireLowercase = v }
    if let v = seed.password_require_uppercase { out.passwordRequireUppercase = v }
    if let v = seed.password_require_number { out.passwordRequireNumber = v }
    if let v = seed.password_require_symbol { out.passwordRequireSymbol = v }
    if let v = seed.enable_user_access_tokens { out.enableUserAccessTokens = v }
    if let v = seed.ldap_mapped_attributes { out.ldapMappedAttributes = Set(v) }
    if let v = seed.guest_accounts { out.guestAccounts = v }
    if let v = seed.require_email_verification { out.requireEmailVerification = v }
    if let v = seed.maximum_personal_access_token_lifetime_days { out.maximumTokenLifetimeDays = v }
    if let v = seed.saml_mapped_attributes { out.samlMappedAttributes = Set(v) }
    if let v = seed.enable_bot_account_creation { out.enableBotAccountCreation = v }
    if let v = seed.disable_bots_when_owner_is_deactivated { out.disableBotsWhenOwnerIsDeactivated = v }
    if let v = seed.max_users_per_team { out.maxUsersPerTeam = v }
    if let v = seed.max_channels_per_team { out.maxChannelsPerTeam = v }
    if let v = seed.restrict_creation_to_domains { out.restrictCreationToDomains = v }
    if let v = seed.guest_restrict_creation_to_domains { out.guestRestrictCreationToDomains = v }
    if let v = seed.experimental_default_channels { out.experimentalDefaultChannels = v }
    if let v = seed.enable_default_channel_leave_join_messages { out.enableDefaultChannelLeaveJoinMessages = v }
    if let v = seed.enable_multifactor_authentication { out.enableMultifactorAuthentication = v }
    if let v = seed.enforce_multifactor_authentication { out.enforceMultifactorAuthentication = v }
    if let v = seed.channel_add_user_ids { out.channelAddUserIDs = v }
    if let v = seed.show_email_address { out.showEmailAddress = v }
    if let v = seed.show_full_name { out.showFullName = v }
    return out
  }

  /// A seed with the single admin the sandbox needs for its admin token.
  public static let minimal = SandboxSeed(users: [
    SeedUser(username: "admin", email: "admin@sandbox.local", roles: "system_admin system_user")
  ])

  public static func read(path: String) throws -> SandboxSeed {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return try JSONDecoder().decode(SandboxSeed.self, from: data)
  }

  /// Atomic and durable: a killed sandbox never leaves a torn file nor loses an acknowledged write.
  func write(path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = try encoder.encode(self)
    let temp = path + ".tmp"
    guard FileManager.default.createFile(atPath: temp, contents: nil) else {
      throw CocoaError(.fileWriteUnknown)
    }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temp))
    try handle.write(contentsOf: data)
    try handle.synchronize()
    try handle.close()
    guard rename(temp, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
  }

  /// Builds records, filling in what the seed leaves out the way the server would on create.
  func records(now: Int64) throws -> [(UserRecord, [TokenRecord])] {
    var seen: Set<String> = []
    return try users.map { seedUser in
      let name = SandboxRules.goLower(seedUser.username)
      guard !seen.contains(name) else { throw SeedError("user \(name) appears twice in the seed") }
      seen.insert(name)
      let id = seedUser.id ?? SandboxStore.newID()
      var user = UserRecord(
        id: id, createAt: seedUser.create_at ?? now, updateAt: seedUser.update_at ?? now, username: name,
        email: SandboxRules.goLower(seedUser.email ?? "\(name)@sandbox.local"))
      user.passwordDigest =
        seedUser.password_digest ?? seedUser.password.map { SandboxStore.digest($0, salt: id) } ?? ""
      user.firstName = seedUser.first_name ?? ""
      user.lastName = seedUser.last_name ?? ""
      user.nickname = seedUser.nickname ?? ""
      user.position = seedUser.position ?? ""
      user.roles = seedUser.roles ?? "system_user"
      user.locale = seedUser.locale ?? "en"
      user.authService = seedUser.auth_service ?? ""
      user.authData = seedUser.auth_data
      user.isBot = seedUser.is_bot ?? false
      user.botDescription = seedUser.bot_description ?? ""
      user.remoteID = seedUser.remote_id ?? ""
      user.mfaActive = seedUser.mfa_active ?? false
      user.props = seedUser.props ?? [:]
      user.deleteAt = seedUser.delete_at ?? ((seedUser.active ?? true) ? 0 : now)
      user.lastPasswordUpdate = user.createAt
      let tokens = (seedUser.tokens ?? []).map { t in
        TokenRecord(
          id: t.id ?? SandboxStore.newID(), secret: t.token ?? SandboxStore.newID(), userID: id,
          description: t.description, isActive: t.is_active ?? true, expiresAt: t.expires_at ?? 0)
      }
      return (user, tokens)
    }
  }
}

extension SandboxSeed {
  /// The bot rows for the seed's `is_bot` users. `owner` (a username in the seed) or `owner_id` (as the
  /// state file writes it) names the owner; without either the bot belongs to `defaultOwner`, the seed's
  /// admin, as if that admin had created it (api4/bot.go createBot makes the caller the owner), or to
  /// itself when there is none, as a user converted to a bot is (model/bot.go BotFromUser). An inactive
  /// bot is disabled: its row's delete_at is set too (app/bot.go UpdateBotActive).
  func bots(for records: [UserRecord], defaultOwner: String?) throws -> [BotRecord] {
    let ids = Dictionary(records.map { ($0.username, $0.id) }, uniquingKeysWith: { a, _ in a })
    // By name, once: a scan per seed user made seeding 100,000 users quadratic.
    let byName = Dictionary(records.map { ($0.username, $0) }, uniquingKeysWith: { a, _ in a })
    var out: [BotRecord] = []
    for seedUser in users {
      let name = SandboxRules.goLower(seedUser.username)
      guard let user = byName[name] else { continue }
      guard user.isBot else {
        if seedUser.owner != nil || seedUser.owner_id != nil {
          throw SeedError("user \(name) has an owner but is no bot (is_bot: true)")
        }
        continue
      }
      var owner = seedUser.owner_id ?? defaultOwner ?? user.id
      if let ownerName = seedUser.owner.map(SandboxRules.goLower) {
        guard let id = ids[ownerName] else { throw SeedError("bot \(name): owner \(ownerName) is no user in the seed") }
        owner = id
      }
      out.append(
        BotRecord(
          userID: user.id, description: user.botDescription, ownerID: owner, createAt: user.createAt,
          updateAt: user.updateAt, deleteAt: seedUser.bot_delete_at ?? user.deleteAt))
    }
    return out
  }
}

public struct SeedError: Error, CustomStringConvertible {
  public var description: String
  init(_ description: String) { self.description = description }
}

/// One user in a seed or state file. Field names follow the server's JSON.
public struct SeedUser: Codable, Sendable {
  public var id: String?
  public var username: String
  public var email: String?
  public var password: String?
  public var password_digest: String?
  public var first_name: String?
  public var last_name: String?
  public var nickname: String?
  public var position: String?
  public var roles: String?
  public var locale: String?
  public var auth_service: String?
  public var auth_data: String?
  public var is_bot: Bool?
  public var bot_description: String?
  public var remote_id: String?
  /// model.User MfaActive (the seed cannot hold a secret: the sandbox has no MFA login).
  public var mfa_active: Bool?
  /// model.User Props.
  public var props: [String: String]?
  public var active: Bool?
  public var delete_at: Int64?
  public var create_at: Int64?
  public var update_at: Int64?
  public var tokens: [SeedToken]?
  /// For a bot: its owner's username in the seed, or its owner's id (the state file's form).
  public var owner: String?
  public var owner_id: String?
  /// For a bot: its own row's delete_at, which moves apart from its user's (see `BotRecord`).
  public var bot_delete_at: Int64?

  public init(username: String, email: String? = nil, password: String? = nil, roles: String? = nil) {
    self.username = username
    self.email = email
    self.password = password
    self.roles = roles
  }

  init(record u: UserRecord, tokens: [TokenRecord], bot: BotRecord? = nil) {
    owner_id = bot?.ownerID
    bot_delete_at = bot?.deleteAt
    id = u.id
    username = u.username
    email = u.email
    password_digest = u.passwordDigest
    first_name = u.firstName
    last_name = u.lastName
    nickname = u.nickname
    position = u.position
    roles = u.roles
    locale = u.locale
    auth_service = u.authService
    auth_data = u.authData
    is_bot = u.isBot
    bot_description = u.botDescription
    remote_id = u.remoteID.isEmpty ? nil : u.remoteID
    mfa_active = u.mfaActive ? true : nil
    props = u.props.isEmpty ? nil : u.props
    delete_at = u.deleteAt
    create_at = u.createAt
    update_at = u.updateAt
    self.tokens = tokens.map {
      SeedToken(
        id: $0.id, token: $0.secret, description: $0.description, is_active: $0.isActive, expires_at: $0.expiresAt)
    }
  }
}

public struct SeedToken: Codable, Sendable {
  public var id: String?
  /// The secret; generated when absent.
  public var token: String?
  public var description: String
  public var is_active: Bool?
  /// Milliseconds since 1970; absent or 0 for no expiry.
  public var expires_at: Int64?

  public init(
    id: String? = nil, token: String? = nil, description: String, is_active: Bool? = nil, expires_at: Int64? = nil
  ) {
    self.id = id
    self.token = token
    self.description = description
    self.is_active = is_active
    self.expires_at = expires_at
  }
}
