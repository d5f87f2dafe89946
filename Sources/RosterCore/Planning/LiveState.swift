/// A user as read from the server, reduced to what roster compares. Built by the client; the planner
/// never sees JSON.
public struct LiveUser: Sendable, Equatable, Codable {
  public var id: String
  public var username: String
  public var email: String
  public var firstName: String
  public var lastName: String
  public var nickname: String
  public var position: String
  public var locale: String
  /// The roles string exactly as stored; compared as a set.
  public var roles: String
  public var authService: String
  public var deleteAt: Int64
  public var updateAt: Int64
  public var isBot: Bool
  public var isRemote: Bool
  /// The user's id at the identity provider, when the server shows it (newer servers, to admins);
  /// nil or empty otherwise. Only export reads it.
  public var authData: String?
  /// model.User MfaActive: whether the account signs in with a second factor. Not cleared by Sanitize,
  /// so every list shows it (omitempty: absent means false). Only the audit reads it.
  public var mfaActive = false
  /// model.User Props: a string map every user listing returns (SanitizeProfile leaves it); nil when
  /// the server sent none (omitempty). Read for the ownership marker (`OwnerMarker`) and carried whole
  /// into the marker's patch, which replaces the map.
  public var props: [String: String]?

  public init(
    id: String, username: String, email: String = "", firstName: String = "", lastName: String = "",
    nickname: String = "", position: String = "", locale: String = "en", roles: String = "system_user",
    authService: String = "", deleteAt: Int64 = 0, updateAt: Int64 = 0, isBot: Bool = false, isRemote: Bool = false
  ) {
    self.id = id
    self.username = username
    self.email = email
    self.firstName = firstName
    self.lastName = lastName
    self.nickname = nickname
    self.position = position
    self.locale = locale
    self.roles = roles
    self.authService = authService
    self.deleteAt = deleteAt
    self.updateAt = updateAt
    self.isBot = isBot
    self.isRemote = isRemote
  }

  public var isActive: Bool { deleteAt == 0 }
  public var roleSet: Set<String> { Set(roles.split(separator: " ").map(String.init)) }
  public var isSystemAdmin: Bool { roleSet.contains("system_admin") }
  /// A guest account (model.User IsGuest: the system_guest role).
  public var isGuest: Bool { roleSet.contains("system_guest") }
  /// Bots and users of remote clusters are never roster's to manage.
  public var isManageable: Bool { !isBot && !isRemote }
}

/// A personal access token as listed by the server (the secret is never listed).
public struct LiveToken: Sendable, Equatable, Codable {
  public var id: String
  public var userID: String
  public var description: String
  /// Stays true after expiry (nothing flips it: app/session.go); see `expiresAt`.
  public var isActive: Bool
  /// Milliseconds since 1970; 0 for a token that never expires (model/user_access_token.go).
  public var expiresAt: Int64

  public init(id: String, userID: String, description: String, isActive: Bool, expiresAt: Int64 = 0) {
    self.id = id
    self.userID = userID
    self.description = description
    self.isActive = isActive
    self.expiresAt = expiresAt
  }

  /// Whether the server refuses it (401 app.user_access_token.expired) at `now` (milliseconds).
  public func isExpired(at now: Int64) -> Bool { expiresAt > 0 && now >= expiresAt }
}

/// A bot's own row (model/bot.go Bot): the parts its user row does not carry. Its username and display
/// name (first_name) and roles are on its `LiveUser`, whose delete_at disabling sets too.
public struct LiveBot: Sendable, Equatable, Codable {
  public var userID: String
  public var username: String
  public var displayName: String
  public var description: String
  /// A user id, or a plugin's id for a plugin's bot (never put in a path unchecked).
  public var ownerID: String
  public var deleteAt: Int64

  public init(
    userID: String, username: String, displayName: String = "", description: String = "", ownerID: String,
    deleteAt: Int64 = 0
  ) {
    self.userID = userID
    self.username = username
    self.displayName = displayName
    self.description = description
    self.ownerID = ownerID
    self.deleteAt = deleteAt
  }

