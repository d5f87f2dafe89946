#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

extension Applier {
  /// Creates a user; after an ambiguous failure re-reads before retrying, so no user is created twice.
  func createUser(_ step: Step, fields: [FieldChange], password source: NewPassword?) async throws(APIFailure)
    -> StepOutcome
  {
    var body: [String: String] = [:]
    for change in fields { body[change.field] = change.new }
    if source != nil {
      guard let password = passwords[step.username] else { return .failed(.noPassword(step.username)) }
      body["password"] = password
    }
    if source == .generated, let password = body["password"] {
      // Kept before the server sees it: a create whose answer is lost must not leave a password nobody
      // holds. A refused create leaves a line for a password never used; the next one supersedes it.
      if let refused = writeSink({ try $0.recordPassword(username: step.username, password: password) }) {
        return refused
      }
    }
    var lastError: APIFailure?
    for _ in 0..<Self.createAttempts {
      do throws(APIFailure) {
        let user = try await writer.createUser(body)
        userIDs[step.username] = user.id
        return .done(note: nil)
      } catch {
        guard error.mayHaveApplied else { throw error }
        lastError = error
        if let existing = try await writer.findUser(step.username) {
          userIDs[step.username] = existing.id
          return .done(note: "the server had created it although the answer was lost")
        }
      }
    }
    throw lastError ?? APIFailure(method: "POST", path: "/users", status: 0, message: "create failed")
  }

  /// Creates a token and writes its secret to the secrets file before returning. After an ambiguous failure it
  /// re-reads: a token that now exists without its secret in hand is revoked, then created again. The
  /// plan creates a token only when the user had none with this description, so any such token found
  /// after a lost answer is one nobody holds the secret of.
  func createToken(
    _ step: Step, description: String, expiresInDays: Int?, userID: String
  ) async throws(APIFailure) -> StepOutcome {
    // The expiry counts from the server's clock, which checks it against its own maximum lifetime
    // (model/user_access_token.go, expires_at_too_far): a runner whose clock is ahead would otherwise ask
    // for a token of the maximum lifetime that lands past it.
    let now = Int64(writer.serverNow().timeIntervalSince1970 * 1000)
    let expiresAt = expiresInDays.map { now + Int64($0) * 86_400_000 }
    // A token this description already had when the plan was made is the one a later step of the plan
    // replaces; everything else found after a lost answer is an orphan of this create. Known from the
    // plan, so no read is spent on it.
    let grace: GracefulRotation? = if case .token(.createToken(_, _, let g)) = step.change { g } else { nil }
    let before = Set(
      [grace?.replaces].compactMap { $0 }
        + plan.steps.compactMap { other -> String? in
          guard case .token(.revokeToken(let d, let id)) = other.change, other.username == step.username,
            d == description
          else {
            return nil
          }
          return id
        })
    // The intent names the tokens this create replaces: if the run stops between the create and the
    // revoke, the next plan knows which of the two tokens is the old one.
    let intent = { (sink: any SecretStore) throws in
      try sink.intend(username: step.username, description: description, replaces: before.sorted())
    }
    if let refused = writeSink(intent) { return refused }
    guard let sink else { return .failed(.noSink) }
    var lastError: APIFailure?
    for _ in 0..<Self.createAttempts {
      do throws(APIFailure) {
        let (id, secret, keptExpiry) = try await writer.createToken(
          userID, description: description, expiresAt: expiresAt)
        do {
          try sink.record(username: step.username, description: description, tokenID: id, secret: secret)
        } catch {
          // The secret cannot be kept: do not leave a usable token nobody holds.
          _ = try? await writer.revoke(id)
          return .failed(.sinkFailed("\(error)"))
        }
        tokenIDs[Self.tokenKey(step.username, description)] = id
        if let grace {
          // Timed by the server's clock, as the next plan's reading of it is.
          let at = now + Int64(grace.hours) * 3_600_000
          do {
            try sink.notePendingRevoke(
              username: step.username, description: description, tokenID: grace.replaces, at: at)
          } catch {
            return .done(
              note:
                "warning: the old token \(grace.replaces) could not be noted for revocation (\(error)); the next apply revokes it at once"
            )
          }
        }
        // Servers older than token expiry drop the field and answer without it: the token never expires.
        if expiresAt != nil && (keptExpiry ?? 0) == 0 {
          return .done(
            note: "warning: the server ignored expires_at (it has no token expiry): this token never expires")
        }
        return .done(note: nil)
      } catch {
        guard error.mayHaveApplied else {
          try? sink.settle(username: step.username, description: description)
          throw error
        }
        lastError = error
        let orphans = try await writer.tokens(of: userID).filter {
          $0.description == description && !before.contains($0.id)
        }
        for orphan in orphans { try await writer.revoke(orphan.id) }
      }
    }
    throw lastError ?? APIFailure(method: "POST", path: "/users/\(userID)/tokens", status: 0, message: "create failed")
  }

  /// Sends a password reset, remembering in the secrets file whether it went out: a reset the server could not
  /// mail is planned again by the next run, since the create that planned it will not run again.
  func sendReset(_ step: Step, email: String) async throws(APIFailure) {
    do {
      try await writer.sendPasswordReset(email)
    } catch {
      try? sink?.noteReset(username: step.username, sent: false)
      throw error
    }
    try? sink?.noteReset(username: step.username, sent: true)
  }
}
