extension StepKind {
  public static let createUser = StepKind("create_user")
  public static let reactivateUser = StepKind("reactivate_user")
  public static let renameUser = StepKind("rename_user")
  public static let patchProfile = StepKind("patch_profile")
  public static let setRoles = StepKind("set_roles")
  public static let promoteGuest = StepKind("promote_guest")
  public static let demoteToGuest = StepKind("demote_to_guest")
  public static let sendPasswordReset = StepKind("send_password_reset")
  public static let deactivateUser = StepKind("deactivate_user")
  public static let markOwner = StepKind("mark_owner")
}

/// A change to an account: carrying exactly what its call needs, so nothing the call requires is
/// optional and no step can run with a filled-in default.
public enum UserChange: Sendable, Equatable {
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
  /// POST /users/password/reset/send: the server mails a reset link to this address.
  case sendPasswordReset(email: String)
  case deactivateUser
  /// PUT /users/{id}/patch with `props`: the whole map as read plus `settings.owner`'s marker, since
  /// the server replaces the map (model/user.go User.Patch).
  case markOwner(props: [String: String])

  static let kinds: [StepKind] = [
    .createUser, .reactivateUser, .renameUser, .patchProfile, .setRoles, .promoteGuest, .demoteToGuest,
    .sendPasswordReset, .deactivateUser, .markOwner,
  ]

  var kind: StepKind {
    switch self {
    case .createUser: .createUser
    case .reactivateUser: .reactivateUser
    case .patchProfile: .patchProfile
    case .renameUser: .renameUser
    case .setRoles: .setRoles
    case .promoteGuest: .promoteGuest
    case .demoteToGuest: .demoteToGuest
    case .sendPasswordReset: .sendPasswordReset
    case .deactivateUser: .deactivateUser
    case .markOwner: .markOwner
    }
  }

  var phase: Phase {
    switch self {
    case .createUser: .create
    case .reactivateUser: .reactivate
    case .renameUser, .patchProfile, .markOwner: .profile
    case .promoteGuest, .demoteToGuest, .setRoles: .roles
    case .sendPasswordReset: .credentials
    case .deactivateUser: .deactivate
    }
  }

  var isDestructive: Bool { self == .deactivateUser }

  var effect: ChangeEffect {
    switch self {
    case .createUser: .add
    case .deactivateUser: .remove
    default: .change
    }
  }

  /// The profile fields a create, patch or rename sets; empty for other kinds.
  public var fields: [FieldChange] {
    switch self {
    case .createUser(let fields, _), .patchProfile(let fields), .renameUser(let fields): fields
    default: []
    }
  }

  func mapStrings(_ transform: (String) -> String) -> Change { .user(mapped(transform)) }

  private func mapped(_ transform: (String) -> String) -> UserChange {
    func fields(_ list: [FieldChange]) -> [FieldChange] {
      list.map { FieldChange(field: transform($0.field), old: $0.old.map(transform), new: transform($0.new)) }
    }
    switch self {
    case .createUser(let list, .reference(let text)?):
      return .createUser(fields: fields(list), password: .reference(transform(text)))
    case .createUser(let list, let password): return .createUser(fields: fields(list), password: password)
    case .renameUser(let list): return .renameUser(fields(list))
    case .patchProfile(let list): return .patchProfile(fields(list))
    case .sendPasswordReset(let email): return .sendPasswordReset(email: transform(email))
    case .setRoles(let before, let after): return .setRoles(before: before.map(transform), after: after.map(transform))
    case .markOwner(let props):
      return .markOwner(props: Dictionary(uniqueKeysWithValues: props.map { (transform($0), transform($1)) }))
    case .reactivateUser, .deactivateUser, .promoteGuest, .demoteToGuest: return self
    }
  }
}

/// The password a create sends.
public enum NewPassword: Sendable, Equatable {
  /// The manifest's text (`${VAR}`), resolved only at apply time, so saved plans hold no secret.
  case reference(String)
  /// `initial_password: generate`: made at apply time to the server's policy and written to the secret
  /// secrets file before the create, so it is never lost and never printed.
  case generated
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

// Read-only views for renderers and checks, which show every kind the same way.
extension Step {
  public var userChange: UserChange? { if case .user(let change) = change { change } else { nil } }

  /// Profile fields set by a create or a patch; empty for other kinds.
  public var changes: [FieldChange] { userChange?.fields ?? [] }

  public var rolesBefore: [String]? { if case .setRoles(let before, _)? = userChange { before } else { nil } }
  public var rolesAfter: [String]? { if case .setRoles(_, let after)? = userChange { after } else { nil } }

  public var passwordReference: String? {
    if case .createUser(_, .reference(let text)?)? = userChange { text } else { nil }
  }

  public var generatesPassword: Bool { if case .createUser(_, .generated?)? = userChange { true } else { false } }

  /// The name the account has on the server before this step (a rename's old name).
  public var renamedFrom: String? {
    if case .renameUser(let fields)? = userChange { fields.first { $0.field == "username" }?.old } else { nil }
  }
}
