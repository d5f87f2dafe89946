/// The closed set of changes roster makes, in the order a plan runs them.
public enum StepKind: String, Sendable, CaseIterable {
  case createUser = "create_user"
  case reactivateUser = "reactivate_user"
  case renameUser = "rename_user"
  case patchProfile = "patch_profile"
  case setRoles = "set_roles"
  case promoteGuest = "promote_guest"
  case demoteToGuest = "demote_to_guest"
  case createToken = "create_token"
  case enableToken = "enable_token"
  case disableToken = "disable_token"
  case revokeToken = "revoke_token"
  case sendPasswordReset = "send_password_reset"
  case deactivateUser = "deactivate_user"

  /// Creates, reactivations, patches, roles, tokens, and deactivations last.
  public var phase: Int {
    switch self {
    case .createUser: return 0
    case .reactivateUser: return 1
    case .renameUser, .patchProfile: return 2
    case .promoteGuest, .demoteToGuest, .setRoles: return 3
    case .createToken, .enableToken, .disableToken, .revokeToken, .sendPasswordReset: return 4
    case .deactivateUser: return 5
    }
  }

  /// Steps that take access away; once anything has failed, apply starts none of these.
  public var isDestructive: Bool { self == .deactivateUser || self == .revokeToken }
}

/// One field going from its live value to the declared one (`old` is nil on create).
public struct FieldChange: Sendable, Equatable {
  public var field: String
  public var old: String?
  public var new: String

  public init(field: String, old: String?, new: String) {
    self.field = field
    self.old = old
    self.new = new
  }
}

/// The password a create sends.
public enum NewPassword: Sendable, Equatable {
  /// The manifest's text (`${VAR}`), resolved only at apply time, so saved plans hold no secret.
  case reference(String)
  /// `initial_password: generate`: made at apply time to the server's policy and written to the secret
  /// sink before the create, so it is never lost and never printed.
  case generated
}

/// What one step changes, carrying exactly what its call needs: nothing is optional that the call
/// requires, so no step can run with a filled-in default.
public enum Change: Sendable, Equatable {
  /// POST /users. `fields` are the profile fields sent (username and email first); `password` is nil
  /// for SSO accounts.
  case createUser(fields: [FieldChange], password: NewPassword?)
  case reactivateUser
  /// PUT /users/{id}/patch with the changed fields only.
  case patchProfile([FieldChange])
  /// PUT /users/{id}/patch with the new `username` (the first field, old → new) and any other changed
  /// fields: one call, same id, so messages, memberships and authorship stay with the person.
  case renameUser([FieldChange])
  /// PUT /users/{id}/roles; roles compared as sets, written in canonical order. Never for guests.
  case setRoles(before: [String], after: [String])
  /// POST /users/{id}/promote: a guest becomes a user (system_guest becomes system_user, memberships too).
  case promoteGuest
  /// POST /users/{id}/demote: a user becomes a guest with exactly system_guest (needs a license).
  case demoteToGuest
  /// POST /users/{id}/tokens; `expiresInDays` becomes `expires_at` when the step runs (apply's clock).
  case createToken(description: String, expiresInDays: Int? = nil)
  /// `tokenID` is nil only for a token this plan creates (the step then depends on that create).
  case enableToken(description: String, tokenID: String?)
  case disableToken(description: String, tokenID: String?)
  case revokeToken(description: String, tokenID: String)
  /// POST /users/password/reset/send: the server mails a reset link to this address.
  case sendPasswordReset(email: String)
  case deactivateUser

  public var kind: StepKind {
    switch self {
    case .createUser: .createUser
    case .reactivateUser: .reactivateUser
    case .patchProfile: .patchProfile
    case .renameUser: .renameUser
    case .setRoles: .setRoles
    case .promoteGuest: .promoteGuest
    case .demoteToGuest: .demoteToGuest
    case .createToken: .createToken
    case .enableToken: .enableToken
    case .disableToken: .disableToken
    case .revokeToken: .revokeToken
    case .sendPasswordReset: .sendPasswordReset
    case .deactivateUser: .deactivateUser
    }
  }
}

/// One API call's worth of change, with what it depends on.
public struct Step: Sendable, Equatable {
  public var index: Int
  public var username: String
  /// The live user's id; nil for a user this plan creates (later steps take the id the create returns).
  public var userID: String?
  public var change: Change
  /// Indexes of steps that must succeed first.
  public var dependsOn: [Int]
  /// Why, for people; never drives apply.
  public var reason: String?

  public init(_ change: Change, username: String, userID: String?, reason: String? = nil) {
    self.index = 0
    self.username = username
    self.userID = userID
    self.change = change
    self.dependsOn = []
    self.reason = reason
  }

  public var kind: StepKind { change.kind }

  // Read-only views for renderers and checks, which show every kind the same way.

  /// Profile fields set by a create or a patch; empty for other kinds.
  public var changes: [FieldChange] {
    switch change {
    case .createUser(let fields, _), .patchProfile(let fields), .renameUser(let fields): fields
    default: []
    }
  }

  public var rolesBefore: [String]? { if case .setRoles(let before, _) = change { before } else { nil } }
  public var rolesAfter: [String]? { if case .setRoles(_, let after) = change { after } else { nil } }

