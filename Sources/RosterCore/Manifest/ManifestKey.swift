/// The manifest's keys, one enum per kind of mapping, each with the spelling written in YAML. The
/// loader reads by them, the exporter writes them and the schema's tests hold its property names to
/// them, so a key's spelling lives here and nowhere else (the profile fields' own table is
/// `ProfileField`, the safety gates' `GateKind`).
public enum ManifestKey {
  /// What the tables share: the key as written.
  public protocol Name: Hashable, Sendable {
    var key: String { get }
  }

  /// The top level of a manifest file.
  public enum Top: String, CaseIterable, Name {
    case version, settings, defaults, teams, users, bots

    public var key: String { rawValue }
  }

  /// The keys of `settings:`.
  public enum Setting: Name {
    case unmanagedUsers, protectedUsers, requiredAdmins, minSystemAdmins, managedFields
    case unmanagedBots, onDeactivate, scope, owner, rotationGraceHours
    /// One threshold per safety gate (`max_deactivations`, ...).
    case gate(GateKind)

    public var key: String {
      switch self {
      case .unmanagedUsers: "unmanaged_users"
      case .protectedUsers: "protected_users"
      case .requiredAdmins: "required_admins"
      case .minSystemAdmins: "min_system_admins"
      case .managedFields: "managed_fields"
      case .unmanagedBots: "unmanaged_bots"
      case .onDeactivate: "on_deactivate"
      case .scope: "scope"
      case .owner: "owner"
      case .rotationGraceHours: "rotation_grace_hours"
      case .gate(let kind): kind.key
      }
    }

    /// In the order error messages list them.
    public static let all: [Setting] =
      [.unmanagedUsers, .protectedUsers, .requiredAdmins, .minSystemAdmins, .managedFields]
      + GateKind.allCases.map(Setting.gate) + [.unmanagedBots, .onDeactivate, .scope, .owner, .rotationGraceHours]
  }

  /// The keys of `settings.scope`.
  public enum Scope: String, CaseIterable, Name {
    case usernames
    case emailDomains = "email_domains"
    case authServices = "auth_services"

    public var key: String { rawValue }
  }

  /// The keys of a user entry; `defaults:` takes the ones that make sense for everyone.
  public enum User: Name {
    case username
    case profile(ProfileField)
    case roles, active, password
    case authService, authData, emailVerified, tokens, teams
    case previousUsernames, ignoreFields, initialPassword, sendPasswordReset

    public var key: String {
      switch self {
      case .username: "username"
      case .profile(let field): field.key
      case .roles: "roles"
      case .active: "active"
      case .password: "password"
      case .authService: "auth_service"
      case .authData: "auth_data"
      case .emailVerified: "email_verified"
      case .tokens: "tokens"
      case .teams: "teams"
      case .previousUsernames: "previous_usernames"
      case .ignoreFields: "ignore_fields"
      case .initialPassword: "initial_password"
      case .sendPasswordReset: "send_password_reset"
      }
    }

    public init?(key: String) {
      guard let found = Self.byKey[key] else { return nil }
      self = found
    }

    /// Whether `defaults:` may set it. Identity fields (username, email, names) and secrets are per
    /// person: a default would give many accounts one identity or one password.
    public var defaultsMaySet: Bool {
      switch self {
      case .profile(let field): field.defaultsMaySet
      case .roles, .active, .authService, .teams: true
      default: false
      }
    }

    /// In the order the loader reads them and error messages list them.
    public static let all: [User] =
      [.username] + ProfileField.allCases.map(User.profile)
      + [.roles, .active, .password, .authService, .authData, .emailVerified, .tokens, .teams]
      + [.previousUsernames, .ignoreFields, .initialPassword, .sendPasswordReset]
    /// The keys of `defaults:`.
    public static let defaults = all.filter(\.defaultsMaySet)
    /// The key's place in `all`, by a switch: finding it in `all` compared the cases one by one, for
    /// every key of every user (`UserKeySet`'s bits).
    var ordinal: Int {
      let profiles = ProfileField.allCases.count
      switch self {
      case .username: return 0
      case .profile(let field): return 1 + field.ordinal
      case .roles: return 1 + profiles
      case .active: return 2 + profiles
      case .password: return 3 + profiles
      case .authService: return 4 + profiles
      case .authData: return 5 + profiles
      case .emailVerified: return 6 + profiles
      case .tokens: return 7 + profiles
      case .teams: return 8 + profiles
      case .previousUsernames: return 9 + profiles
      case .ignoreFields: return 10 + profiles
      case .initialPassword: return 11 + profiles
      case .sendPasswordReset: return 12 + profiles
      }
    }
    private static let byKey = Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0) })
  }

  /// The keys of a user's team (`users[].teams.<team>`), when it is a mapping rather than a list of roles.
  public enum Membership: String, CaseIterable, Name {
    case roles, channels

    public var key: String { rawValue }
  }

  /// The keys of a team in the top-level `teams:` registry.
  public enum RegistryTeam: String, CaseIterable, Name {
    case unmanagedMembers = "unmanaged_members"
    case channels

    public var key: String { rawValue }
  }

  /// The keys of a channel under a registry team's `channels:`.
  public enum RegistryChannel: String, CaseIterable, Name {
    case unmanagedMembers = "unmanaged_members"

    public var key: String { rawValue }
  }

  /// The keys of an entry of `bots:`; roles and tokens read as a user's do.
  public enum Bot: String, CaseIterable, Name {
    case username
    case displayName = "display_name"
    case description, owner, roles, active, tokens

    public var key: String { rawValue }
  }

  /// The keys of an entry of a user's `tokens:`.
  public enum Token: String, CaseIterable, Name {
    case description, active
    case expiresInDays = "expires_in_days"
    case rotateAfterDays = "rotate_after_days"
    case rotationGraceHours = "rotation_grace_hours"

    public var key: String { rawValue }
  }
}