  public var isActive: Bool { deleteAt == 0 }
}

/// Everything the planner knows about the server.
public struct LiveState: Sendable {
  public var users: [LiveUser]
  /// Tokens of the users whose tokens were read: all users, or only the managed ones when listing every
  /// token was forbidden. `nil` when tokens were not read at all.
  public var tokens: [LiveToken]?
  /// Users whose tokens were read, when not all of them were.
  public var tokensReadFor: Set<String>?
  public var acting: LiveUser
  /// From the client configuration; `nil` when unknown.
  public var accessTokensEnabled: Bool?
  /// PasswordSettings from the client configuration; `nil` when not read (the server's defaults apply).
  public var passwordPolicy: PasswordPolicy?
  /// Directory attributes mapped to profile fields, by service ("ldap", "saml") and attribute name
  /// ("FirstName", ...), from the client configuration's `*AttributeSet` flags; nil when unknown.
  public var mappedAttributes: [String: Set<String>]?
  /// When the server was read, in milliseconds since 1970 (the reader's clock): expiry is judged at it.
  public var readAt: Int64?
  /// EmailSettings.RequireEmailVerification from the client configuration; nil when unknown.
  public var requireEmailVerification: Bool?
  /// When the acting user is a bot, the user who owns it (GET /bots/{id} `owner_id`): deactivating that
  /// user disables the bot and its token with it (app/user.go userDeactivated -> app/bot.go
  /// disableUserBots, while ServiceSettings.DisableBotsWhenOwnerIsDeactivated is on, the default).
  public var actingBotOwnerID: String?
  /// The teams and channels the manifest names, with their members; nil when the manifest manages no
  /// memberships (nothing was read).
  public var memberships: LiveMemberships?
  /// Every bot, disabled ones included (GET /bots?include_deleted=true); nil when not read (the
  /// manifest manages no bots and disables none).
  public var bots: [LiveBot]?
  /// What the token could see: whole for an admin's read; narrower for `plan --read-only` with a token
  /// that is not a system admin, and the plan then names what it did not compare.
  public var sight = ReadSight.whole

  public init(
    users: [LiveUser], tokens: [LiveToken]? = nil, tokensReadFor: Set<String>? = nil, acting: LiveUser,
    accessTokensEnabled: Bool? = nil, passwordPolicy: PasswordPolicy? = nil,
    mappedAttributes: [String: Set<String>]? = nil, readAt: Int64? = nil, requireEmailVerification: Bool? = nil
  ) {
    self.mappedAttributes = mappedAttributes
    self.readAt = readAt
    self.requireEmailVerification = requireEmailVerification
    self.users = users
    self.tokens = tokens
    self.tokensReadFor = tokensReadFor
    self.acting = acting
    self.accessTokensEnabled = accessTokensEnabled
    self.passwordPolicy = passwordPolicy
  }
}

/// The server's rules for new passwords (app/users/password.go IsPasswordValidWithSettings), as its
/// client configuration publishes them: PasswordMinimumLength and PasswordRequire{Lowercase,Uppercase,
/// Number,Symbol} (server/config/client.go).
public struct PasswordPolicy: Sendable, Equatable {
  public var minimumLength = ServerRules.passwordMinLength
  public var lowercase = false
  public var uppercase = false
  public var number = false
  public var symbol = false

  public init(
    minimumLength: Int = ServerRules.passwordMinLength, lowercase: Bool = false, uppercase: Bool = false,
    number: Bool = false, symbol: Bool = false
  ) {
    self.minimumLength = minimumLength
    self.lowercase = lowercase
    self.uppercase = uppercase
    self.number = number
    self.symbol = symbol
  }

  /// model.SYMBOLS: ASCII punctuation and the space, without braces.
  static let symbols = Set(" !\"\\#$%&'()*+,-./:;<=>?@[]^_`|~".utf8)

