/// How much a finding matters; `--fail-on` compares against it. Ordered: info < low < medium < high.
public enum AuditSeverity: String, Sendable, CaseIterable, Comparable, Codable {
  case info, low, medium, high

  public static func < (a: AuditSeverity, b: AuditSeverity) -> Bool {
    rank(a) < rank(b)
  }

  private static func rank(_ severity: AuditSeverity) -> Int {
    switch severity {
    case .info: 0
    case .low: 1
    case .medium: 2
    case .high: 3
    }
  }
}

/// The audit's rules. Their names are part of roster's interface (JSON, CSV, `--fail-on` pipelines):
/// they never change meaning.
public enum AuditRule: String, Sendable, CaseIterable, Codable {
  case systemAdmin = "system_admin"
  case delegatedAdmin = "delegated_admin"
  case botWithAdminRole = "bot_with_admin_role"
  case adminWithoutMFA = "admin_without_mfa"
  case unmanagedAccount = "unmanaged_account"
  case declaredNotOnServer = "declared_not_on_server"
  case drift
  case tokenOfDeactivatedUser = "token_of_deactivated_user"
  case tokenWithoutExpiry = "token_without_expiry"
  case tokenAge = "token_age"
  case orphanedBot = "orphaned_bot"
  case noLoginSince = "no_login_since"
  case guestAccount = "guest_account"
  case teamAdmin = "team_admin"
  case channelAdmin = "channel_admin"
  case deactivatedMember = "deactivated_member"

  /// The severity the rule's findings carry; `token_without_expiry` drops to low without a lifetime
  /// policy, and `token_age` to info when the age is unknown.
  public var severity: AuditSeverity {
    switch self {
    case .systemAdmin, .delegatedAdmin, .declaredNotOnServer, .guestAccount, .teamAdmin, .channelAdmin: .info
    case .botWithAdminRole, .adminWithoutMFA: .high
    case .noLoginSince, .deactivatedMember: .low
    case .unmanagedAccount, .drift, .tokenOfDeactivatedUser, .tokenWithoutExpiry, .tokenAge, .orphanedBot: .medium
    }
  }

  /// The rules about who holds privilege: shown first, never folded or cut, in every human format.
  public var isPrivilege: Bool { [.systemAdmin, .delegatedAdmin, .botWithAdminRole, .adminWithoutMFA].contains(self) }

  /// The heading a person reads.
  public var title: String {
    switch self {
    case .systemAdmin: "System admins"
    case .delegatedAdmin: "Delegated admin roles"
    case .botWithAdminRole: "Bots with an admin role"
    case .adminWithoutMFA: "Admins signing in with a password and no MFA"
    case .unmanagedAccount: "Accounts not in the manifest"
    case .declaredNotOnServer: "Declared users not on the server"
    case .drift: "Drift from the manifest"
    case .tokenOfDeactivatedUser: "Active tokens of deactivated accounts"
    case .tokenWithoutExpiry: "Tokens without expiry"
    case .tokenAge: "Token age"
    case .orphanedBot: "Bots whose owner is missing or deactivated"
    case .noLoginSince: "No sign-in since the inactivity bound"
    case .guestAccount: "Guest accounts"
    case .teamAdmin: "Team admins"
    case .channelAdmin: "Channel admins"
    case .deactivatedMember: "Deactivated accounts still in teams or channels"
    }
  }
}

/// A value in a finding's `detail` or an inventory row: what JSON, CSV and the renderers can all show.
public enum AuditValue: Sendable, Equatable, Encodable {
  case string(String)
  case int(Int64)
  case bool(Bool)
  case strings([String])
  case null

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .string(let v): try c.encode(v)
    case .int(let v): try c.encode(v)
    case .bool(let v): try c.encode(v)
    case .strings(let v): try c.encode(v)
    case .null: try c.encodeNil()
    }
  }

  /// The value as one cell of text: lists space-separated (as the server writes roles), null empty.
  public var text: String {
    switch self {
    case .string(let v): v
    case .int(let v): String(v)
    case .bool(let v): v ? "true" : "false"
    case .strings(let v): v.joined(separator: " ")
    case .null: ""
    }
  }
}

/// One thing the audit found about one account. `message` is the finding in words, for people; the
/// machine-readable facts are in `detail`.
public struct AuditFinding: Sendable, Equatable {
  public var rule: AuditRule
  public var severity: AuditSeverity
  public var username: String
  public var userID: String
  public var message: String
  public var detail: [String: AuditValue]

  public init(
    _ rule: AuditRule, severity: AuditSeverity? = nil, username: String, userID: String, message: String,
    detail: [String: AuditValue] = [:]
  ) {
    self.rule = rule
    self.severity = severity ?? rule.severity
    self.username = username
    self.userID = userID
    self.message = message
    self.detail = detail
  }
}