  public var tokenDescription: String? {
    switch change {
    case .createToken(let d, _), .enableToken(let d, _), .disableToken(let d, _), .revokeToken(let d, _): d
    default: nil
    }
  }

  public var tokenID: String? {
    switch change {
    case .enableToken(_, let id), .disableToken(_, let id): id
    case .revokeToken(_, let id): id
    default: nil
    }
  }

  public var expiresInDays: Int? { if case .createToken(_, let days) = change { days } else { nil } }

  public var passwordReference: String? {
    if case .createUser(_, .reference(let text)?) = change { text } else { nil }
  }

  public var generatesPassword: Bool { if case .createUser(_, .generated?) = change { true } else { false } }

  /// The name the account has on the server before this step (a rename's old name).
  public var renamedFrom: String? {
    if case .renameUser(let fields) = change { fields.first { $0.field == "username" }?.old } else { nil }
  }
}

/// A finding about the plan: a warning (a change dropped or doubtful) or an error (the plan cannot run).
public struct PlanNote: Sendable, Equatable, CustomStringConvertible {
  public enum Severity: String, Sendable { case warning, error }

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
public struct Plan: Sendable, Equatable {
  public var steps: [Step]
  public var notes: [PlanNote]
  /// Safety gates that stop apply unless `--force` (for example too many deactivations).
  public var gates: [String]
  /// Human accounts on the server the manifest does not list, and what the plan does about them
  /// (`ignore` or `deactivate`); nil in plans read from older files.
  public var unmanaged: Unmanaged?
  /// `--only`: the usernames the plan is restricted to (sorted); nil for a whole plan.
  public var only: [String]?
  /// The accounts the steps name that hold an admin role on the server (see `Privilege`): changes to
  /// their identity or tokens are privilege changes. For display only; the gates read the live server.
  public var privilegedUserIDs: Set<String> = []

  public struct Unmanaged: Sendable, Equatable {
    public var count: Int
    public var policy: UnmanagedPolicy

    public init(count: Int, policy: UnmanagedPolicy) {
      self.count = count
      self.policy = policy
    }

    /// "12 users not in the manifest: ignored".
    public var sentence: String {
      "\(count) user\(count == 1 ? "" : "s") not in the manifest: \(policy == .ignore ? "ignored" : "deactivated")"
    }
  }

  public init(
    steps: [Step] = [], notes: [PlanNote] = [], gates: [String] = [], unmanaged: Unmanaged? = nil,
    only: [String]? = nil
  ) {
    self.only = only
    self.steps = steps
    self.notes = notes
    self.gates = gates
    self.unmanaged = unmanaged
  }

  /// The first line a reviewer reads: "No changes" only when there is truly nothing to do or worry about.
  public var headline: String {
    if !errors.isEmpty {
      return "The plan has errors; apply would refuse it. Nothing can be applied until they are fixed."
    }
    if !gates.isEmpty { return "The plan is blocked by a safety gate; apply needs --force." }
    if let only {
      let names = only.joined(separator: ", ")
      if steps.isEmpty { return "No changes for \(names). Partial plan (--only): other users were not compared." }
      return "Partial plan (--only \(names)): other users are left out. Roster will make these changes:"
    }
    if steps.isEmpty { return "No changes. The server matches the manifest." }
    return "Roster will make these changes:"
  }

  public var errors: [PlanNote] { notes.filter { $0.severity == .error } }
  public var warnings: [PlanNote] { notes.filter { $0.severity == .warning } }
  public var isEmpty: Bool { steps.isEmpty }

  public func count(_ kind: StepKind) -> Int { steps.count { $0.kind == kind } }

  /// Existing users that get any change other than deactivation.
  public var usersToUpdate: Int {
    let created = Set(steps.filter { $0.kind == .createUser }.map(\.username))
    let updates: Set<StepKind> = [
      .reactivateUser, .patchProfile, .renameUser, .setRoles, .promoteGuest, .demoteToGuest,
    ]
    return Set(steps.filter { updates.contains($0.kind) && !created.contains($0.username) }.map(\.username)).count
  }

  /// `Plan: 3 to create, 2 to update, 1 to deactivate, 2 tokens to create, 1 to revoke.`
  public var summary: String {
    var parts = [
      "\(count(.createUser)) to create", "\(usersToUpdate) to update", "\(count(.deactivateUser)) to deactivate",
      "\(count(.createToken)) token\(count(.createToken) == 1 ? "" : "s") to create",
      "\(count(.revokeToken)) to revoke",
    ]
    if count(.renameUser) > 0 { parts.insert("\(count(.renameUser)) to rename", at: 1) }
    if count(.enableToken) > 0 { parts.append("\(count(.enableToken)) to enable") }
    if count(.disableToken) > 0 { parts.append("\(count(.disableToken)) to disable") }
    if count(.sendPasswordReset) > 0 {
      parts.append("\(count(.sendPasswordReset)) password reset\(count(.sendPasswordReset) == 1 ? "" : "s") to send")
    }
    return "Plan: " + parts.joined(separator: ", ") + "."
  }
}
