import Foundation
import RosterClient
import RosterCore
import Testing

/// Which answers are worth another try: a deterministic refusal is sent once, a reset that may have
/// mailed someone at most twice.
@Suite struct RetryTests {
  func writer(_ transport: ScriptedTransport) -> ServerWriter {
    var options = ConnectionOptions(baseURL: "http://test", token: "secret-token")
    options.maxAttempts = 6
    options.backoffBase = 0.001
    options.backoffCap = 0.002
    return ServerWriter(reader: ServerReader(transport: transport, options: options))
  }

  static let id = "u0000000000000000000000001"

  /// A demote on a server without a license answers 501 (api4/user.go demoteUserToGuest), a bad body 400:
  /// the same on every try.
  @Test(arguments: [501, 400, 403, 404, 409])
  func aDeterministicRefusalIsSentExactlyOnce(status: Int) async {
    let transport = ScriptedTransport(fallback: ScriptedTransport.json(status, #"{"id":"refused"}"#))
    do {
      try await writer(transport).demote(Self.id)
      Issue.record("expected a failure")
    } catch {
      #expect(error.status == status)
    }
    #expect(transport.paths == ["POST /api/v4/users/\(Self.id)/demote"])
  }

  @Test func anIdempotentWriteIsStillRetriedOnAServerErrorAnd429() async throws {
    let transport = ScriptedTransport([
      ScriptedTransport.json(503, "{}"), ScriptedTransport.json(429, "limit exceeded", headers: ["retry-after": "0"]),
      ScriptedTransport.json(200, #"{"status":"OK"}"#),
    ])
    try await writer(transport).demote(Self.id)
    #expect(transport.paths.count == 3)
  }

  /// app/user.go SendPasswordReset answers 500 api.user.send_password_reset.send.app_error when the
  /// email service cannot send (server/channels/app/email/email.go SendPasswordResetEmail).
  @Test func aPasswordResetThatFailsWith500IsSentAtMostTwice() async {
    let transport = ScriptedTransport(
      fallback: ScriptedTransport.json(500, #"{"id":"api.user.send_password_reset.send.app_error"}"#))
    do {
      try await writer(transport).sendPasswordReset("a@example.com")
      Issue.record("expected a failure")
    } catch {
      #expect(error.id == "api.user.send_password_reset.send.app_error")
    }
    #expect(transport.paths.count == 2)
  }

  @Test func aPasswordResetIsRetriedOn429LikeAnyCall() async throws {
    let transport = ScriptedTransport([
      ScriptedTransport.json(429, "limit exceeded", headers: ["retry-after": "0"]),
      ScriptedTransport.json(500, "{}"), ScriptedTransport.json(200, #"{"status":"OK"}"#),
    ])
    try await writer(transport).sendPasswordReset("a@example.com")
    #expect(transport.paths.count == 3)
  }
}
