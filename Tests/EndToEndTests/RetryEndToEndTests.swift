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
}
