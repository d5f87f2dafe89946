import Foundation
import RosterClient
import RosterCore
import Testing

/// A password reset the server could not mail is remembered and asked for again; a token's expiry
/// counts from the server's clock, and a server that drops it is named.
@Suite struct ResetAndExpiryTests {
  static let alice = LiveUser(id: "alice00000000000000000000a", username: "alice", email: "alice@example.com")

  static func resetPlan(_ user: LiveUser = alice) -> Plan {
    ApplierTests.plan([
      (Step(.user(.sendPasswordReset(email: user.email)), username: user.username, userID: user.id), [])
    ])
  }

  func sinkPath() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roster-reset-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent("sink.jsonl").path
  }

  /// app/user.go SendPasswordReset: 500 api.user.send_password_reset.send.app_error when the email
  /// service fails; the account exists, so only the sink's memory can bring the reset back.
  @Test func aResetThatWasNotSentIsRememberedUntilOneIsSent() async throws {
    let path = try sinkPath()
    let server = InMemoryServer(users: [ApplierTests.admin, Self.alice])
    await server.script("send_password_reset", .refuse(500))
    let failed = await Applier(
      writer: server, plan: Self.resetPlan(), passwords: [:], sink: try SecretsFile(path: path), parallelism: 1,
      progress: nil
    ).run()
    #expect(failed[0]?.isFailure == true)
    #expect(try SecretsFile.memory(at: path).pendingResets == ["alice"])
    let sent = await Applier(
      writer: server, plan: Self.resetPlan(), passwords: [:], sink: try SecretsFile(path: path), parallelism: 1,
      progress: nil
    ).run()
    #expect(sent[0]?.succeeded == true)
    #expect(try SecretsFile.memory(at: path).pendingResets.isEmpty, "a sent reset closes the entry")
    #expect(!(try String(contentsOfFile: path, encoding: .utf8)).contains("alice@example.com"), "no address kept")
  }

  @Test func aFailedResetMakesApplyIncompleteNotVerified() async throws {
    let server = InMemoryServer(users: [ApplierTests.admin, Self.alice])
    await server.script("send_password_reset", .refuse(500))
    let reader = ServerReader(
      transport: ScriptedTransport(), options: ConnectionOptions(baseURL: "http://test", token: "t"))
    var session = ApplySession()
    session.tokenOutput = try sinkPath()
    let prepared = PreparedApply(plan: Self.resetPlan(), passwords: [:]) { _ in [] }
    let result = await session.run(prepared, writer: server, reader: reader, progress: nil) { .approved }
    guard case .incomplete(let report) = result else {
      Issue.record("expected an incomplete apply, got \(result)")
      return
    }
    #expect(report.failed == 1)
    #expect(try SecretsFile.memory(at: session.tokenOutput ?? "").pendingResets == ["alice"])
  }

  /// Go's net/http writes the `Date` header on every answer; the server checks expiry against its own
  /// clock (model/user_access_token.go, app.user_access_token.expires_at_too_far.app_error).
  @Test func theServersDateHeaderDrivesExpiresAt() async throws {
    let created = #"{"id":"t0000000000000000000000001","token":"s","user_id":"x","expires_at":1}"#
    let transport = ScriptedTransport([
      ScriptedTransport.json(200, ClientTests.me, headers: ["date": "Sun, 06 Nov 1994 08:49:37 GMT"]),
      ScriptedTransport.json(200, created),
    ])
    let reader = ServerReader(transport: transport, options: ConnectionOptions(baseURL: "http://test", token: "t"))
    _ = try await reader.me()
    let plan = ApplierTests.plan([
      (Step(.token(.createToken(description: "ci", expiresInDays: 30)), username: "alice", userID: Self.alice.id), [])
    ])
    let outcomes = await Applier(
      writer: ServerWriter(reader: reader), plan: plan, passwords: [:], sink: MemorySecretStore(), parallelism: 1,
      progress: nil
    ).run()
    #expect(outcomes[0]?.succeeded == true)
    let body = try #require(transport.requests.last?.body)
    let sent = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
    let expiresAt = try #require(sent["expires_at"] as? Int64)
    let expected: Int64 = 784_111_777_000 + 30 * 86_400_000
    #expect(
      (expected...(expected + 120_000)).contains(expiresAt),
      "\(expiresAt) counts from the server's date (plus the time the test took on a loaded machine)")
  }

  @Test func aServerThatDropsExpiresAtIsNamedInAWarning() async throws {
    let created = #"{"id":"t0000000000000000000000001","token":"s","user_id":"x"}"#
    let transport = ScriptedTransport([ScriptedTransport.json(200, created)])
    let reader = ServerReader(transport: transport, options: ConnectionOptions(baseURL: "http://test", token: "t"))
    let plan = ApplierTests.plan([
      (Step(.token(.createToken(description: "ci", expiresInDays: 30)), username: "alice", userID: Self.alice.id), [])
    ])
    let outcomes = await Applier(
      writer: ServerWriter(reader: reader), plan: plan, passwords: [:], sink: MemorySecretStore(), parallelism: 1,
      progress: nil
    ).run()
    guard case .done(let note?) = outcomes[0] else {
      Issue.record("expected a note, got \(String(describing: outcomes[0]))")
      return
    }
    #expect(note.contains("ignored expires_at") && note.contains("never expires"))
  }

  @Test(arguments: ["", "garbage", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 32 Nov 1994 08:49:37 GMT"])
  func anUnusableDateHeaderLeavesTheClockAlone(header: String) async throws {
    let transport = ScriptedTransport([ScriptedTransport.json(200, ClientTests.me, headers: ["date": header])])
    let reader = ServerReader(transport: transport, options: ConnectionOptions(baseURL: "http://test", token: "t"))
    _ = try await reader.me()
    let skew = ServerWriter(reader: reader).serverNow().timeIntervalSinceNow
    #expect(abs(skew) < 5)
  }
}
