import RosterCore

/// The calls account changes make.
extension Applier {
  func execute(_ change: UserChange, _ step: Step) async throws(APIFailure) -> StepOutcome {
    if case .createUser(let fields, let password) = change {
      return try await createUser(step, fields: fields, password: password)
    }
    guard let id = userID(step) else { return .failed(.unknownUser(step.username)) }
    switch change {
    case .createUser: preconditionFailure("handled above")
    case .reactivateUser: try await writer.setActive(id, true)
    case .deactivateUser: try await writer.setActive(id, false)
    case .patchProfile(let fields), .renameUser(let fields):
      // The strict plan decoder refuses a field twice; the planner never writes one twice.
      var body: [String: String] = [:]
      for change in fields { body[change.field] = change.new }
      try await writer.patchUser(id, body)
      if holdsEmailChanges, let email = body[ProfileField.email.key] {
        // Losing this note only costs a second mail on the next apply.
        try? sink?.notePendingEmail(username: step.username, email: email)
      }
    case .setRoles(_, let after): try await writer.setRoles(id, after)
    case .promoteGuest: try await writer.promote(id)
    case .demoteToGuest: try await writer.demote(id)
    case .sendPasswordReset(let email): try await sendReset(step, email: email)
    case .markOwner(let props): try await writer.patchUserProps(id, props)
    }
    return .done(note: nil)
  }
}
