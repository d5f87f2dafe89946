/// How account changes read: in the text plan, the Markdown comment, apply's progress, and the privilege
/// changes every rendering shows first.
extension UserChange: ResourceChange {
  func text(_ step: Step) -> TextEntry {
    let quoted = PlanTextRenderer.quoted
    let name = step.username
    switch self {
    case .createUser(let fields, let password):
      let width = (fields.map(\.field.count) + [8]).max() ?? 8
      var details = fields.map { "      \($0.field.padding(width)) \(quoted($0.new))" }
      if case .reference(let reference)? = password {
        let shown = Template.references(in: reference) ? "(from \(reference))" : "(literal in the manifest)"
        details.append("      \("password".padding(width)) \(shown)")
      } else if password == .generated {
        details.append("      \("password".padding(width)) (generated; written to the secrets file, never shown)")
      }
      return TextEntry(headline: "create user \(name)", details: details)
    case .reactivateUser: return TextEntry(headline: "reactivate user \(name)")
    case .promoteGuest: return TextEntry(headline: "promote guest \(name) to a user")
    case .demoteToGuest: return TextEntry(headline: "demote \(name) to a guest")
    case .patchProfile(let fields):
      return TextEntry(headline: "update user \(name)", details: Self.fieldLines(fields))
    case .renameUser(let fields):
      return TextEntry(
        headline: "rename user \(step.renamedFrom ?? "") → \(name)",
        details: Self.fieldLines(fields.filter { $0.field != "username" }))
    case .sendPasswordReset(let email): return TextEntry(headline: "send password reset to \(name) (\(email))")
    case .setRoles(let before, let after):
      let roles = PlanTextRenderer.roles
      return TextEntry(headline: "set roles of \(name)", details: ["      roles \(roles(before)) → \(roles(after))"])
    case .deactivateUser:
      return TextEntry(headline: "deactivate user \(name)", plain: step.reason.map { " (\($0))" } ?? "")
    case .markOwner(let props):
      return TextEntry(headline: "mark user \(name) as owned by \(props[OwnerMarker.key] ?? "")")
    }
  }

  private static func fieldLines(_ fields: [FieldChange]) -> [String] {
    let width = fields.map(\.field.count).max() ?? 0
    return fields.map {
      "      \($0.field.padding(width)) \(PlanTextRenderer.quoted($0.old)) → \(PlanTextRenderer.quoted($0.new))"
    }
  }

  func markdownDetails(_ step: Step) -> String {
    let code = MarkdownText.code
    switch self {
    case .createUser(let fields, _): return fields.map { "\($0.field): \(code($0.new))" }.joined(separator: ", ")
    case .patchProfile(let fields), .renameUser(let fields):
      return fields.map { "\($0.field): \(code($0.old ?? "")) → \(code($0.new))" }.joined(separator: ", ")
    case .setRoles(let before, let after):
      return "\(code(PlanTextRenderer.roles(before))) → \(code(PlanTextRenderer.roles(after)))"
    case .sendPasswordReset(let email): return "reset link to \(code(email))"
    case .reactivateUser: return ""
    case .promoteGuest: return "guest → user"
    case .demoteToGuest: return "user → guest"
    case .deactivateUser: return MarkdownText.text(step.reason ?? "")
    case .markOwner(let props): return "\(OwnerMarker.key): \(code(props[OwnerMarker.key] ?? ""))"
    }
  }

  func markdownTitle(_ step: Step) -> String {
    let verb = self == .deactivateUser ? "deactivate user" : kind.rawValue.replacing("_", with: " ")
    return "\(verb) \(MarkdownText.code(step.username))"
  }

  func label(_ step: Step) -> String {
    switch self {
    case .createUser: "create \(step.username)"
    case .reactivateUser: "reactivate \(step.username)"
    case .patchProfile: "patch \(step.username)"
    case .renameUser: "rename \(step.renamedFrom ?? "") to \(step.username)"
    case .sendPasswordReset: "send password reset to \(step.username)"
    case .setRoles: "roles \(step.username)"
    case .promoteGuest: "promote \(step.username)"
    case .demoteToGuest: "demote \(step.username)"
    case .deactivateUser: "deactivate \(step.username)"
    case .markOwner: "mark \(step.username)"
    }
  }

  /// Granting or removing an admin role, reactivating, demoting or deactivating an admin, and changing
  /// an admin's username or email (whoever owns the address can reset the password).
  func privilegeChange(_ step: Step, admin: Bool) -> String? {
    let email = ProfileField.email.key
    switch self {
    case .setRoles(let before, let after):
      let granted = Privilege.adminRoles(in: after).filter { !before.contains($0) }
      let removed = Privilege.adminRoles(in: before).filter { !after.contains($0) }
      var parts: [String] = []
      if !granted.isEmpty { parts.append("grants " + granted.joined(separator: ", ")) }
      if !removed.isEmpty { parts.append("removes " + removed.joined(separator: ", ")) }
      return parts.isEmpty ? nil : parts.joined(separator: "; ")
    case .reactivateUser where admin || step.reason == Plan.reactivatesAdmin: return "reactivates an admin"
    case .demoteToGuest: return "demotes to a guest"
    case .deactivateUser where admin: return "deactivates an admin"
    case .renameUser(let fields) where admin:
      let changesEmail = fields.contains { $0.field == email }
      return "renames an admin (\(step.renamedFrom ?? "") → \(step.username))"
        + (changesEmail ? " and changes its email" : "")
    case .patchProfile(let fields) where admin:
      guard let change = fields.first(where: { $0.field == email }) else { return nil }
      return "changes an admin's email (\(change.old ?? "") → \(change.new))"
    default: return nil
    }
  }
}
