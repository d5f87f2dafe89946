/// The closed set of changes roster makes, in the order a plan runs them.
public enum StepKind: String, Sendable, Codable, CaseIterable {
  case createUser = "create_user"
  case reactivateUser = "reactivate_user"
  case patchProfile = "patch_profile"
  case setRoles = "set_roles"
  case createToken = "create_token"
  case enableToken = "enable_token"
  case disableToken = "disable_token"
  case revokeToken = "revoke_token"
  case deactivateUser = "deactivate_user"

  /// Creates, reactivations, patches, roles, tokens, and deactivations last.
  public var phase: Int {
    switch self {
    case .createUser: return 0
    case .reactivateUser: return 1
    case .patchProfile: return 2
    case .setRoles: return 3
    case .createToken, .enableToken, .disableToken, .revokeToken: return 4
    case .deactivateUser: return 5
    }
  }

  /// Steps that take access away; once anything has failed, apply starts none of these.
  public var isDestructive: Bool { self == .deactivateUser || self == .revokeToken }
}

/// One field going from its live value to the declared one (`old` is nil on create).
public struct FieldChange: Sendable, Codable, Equatable {
  public var field: String
  public var old: String?
  public var new: String

  public init(field: String, old: String?, new: String) {
    self.field = field
    self.old = old
    self.new = new
  }
}

/// One API call's worth of change, with what it depends on.
public struct Step: Sendable, Codable, Equatable {
  public var index: Int
  public var kind: StepKind
  public var username: String
  /// The live user's id; nil for a user this plan creates.
  public var userID: String?
  /// Profile fields to set (create and patch).
  public var changes: [FieldChange]
  public var rolesBefore: [String]?
  public var rolesAfter: [String]?
  public var tokenDescription: String?
  public var tokenID: String?
  /// The manifest's password as written (a `${VAR}` reference); resolved only at apply time.
  public var passwordReference: String?
  /// Indexes of steps that must succeed first.
  public var dependsOn: [Int]
  /// Why, for people; never drives apply.
  public var reason: String?

  public init(
    kind: StepKind, username: String, userID: String?, changes: [FieldChange] = [], rolesBefore: [String]? = nil,
    rolesAfter: [String]? = nil, tokenDescription: String? = nil, tokenID: String? = nil,
    passwordReference: String? = nil, reason: String? = nil
  ) {
    self.index = 0
    self.kind = kind
    self.username = username
    self.userID = userID
    self.changes = changes
    self.rolesBefore = rolesBefore
    self.rolesAfter = rolesAfter
    self.tokenDescription = tokenDescription
    self.tokenID = tokenID
    self.passwordReference = passwordReference
    self.dependsOn = []
    self.reason = reason
  }
}

/// A finding about the plan: a warning (a change dropped or doubtful) or an error (the plan cannot run).
public struct PlanNote: Sendable, Codable, Equatable, CustomStringConvertible {
  public enum Severity: String, Sendable, Codable { case warning, error }

  public var severity: Severity
  public var username: String?
  public var message: String

  public init(_ severity: Severity, _ username: String?, _ message: String) {
    self.severity = severity
    self.username = username
    self.message = message
  }

  public var description: String { (username.map { "\($0): " } ?? "") + message }
}

/// The ordered changes that make the server match the manifest, and why it might not be safe to run.
public struct Plan: Sendable, Codable, Equatable {
  public var steps: [Step]
  public var notes: [PlanNote]
  /// Safety gates that stop apply unless `--force` (for example too many deactivations).
  public var gates: [String]

  public init(steps: [Step] = [], notes: [PlanNote] = [], gates: [String] = []) {
    self.steps = steps
    self.notes = notes
    self.gates = gates
  }

  public var errors: [PlanNote] { notes.filter { $0.severity == .error } }
  public var warnings: [PlanNote] { notes.filter { $0.severity == .warning } }
  public var isEmpty: Bool { steps.isEmpty }

  public func count(_ kind: StepKind) -> Int { steps.count { $0.kind == kind } }

  /// Existing users that get any change other than deactivation.
  public var usersToUpdate: Int {
    let created = Set(steps.filter { $0.kind == .createUser }.map(\.username))
    let updates: Set<StepKind> = [.reactivateUser, .patchProfile, .setRoles]
    return Set(steps.filter { updates.contains($0.kind) && !created.contains($0.username) }.map(\.username)).count
  }

  /// `Plan: 3 to create, 2 to update, 1 to deactivate, 2 tokens to create, 1 to revoke.`
  public var summary: String {
    var parts = [
      "\(count(.createUser)) to create", "\(usersToUpdate) to update", "\(count(.deactivateUser)) to deactivate",
      "\(count(.createToken)) tokens to create", "\(count(.revokeToken)) to revoke",
    ]
    if count(.enableToken) > 0 { parts.append("\(count(.enableToken)) to enable") }
    if count(.disableToken) > 0 { parts.append("\(count(.disableToken)) to disable") }
    return "Plan: " + parts.joined(separator: ", ") + "."
  }
}
