import RosterCore

/// The calls token changes make.
extension Applier {
  func execute(_ change: TokenChange, _ step: Step) async throws(APIFailure) -> StepOutcome {
    guard let id = userID(step) else { return .failed(.unknownUser(step.username)) }
    switch change {
    case .createToken(let description, let days, _):
      return try await createToken(step, description: description, expiresInDays: days, userID: id)
    case .enableToken(let description, let tokenID), .disableToken(let description, let tokenID):
      guard let tokenID = tokenID ?? tokenIDs[Self.tokenKey(step.username, description)] else {
        return .failed(.unknownToken(description))
      }
      try await writer.changeToken(tokenID, step.kind == .enableToken ? .enable : .disable)
    case .revokeToken(_, let tokenID): try await writer.revoke(tokenID)
    }
    return .done(note: nil)
  }
}
