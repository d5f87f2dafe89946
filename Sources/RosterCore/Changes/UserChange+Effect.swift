/// What account changes do on the server, for the simulated post-plan state (`PostPlanState`) and the
/// check after apply (`StepCheck`).
extension UserChange {
  func simulate(_ account: inout SimulatedAccount) {
    switch self {
    case .createUser:
      // Only that it is active is checked afterwards: the server normalises what a create sends.
      account.isActive = true
      account.expected.active = true
    case .reactivateUser:
      account.isActive = true
      account.expected.active = true
    case .deactivateUser:
      account.isActive = false
      account.expected.active = false
    case .patchProfile(let fields), .renameUser(let fields):
      for change in fields {
        if change.field == "username" { account.username = change.new }
        account.expected.fields.append((change.field, change.new))
      }
    case .setRoles(_, let after):
      account.roles = Set(after)
      account.expected.roles = Set(after)
    case .promoteGuest:
      // store PromoteGuestToUser: each system_guest becomes system_user, the rest kept.
      if account.roles.remove("system_guest") != nil { account.roles.insert("system_user") }
      account.expected.guest = false
    case .demoteToGuest:
      // store DemoteUserToGuest: the roles become exactly system_guest.
      account.roles = ["system_guest"]
      account.expected.guest = true
    case .sendPasswordReset, .markOwner:
      break  // a mail leaves no trace on the user; props are not among the checked fields
    }
  }
}
