public import RosterYAML

/// What the admins declared: the desired roster, after every file is merged and defaults applied.
public struct Manifest: Sendable {
  public var settings: Settings
  public var users: [UserSpec]
  /// The `teams:` registry (scope and `unmanaged_members` policies), by team name.
  public var teams: [String: TeamPolicy] = [:]
  /// The `bots:` section.
  public var bots: [BotSpec] = []

  public init(
    settings: Settings = Settings(), users: [UserSpec] = [], teams: [String: TeamPolicy] = [:], bots: [BotSpec] = []
  ) {
    self.settings = settings
    self.users = users
    self.teams = teams
    self.bots = bots
  }
}

/// Server users not listed in the manifest: left alone, or deactivated.
public enum UnmanagedPolicy: String, Sendable, CaseIterable {
  case ignore, deactivate
}

/// A limit given as a count or as a percentage of a population.
public enum Threshold: Sendable, Equatable, CustomStringConvertible {
  case count(Int)
  case percent(Int)

  /// The limit for a population of `total`, never below `floor`.
  public func limit(of total: Int, floor: Int) -> Int {
    switch self {
    case .count(let n): return n
    // 100% lifts the gate: a share of users cannot bound steps there can be several of per user (tokens).
    case .percent(let p): return p >= 100 ? Int.max : max(floor, total * p / 100)
    }
  }

  public var description: String {
    switch self {
    case .count(let n): return "\(n)"
    case .percent(let p): return "\(p)%"
    }
  }

  /// Reads `description` back: `12` or `25%` (0 to 100).
  public init?(_ text: String) {
    if text.hasSuffix("%") {
      guard let p = Int(text.dropLast()), (0...100).contains(p) else { return nil }
      self = .percent(p)
    } else {
      guard let n = Int(text), n >= 0 else { return nil }
      self = .count(n)
    }
  }
}

public struct Settings: Sendable {
  public var unmanagedUsers: UnmanagedPolicy = .ignore
  /// Normalised (lowercase) usernames roster never changes.
  public var protectedUsers: Set<String> = []
  /// Gate thresholds the manifest sets; absent ones are the defaults (`GateKind.defaultThreshold`).
  public var limits: [GateKind: Threshold] = [:]
  public var maxDeactivations: Threshold {
    get { limits[.deactivations] ?? GateKind.deactivations.defaultThreshold }
    set { limits[.deactivations] = newValue }
  }
  /// Users that must be active system admins after the plan.
  public var requiredAdmins: Set<String> = []
  public var minSystemAdmins = 1
  /// The fields roster compares and changes (`settings.managed_fields`); nil means every field the
  /// manifest mentions. The others are sent when a user is created and left alone afterwards, so people
  /// keep what they edit themselves (nickname, position, locale).
  public var managedFields: Set<ManagedField>?
  /// `unmanaged_bots`: what happens to bots nobody declares (`unmanaged_users` never touches bots).
  public var unmanagedBots: UnmanagedBotPolicy = .ignore
  /// `on_deactivate`: what a deactivation does to the account's active tokens.
  public var onDeactivate: DeactivationTokenPolicy = .disableTokens
  /// `scope`: the accounts this manifest governs; nil governs every account.
  public var scope: AccountScope?
  /// `owner`: the name of the marker roster keeps on the accounts it creates or adopts (`OwnerMarker`).
  public var owner: String?
  /// `rotation_grace_hours`: how long a rotated token keeps working next to its replacement, so its
  /// consumer can pick up the new secret; nil or 0 revokes it in the apply that rotates it.
  public var rotationGraceHours: Int?

  public init() {}
}

/// A string as written in the manifest, `${VAR}` references and all, plus its expansion.
/// Passwords keep the written form so saved plans never hold a secret, only the reference.
public struct TemplateString: Sendable, Equatable {
  public var written: String
  /// nil when a referenced variable is not set (fine unless the user is to be created).
  public var expanded: String?

  public init(written: String, expanded: String?) {
    self.written = written
    self.expanded = expanded
  }

  /// Whether the author wrote the value literally instead of referring to the environment.
  public var isLiteral: Bool { !Template.references(in: written) }
}

/// One declared personal access token; the description is its key, since the server has no other name.
public struct TokenSpec: Sendable, Equatable {
  public var description: String
  public var active: Bool
  /// The lifetime a new token gets; nil for no expiry.
  public var expiresInDays: Int?
  /// Replace the token once roster's own record says it is this many days old (create, keep the
  /// secret, then revoke the old one). The server shows no creation time, so the age is the token
  /// secrets file's `created_at`.
  public var rotateAfterDays: Int?
  /// Overrides `settings.rotation_grace_hours` for this token.
  public var rotationGraceHours: Int?
  public var mark: Mark

  public init(
    description: String, active: Bool = true, expiresInDays: Int? = nil, rotateAfterDays: Int? = nil,
    rotationGraceHours: Int? = nil, mark: Mark
  ) {
    self.rotationGraceHours = rotationGraceHours
    self.description = description
    self.active = active
    self.expiresInDays = expiresInDays
    self.rotateAfterDays = rotateAfterDays
    self.mark = mark
  }
}

/// One declared user. `nil` means "not managed": the server's value stays whatever it is.
public struct UserSpec: Sendable {
  /// Lowercased, as the server stores it.
  public var username: String
  public var mark: Mark
  /// Beside the 12-byte mark, in what would be padding: a large roster holds one spec per user.
  public var active: Bool
  public var email: String?
  public var firstName: String?
  public var lastName: String?
  public var position: String?
  /// Canonical order; `nil` = roles not managed.
  public var roles: [String]?
  /// `nil` = tokens not managed; otherwise the exact set.
  public var tokens: [TokenSpec]?
  /// The user's teams, by team name, after `defaults.teams` filled an absent key; nil when the user's
  /// memberships are not managed, `[:]` for exactly no teams.
  public var teams: [String: TeamMembershipSpec]?
  /// The fields most entries leave out (`UserSpec.Rare`), shared until one is set.
  var rare = Rare.none

  public init(username: String, mark: Mark) {
    self.username = username
    self.mark = mark
    self.active = true
  }

  /// Whether the plan compares and changes `field` for this user.
  public func manages(_ field: ManagedField, settings: Settings) -> Bool {
    // A set hashes its element even when empty, and this is asked for every field of every user.
    let ignored = ignoredFields
    return (ignored.isEmpty || !ignored.contains(field)) && (settings.managedFields?.contains(field) ?? true)
  }

  /// The names `--only` may target this user by.
  public var names: [String] { [username] + previousUsernames }
}

/// What `managed_fields` and `ignore_fields` may name: the profile fields, roles and tokens.
public enum ManagedField: Hashable, Sendable {
  case profile(ProfileField)
  case roles
  case tokens

  public init?(key: String) {
    if let field = ProfileField.named(key) {
      self = .profile(field)
    } else if key == ManifestKey.User.roles.key {
      self = .roles
    } else if key == ManifestKey.User.tokens.key {
      self = .tokens
    } else {
      return nil
    }
  }

  public var key: String {
    switch self {
    case .profile(let field): field.key
    case .roles: ManifestKey.User.roles.key
    case .tokens: ManifestKey.User.tokens.key
    }
  }

  /// In manifest order: the profile table, then roles and tokens.
  public static let all: [ManagedField] = ProfileField.allCases.map { .profile($0) } + [.roles, .tokens]
}
