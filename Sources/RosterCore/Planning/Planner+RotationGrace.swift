/// A token a rotation replaced that keeps working until `at`, so whoever uses it has time to take the
/// new secret (`rotation_grace_hours`). Shown by the plan; not one of its changes.
public struct PendingRevoke: Sendable, Equatable {
  public var username: String
  public var description: String
  public var tokenID: String
  /// Milliseconds since 1970, by the server's clock: the first apply from then on revokes the token.
  public var at: Int64

  public init(username: String, description: String, tokenID: String, at: Int64) {
    self.username = username
    self.description = description
    self.tokenID = tokenID
    self.at = at
  }

  /// `revoke token "ci" of rob (id) from 2025-03-01T12:00:00Z (rotation grace)`.
  public var sentence: String {
    "revoke token \"\(description)\" of \(username) (\(tokenID)) from \(AuditDate.iso8601(at)) (rotation grace)"
  }
}

/// Rotation without an outage: with a grace, a rotation creates the new token and leaves the old one
/// working; the state file notes when its grace ends, and the first plan after that revokes it.
extension PlanBuilder {
  /// The grace a rotation of `live` gets, in hours; nil when it is revoked at once. Only a rotation
  /// (`rotate_after_days`, `--replace-token`) gets one: an expired token no longer works, and nobody holds
  /// the secret of an interrupted create's token, so neither has a consumer to wait for.
  func graceHours(_ spec: TokenSpec, replacing live: LiveToken, name: String) -> Int? {
    if orphaned.contains(TokenKey(username: name, description: spec.description)) { return nil }
    if let now = self.live.readAt, live.isExpired(at: now) { return nil }
    let hours = spec.rotationGraceHours ?? manifest.settings.rotationGraceHours ?? 0
    return hours > 0 ? hours : nil
  }

  /// A replaced token still within its grace: noted as waiting, and true, so no revoke is planned. A
  /// replaced token with no noted time (a rotation without a grace, stopped before its revoke) is not
  /// waiting; when the server's time is unknown the grace is kept.
  mutating func waitsForGrace(_ old: LiveToken, description: String, name: String) -> Bool {
    guard let at = pendingRevokes[old.id] else { return false }
    if let now = live.readAt, now >= at { return false }
    waiting.append(PendingRevoke(username: name, description: description, tokenID: old.id, at: at))
    return true
  }

  /// The revoke's reason once a grace has ended, or nil when the token had none.
  func graceEndedReason(_ old: LiveToken, keep: LiveToken) -> String? {
    pendingRevokes[old.id].map { "replaced by \(keep.id); its rotation grace ended at \(AuditDate.iso8601($0))" }
  }
}

extension PlanOptions {
  /// For the plan that verifies an apply of `plan`: a rotation with a grace leaves its old token beside
  /// the new one on purpose, so those old tokens count as replaced and waiting, as the state now says.
  public mutating func keepGraceWaits(of plan: Plan, known: PlanOptions) {
    supersededTokens = known.supersededTokens
    pendingRevokes = known.pendingRevokes
    for case .token(.createToken(_, _, let grace?)) in plan.steps.map(\.change) {
      supersededTokens.insert(grace.replaces)
      pendingRevokes[grace.replaces] = .max
    }
  }
}
