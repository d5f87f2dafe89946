import RosterCore
import Testing

/// Rotation without an outage (`rotation_grace_hours`): the old token keeps working until its grace ends.
extension LifecyclePlannerTests {
  static let graceful =
    "settings:\n  rotation_grace_hours: 24\nusers:\n  - username: bob\n    tokens:\n      - description: ci\n        rotate_after_days: 30\n"

  @Test func aRotationWithAGraceCreatesAndLeavesTheOldTokenWorking() throws {
    var options = PlanOptions()
    options.tokenCreatedAt = ["tok1": Self.now - 31 * Self.day]
    let plan = P.plan(
      Self.graceful, users: [P.user("bob")], tokens: [P.token("bob", "ci", id: "tok1")], options: options,
      readAt: Self.now)
    #expect(P.lines(plan) == ["create_token bob ci"])
    guard case .token(.createToken(_, _, let grace)) = try #require(plan.steps.first).change else {
      Issue.record("not a create")
      return
    }
    #expect(grace == GracefulRotation(replaces: "tok1", hours: 24))
    // A token's own grace overrides the settings'; 0 revokes at once.
    let own = Self.graceful.replacingOccurrences(of: "30\n", with: "30\n        rotation_grace_hours: 0\n")
    let now = P.plan(
      own, users: [P.user("bob")], tokens: [P.token("bob", "ci", id: "tok1")], options: options, readAt: Self.now)
    #expect(P.lines(now) == ["create_token bob ci", "revoke_token bob ci"])
  }

  @Test func theReplacedTokenIsPendingUntilItsTimeThenRevoked() {
    let old = P.token("bob", "ci", id: "old1")
    let new = P.token("bob", "ci", id: "new1")
    var options = PlanOptions()
    options.supersededTokens = ["old1"]
    options.tokenCreatedAt = ["new1": Self.now - Self.day / 2]
    options.pendingRevokes = ["old1": Self.now + Self.day / 2]
    let before = P.plan(Self.graceful, users: [P.user("bob")], tokens: [old, new], options: options, readAt: Self.now)
    #expect(before.isEmpty && before.errors.isEmpty)
    #expect(before.pendingRevokes.map(\.tokenID) == ["old1"])
    #expect(PlanTextRenderer(color: false).render(before, requests: nil).contains("(old1) from "))
    let after = P.plan(
      Self.graceful, users: [P.user("bob")], tokens: [old, new], options: options, readAt: Self.now + Self.day)
    #expect(P.lines(after) == ["revoke_token bob ci"])
    #expect(after.steps.first?.tokenID == "old1" && after.pendingRevokes.isEmpty)
    #expect(after.steps.first?.reason?.contains("rotation grace ended") == true)
  }

  @Test func anExpiredTokenGetsNoGrace() {
    var expired = P.token("bob", "ci", id: "tok1")
    expired.expiresAt = Self.now - 1
    let plan = P.plan(Self.graceful, users: [P.user("bob")], tokens: [expired], readAt: Self.now)
    #expect(P.lines(plan) == ["create_token bob ci", "revoke_token bob ci"])
  }
}
