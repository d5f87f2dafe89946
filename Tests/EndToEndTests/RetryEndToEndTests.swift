import Foundation
import RosterTestSupport
import Testing

/// What roster sends again, seen from the sandbox's request log.
@Suite struct RetryEndToEndTests {
  /// A server without a license answers a demote with 501 before anything else (api4/user.go
  /// demoteUserToGuest); asking again cannot change that.
  @Test func aDemoteRefusedWith501IsSentOnce() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(2)])
    let manifest = try temporaryFile(
      "m.yaml", "version: 1\nusers:\n  - username: admin\n  - username: user01\n    roles: [system_guest]\n")
    let result = try await RosterCLI.run(["apply", "-f", manifest, "--auto-approve"] + sandbox.connection)
    #expect(result.status != 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("501") || result.stderr.contains("501"), "\(result.stdout)\(result.stderr)")
    #expect(try await sandbox.requestLog().byRoute["POST /api/v4/users/{user_id}/demote"] == 1)
  }

  /// A reset an earlier apply could not send (its sink line says so) is planned and sent by the next
  /// apply, to the account's address, and the sink's note is closed: the plan after that is empty.
  @Test func aResetTheSinkRemembersIsSentByTheNextApply() async throws {
    let seed = try temporaryFile(
      "seed.json",
      #"{"users":[{"username":"admin","email":"admin@example.com","roles":"system_admin system_user"},"#
        + #"{"username":"nina","email":"nina@example.com"}]}"#)
    let sandbox = try await SandboxProcess(["--seed", seed])
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n  - username: admin\n  - username: nina\n    email: nina@example.com\n"
        + "    send_password_reset: true\n")
    let sink = try temporaryFile(
      "sink.jsonl", #"{"at":"2026-01-01T00:00:00Z","password_reset":"failed","username":"nina"}"# + "\n")
    chmod(sink, 0o600)
    let plan = try await RosterCLI.run(["plan", "-f", manifest, "--token-output", sink] + sandbox.connection)
    #expect(plan.stdout.contains("send_password_reset") || plan.stdout.contains("reset"), "\(plan.stdout)")
    let apply = try await RosterCLI.run(
      ["apply", "-f", manifest, "--auto-approve", "--token-output", sink] + sandbox.connection)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    let mail = try await sandbox.inspect("GET", "/mail") as? [[String: Any]] ?? []
    #expect(mail.map { "\($0["kind"] ?? "") \($0["to"] ?? "")" } == ["password_reset nina@example.com"])
    let again = try await RosterCLI.run(
      ["plan", "-f", manifest, "--detailed-exitcode", "--token-output", sink] + sandbox.connection)
    #expect(again.status == 0, "the note is closed: \(again.stdout)")
    let without = try await RosterCLI.run(["plan", "-f", manifest, "--detailed-exitcode"] + sandbox.connection)
    #expect(without.status == 0, "nothing pending without the sink's memory")
  }
}
