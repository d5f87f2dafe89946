/// What bot changes do on the server, for the simulated post-plan state (`PostPlanState`) and the check
/// after apply (`StepCheck`). A bot's display name is its user's first_name (model/bot.go UserFromBot).
extension BotChange {
  func simulate(_ account: inout SimulatedAccount) {
    switch self {
    case .createBot(let displayName, _):
      // Never a human admin: the server's last-admin count and min_system_admins leave bots out.
      account.isManageable = false
      account.isActive = true
      account.expected.active = true
      if !displayName.isEmpty { account.expected.fields.append(("first_name", displayName)) }
    case .enableBot:
      account.isActive = true
      account.expected.active = true
    case .disableBot:
      account.isActive = false
      account.expected.active = false
    case .updateBot(let fields):
      for change in fields where change.field == "display_name" {
        account.expected.fields.append(("first_name", change.new))
      }
    case .assignBot:
      break  // the owner is on the bot row, which a user read does not show
    }
  }
}
