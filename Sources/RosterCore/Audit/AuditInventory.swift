/// One account in the inventory: the `users.csv` row and the JSON `inventory.users` entry.
public struct AuditUserRow: Sendable, Equatable, Encodable {
  public var username: String
  public var id: String
  public var active: Bool
  /// "" for email-and-password accounts (and for everyone when the acting user lacks manage_system).
  public var authService: String
  public var roles: [String]
  public var isBot: Bool
  public var isRemote: Bool
  public var isGuest: Bool
  /// A bot's owner: a username, or the owner id when no user has it (a plugin's, or a deleted user's).
  public var owner: String?
  public var mfaActive: Bool
  public var tokensActive: Int
  public var tokensTotal: Int
  /// nil without a manifest.
  public var inManifest: Bool?
  public var updateAt: Int64
  public var deleteAt: Int64

  enum CodingKeys: String, CodingKey {
    case username, id, active, roles, owner
    case authService = "auth_service", isBot = "is_bot", isRemote = "is_remote", isGuest = "is_guest"
    case mfaActive = "mfa_active", tokensActive = "tokens_active", tokensTotal = "tokens_total"
    case inManifest = "in_manifest", updateAt = "update_at", deleteAt = "delete_at"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(username, forKey: .username)
    try c.encode(id, forKey: .id)
    try c.encode(active, forKey: .active)
    try c.encode(authService, forKey: .authService)
    try c.encode(roles, forKey: .roles)
    try c.encode(isBot, forKey: .isBot)
    try c.encode(isRemote, forKey: .isRemote)
    try c.encode(isGuest, forKey: .isGuest)
    try c.encode(owner, forKey: .owner)
    try c.encode(mfaActive, forKey: .mfaActive)
    try c.encode(tokensActive, forKey: .tokensActive)
    try c.encode(tokensTotal, forKey: .tokensTotal)
    try c.encode(inManifest, forKey: .inManifest)
    try c.encode(updateAt, forKey: .updateAt)
    try c.encode(deleteAt, forKey: .deleteAt)
  }
}

/// One personal access token in the inventory. The server keeps no creation time: `createdAt` is
/// roster's own record (the secrets file), nil for tokens made elsewhere.
public struct AuditTokenRow: Sendable, Equatable, Encodable {
  public var id: String
  public var userID: String
  public var username: String
  public var description: String
  public var isActive: Bool
  public var expiresAt: Int64
  public var createdAt: Int64?
  public var ageDays: Int?

  enum CodingKeys: String, CodingKey {
    case id, username, description
    case userID = "user_id", isActive = "is_active", expiresAt = "expires_at", createdAt = "created_at"
    case ageDays = "age_days", ageSource = "age_source"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(id, forKey: .id)
    try c.encode(userID, forKey: .userID)
    try c.encode(username, forKey: .username)
    try c.encode(description, forKey: .description)
    try c.encode(isActive, forKey: .isActive)
    try c.encode(expiresAt, forKey: .expiresAt)
    try c.encode(createdAt, forKey: .createdAt)
    try c.encode(ageDays, forKey: .ageDays)
    try c.encode(createdAt == nil ? "unknown" : "secrets_file", forKey: .ageSource)
  }
}

/// One bot in the inventory, with what became of its owner.
public struct AuditBotRow: Sendable, Equatable, Encodable {
  public enum OwnerState: String, Sendable, Encodable { case active, deactivated, missing }

  public var userID: String
  public var username: String
  public var description: String
  public var ownerID: String
  public var ownerUsername: String?
  public var ownerState: OwnerState
  /// The bot row and its user both active: the bot can act.
  public var active: Bool

  enum CodingKeys: String, CodingKey {
    case username, description, active
    case userID = "user_id", ownerID = "owner_id", ownerUsername = "owner_username", ownerState = "owner_state"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(userID, forKey: .userID)
    try c.encode(username, forKey: .username)
    try c.encode(description, forKey: .description)
    try c.encode(ownerID, forKey: .ownerID)
    try c.encode(ownerUsername, forKey: .ownerUsername)
    try c.encode(ownerState, forKey: .ownerState)
    try c.encode(active, forKey: .active)
  }
}
