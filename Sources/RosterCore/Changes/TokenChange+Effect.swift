/// What token changes do on the server, for the simulated post-plan state (`PostPlanState`) and the
/// check after apply (`StepCheck`).
extension TokenChange {
  func simulate(_ account: inout SimulatedAccount) {
    switch self {
    case .createToken(let description, _, _):
      if account.expected.tokens[description] == nil { account.expected.tokens[description] = .exists }
    case .enableToken(let description, _): account.expected.tokens[description] = .active
    case .disableToken(let description, _): account.expected.tokens[description] = .disabled
    case .revokeToken(_, let id): account.expected.revokedTokenIDs.append(id)
    }
  }
}