  /// What the password lacks, in words (never the password); nil when the server would accept it.
  /// Lengths are bytes, as the server counts them.
  public func problem(_ password: String) -> String? {
    let bytes = Array(password.utf8)
    if bytes.count < minimumLength { return "is shorter than the server's minimum of \(minimumLength) bytes" }
    if bytes.count > ServerRules.passwordMaxBytes {
      return "is longer than the server's \(ServerRules.passwordMaxBytes) bytes"
    }
    var missing: [String] = []
    if lowercase && !bytes.contains(where: { (0x61...0x7A).contains($0) }) { missing.append("a lowercase letter") }
    if uppercase && !bytes.contains(where: { (0x41...0x5A).contains($0) }) { missing.append("an uppercase letter") }
    if number && !bytes.contains(where: { (0x30...0x39).contains($0) }) { missing.append("a digit") }
    if symbol && !bytes.contains(where: { Self.symbols.contains($0) }) { missing.append("a symbol") }
    guard !missing.isEmpty else { return nil }
    return "lacks " + missing.joined(separator: ", ") + ", which the server's password policy requires"
  }
}

/// What a run needs read from the server, decided from the manifest here so the client takes plain
/// parameters: whose tokens, and whether to ask the server if new tokens are allowed.
public struct ReadNeeds: Sendable, Equatable {
  public enum Tokens: Sendable, Equatable {
    case none
    /// These usernames' tokens (the users whose tokens the manifest manages).
    case users([String])
    case everyone
  }

  public var tokens: Tokens
  /// Whether to read the client configuration: the token switch and the password policy.
  public var clientConfig: Bool
  /// What to read of teams and channels; nil when the manifest manages no memberships.
  public var memberships: MembershipNeeds?
  /// Whether to list the bots (GET /bots).
  public var bots = false

  public init(tokens: Tokens, clientConfig: Bool = false, memberships: MembershipNeeds? = nil, bots: Bool = false) {
    self.bots = bots
    self.tokens = tokens
    self.clientConfig = clientConfig
    self.memberships = memberships
  }

  /// Tokens only when the manifest manages some; the client configuration always (one request: the
  /// token switch, the password policy and the directory-mapped fields).
  public init(_ manifest: Manifest, only: Set<String>? = nil) {
    // A renamed account still has its old name on the server: its tokens are read under that.
    // By index: `filter` copied every matching spec out first (a fifth of a large roster).
    var tokenUsers: [String] = []
    for index in manifest.users.indices where manifest.users[index].tokens != nil {
      tokenUsers.append(manifest.users[index].username)
      tokenUsers += manifest.users[index].previousUsernames
    }
    tokenUsers += manifest.bots.filter { $0.tokens != nil }.map(\.username)
    // on_deactivate: an account this plan may deactivate has its tokens read, to take them away with it.
    let offboards = manifest.settings.onDeactivate != .keep
    var tokens: Tokens = tokenUsers.isEmpty ? .none : .users(tokenUsers)
    if offboards && (manifest.settings.unmanagedUsers == .deactivate || manifest.settings.unmanagedBots == .disable) {
      tokens = .everyone
    } else if offboards {
      let leaving =
        manifest.users.filter { !$0.active }.flatMap(\.names) + manifest.bots.filter { !$0.active }.map(\.username)
      if !leaving.isEmpty { tokens = .users(tokenUsers + leaving) }
    }
    self.init(tokens: tokens, clientConfig: true, memberships: MembershipNeeds(manifest, only: only))
    bots = !manifest.bots.isEmpty || manifest.settings.unmanagedBots == .disable
  }
}

/// A token by owner and description, the key a manifest declares tokens by.
public struct TokenKey: Hashable, Sendable {
  public var username: String
  public var description: String

  public init(username: String, description: String) {
    self.username = username
    self.description = description
  }
}
