/// The plan file's keys for account changes, read strictly: each kind takes exactly what it needs.
extension UserChange {
  func encode(to payload: inout PayloadWriter) throws {
    switch self {
    case .createUser(let fields, let password):
      try payload.put(fields, "changes")
      if case .reference(let text)? = password { try payload.put(text, "password_reference") }
      if password == .generated { try payload.put(true, "generate_password") }
    case .patchProfile(let fields), .renameUser(let fields): try payload.put(fields, "changes")
    case .setRoles(let before, let after):
      try payload.put(before, "roles_before")
      try payload.put(after, "roles_after")
    case .sendPasswordReset(let email): try payload.put(email, "email")
    case .markOwner(let props): try payload.put(props, "props")
    case .reactivateUser, .promoteGuest, .demoteToGuest, .deactivateUser: break
    }
  }

  static func decode(_ kind: StepKind, _ payload: inout PayloadReader) throws -> Change? {
    let change: UserChange
    switch kind {
    case .createUser:
      let fields = try payload.need([FieldChange].self, "changes")
      let reference = try payload.maybe(String.self, "password_reference")
      let generate = try payload.maybe(Bool.self, "generate_password")
      if reference != nil && generate != nil {
        throw payload.fail("generate_password", "a create has a password reference or a generated password, not both")
      }
      if generate == false { throw payload.fail("generate_password", "is true or absent") }
      try checkFields(fields, of: kind, payload)
      change = .createUser(fields: fields, password: generate == true ? .generated : reference.map { .reference($0) })
    case .patchProfile, .renameUser:
      let fields = try payload.need([FieldChange].self, "changes")
      try checkFields(fields, of: kind, payload)
      change = kind == .patchProfile ? .patchProfile(fields) : .renameUser(fields)
    case .setRoles:
      change = .setRoles(
        before: try payload.need([String].self, "roles_before"), after: try payload.need([String].self, "roles_after"))
    case .sendPasswordReset: change = .sendPasswordReset(email: try payload.need(String.self, "email"))
    case .reactivateUser: change = .reactivateUser
    case .promoteGuest: change = .promoteGuest
    case .demoteToGuest: change = .demoteToGuest
    case .deactivateUser: change = .deactivateUser
    case .markOwner:
      let props = try payload.need([String: String].self, "props")
      if props[OwnerMarker.key] == nil { throw payload.fail("props", "mark_owner sets \(OwnerMarker.key)") }
      change = .markOwner(props: props)
    default: return nil
    }
    return .user(change)
  }

  /// A create sets username, email and known profile fields; a patch changes known fields; a rename
  /// starts with the username; each field at most once.
  private static func checkFields(_ fields: [FieldChange], of kind: StepKind, _ payload: PayloadReader) throws {
    func fail(_ message: String) -> DecodingError { payload.fail("changes", message) }
    let names = fields.map(\.field)
    if let repeated = names.first(where: { name in names.count { $0 == name } > 1 }) {
      throw fail("field \(repeated) appears twice")
    }
    switch kind {
    case .createUser:
      let allowed = Set(["username", "auth_service", "auth_data", "email_verified"] + ProfileField.allCases.map(\.key))
      if let unknown = names.first(where: { !allowed.contains($0) }) { throw fail("create_user cannot set \(unknown)") }
      if !names.contains("username") || !names.contains("email") { throw fail("create_user needs username and email") }
    case .patchProfile:
      if fields.isEmpty { throw fail("patch_profile changes no field") }
      if let unknown = names.first(where: { ProfileField.named($0) == nil }) {
        throw fail("patch_profile cannot set \(unknown)")
      }
    default:
      guard let rename = fields.first, rename.field == "username", let old = rename.old, old != rename.new else {
        throw fail("rename_user starts with the username change, old → new")
      }
      if let unknown = names.dropFirst().first(where: { ProfileField.named($0) == nil }) {
        throw fail("rename_user cannot set \(unknown)")
      }
    }
  }
}
