import RosterCore

/// The calls bot changes make (server/channels/api4/bot.go).
extension Applier {
  func execute(_ change: BotChange, _ step: Step) async throws(APIFailure) -> StepOutcome {
    if case .createBot(let displayName, let description) = change {
      return try await createBot(step, displayName: displayName, description: description)
    }
    guard let id = userID(step) else { return .failed(.unknownUser(step.username)) }
    switch change {
    case .createBot: preconditionFailure("handled above")
    case .updateBot(let fields):
      var body: [String: String] = [:]
      for field in fields { body[field.field] = field.new }
      try await writer.updateBot(id, body)
    case .assignBot(_, let owner, let ownerID):
      guard let ownerID = ownerID ?? userIDs[owner] else { return .failed(.unknownUser(owner)) }
      try await writer.assignBot(id, to: ownerID)
    case .enableBot: try await writer.setBotActive(id, true)
    case .disableBot: try await writer.setBotActive(id, false)
    }
    return .done(note: nil)
  }

  /// Creates a bot; after a lost answer re-reads by username before trying again, so no bot is made twice.
  private func createBot(_ step: Step, displayName: String, description: String) async throws(APIFailure)
    -> StepOutcome
  {
    var lastError: APIFailure?
    for _ in 0..<Self.createAttempts {
      do throws(APIFailure) {
        userIDs[step.username] = try await writer.createBot(
          username: step.username, displayName: displayName, description: description)
        return .done(note: nil)
      } catch {
        guard error.mayHaveApplied else { throw error }
        lastError = error
        if let existing = try await writer.findUser(step.username), existing.isBot {
          userIDs[step.username] = existing.id
          return .done(note: "the server had created it although the answer was lost")
        }
      }
    }
    throw lastError ?? APIFailure(method: "POST", path: "/bots", status: 0, message: "create failed")
  }
}
