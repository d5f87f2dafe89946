import Foundation
import RosterTestSupport
import Testing

/// One user's problem does not block everyone: the plan keeps every other user's steps and names the
/// errored users; `apply --skip-errored` applies the rest and exits 4 naming what it left out.
@Suite struct SkipErroredTests {
  static let seed =
    #"{"users":[{"username":"admin","email":"admin@example.com","roles":"system_admin system_user"},"#
    + #"{"username":"bob","email":"bob@example.com","tokens":[{"description":"ci"},{"description":"ci"}]},"#
    + #"{"username":"carol","email":"carol@example.com"}]}"#
  static let manifest =
    "version: 1\nusers:\n  - username: admin\n  - username: bob\n    position: Builder\n    tokens:\n"
    + "      - description: ci\n  - username: carol\n    position: Lead\n"

  @Test func aStrayDuplicateTokenHoldsBackOnlyItsOwner() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
    let manifest = try temporaryFile("m.yaml", Self.manifest)
    let plan = try await RosterCLI.run(["plan", "-f", manifest] + sandbox.connection)
    #expect(plan.status == 1, "\(plan.stdout)\(plan.stderr)")
    #expect(plan.stdout.contains("~ update user carol"), "the other user's steps stay: \(plan.stdout)")
    #expect(plan.stdout.contains("2 live tokens are described \"ci\""), "\(plan.stdout)")
    #expect(plan.stdout.contains("Users with errors: bob."), "\(plan.stdout)")

    let refused = try await RosterCLI.run(["apply", "-f", manifest, "--auto-approve"] + sandbox.connection)
    #expect(refused.status == 1, "without the flag apply refuses as before: \(refused.stderr)")
    #expect(try await sandbox.requestLog().writes == 0)

    let applied = try await RosterCLI.run(
      ["apply", "-f", manifest, "--auto-approve", "--skip-errored"] + sandbox.connection)
    #expect(applied.status == 4, "\(applied.stdout)\(applied.stderr)")
    #expect(applied.stderr.contains("skipped (--skip-errored), with errors to fix: bob"), "\(applied.stderr)")
    #expect(applied.stdout.contains("Skipped (--skip-errored): bob."), "\(applied.stdout)")
    #expect(applied.stdout.contains("Verified: the server matches."), "\(applied.stdout)")
    let carol = try await sandbox.call("GET", "/users/username/carol").object
    let bob = try await sandbox.call("GET", "/users/username/bob").object
    #expect(carol["position"] as? String == "Lead")
    #expect((bob["position"] as? String ?? "") == "", "the errored user is left alone")

    let saved = try await RosterCLI.run(["apply", "plan.json", "--skip-errored"] + sandbox.connection)
    #expect(saved.status == 64, "a saved plan's steps are fixed: \(saved.stderr)")
  }
}
