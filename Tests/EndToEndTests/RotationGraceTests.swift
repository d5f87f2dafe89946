import Foundation
import RosterTestSupport
import Testing

/// Rotation without an outage against roster-sandbox: with `rotation_grace_hours`, the old token keeps
/// working after its replacement exists, the state file says until when, and the first apply after
/// that revokes it. Time moves the way the other rotation tests move it: the state's recorded time is
/// put in the past, as if the hours had gone by.
@Suite struct RotationGraceTests {
  static let oldSecret = "robsecret00000000000000000"
  static let oldID = "robtoken000000000000000000"

  func run(_ args: [String], _ sandbox: SandboxProcess) async throws -> RunResult {
    try await RosterCLI.run(args + sandbox.connection)
  }

  func status(_ secret: String, _ sandbox: SandboxProcess) async throws -> Int {
    try await sandbox.call("GET", "/users/me", token: secret).status
  }

  @Test func theOldTokenWorksThroughTheGraceAndIsRevokedByTheFirstApplyAfterIt() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", LifecycleTests.seed)])
    let file = try temporaryFile(
      "roster.yaml",
      "version: 1\nsettings:\n  rotation_grace_hours: 24\nusers:\n  - username: rob\n    tokens:\n      - description: ci\n        rotate_after_days: 30\n"
    )
    let dir = try temporaryFile("keep", "")
    let state = dir + ".state"
    let secrets = dir + ".secrets"
    let files = ["-f", file, "--state", state, "--secrets-file", secrets]

    let rotate = try await run(["apply", "--replace-token", "rob/ci", "--auto-approve"] + files, sandbox)
    #expect(rotate.status == 0, "\(rotate.stdout)\(rotate.stderr)")
    #expect(rotate.stdout.contains("keeps working for 24 hours"), "\(rotate.stdout)")
    #expect(!rotate.stdout.contains("revoke token"))
    let newSecret = try #require(LifecycleTests().sinkLines(secrets).last?["token"] as? String)
    #expect(try await status(newSecret, sandbox) == 200)
    #expect(try await status(Self.oldSecret, sandbox) == 200, "the old token still works during the grace")
    let stateText = try String(contentsOfFile: state, encoding: .utf8)
    #expect(stateText.contains("\"pending_revoke\":\"\(Self.oldID)\"") && !stateText.contains(newSecret))

    // Before the time: pending, not a change.
    let during = try await run(["plan", "--detailed-exitcode"] + files, sandbox)
    #expect(during.status == 0, "\(during.stdout)\(during.stderr)")
    #expect(during.stdout.contains("No changes"))
    #expect(during.stdout.contains("revoke token \"ci\" of rob (\(Self.oldID)) from "), "\(during.stdout)")

    // The hours go by.
    let year = Calendar(identifier: .gregorian).component(.year, from: Date())
    try stateText.replacingOccurrences(of: "\"revoke_at\":\"\(year)", with: "\"revoke_at\":\"\(year - 1)")
      .write(toFile: state, atomically: false, encoding: .utf8)
    let after = try await run(["plan", "--detailed-exitcode"] + files, sandbox)
    #expect(after.status == 2, "\(after.stdout)\(after.stderr)")
    #expect(after.stdout.contains("revoke token \"ci\" of rob (\(Self.oldID))"))
    #expect(after.stdout.contains("rotation grace ended"))
    let apply = try await run(["apply", "--auto-approve"] + files, sandbox)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    #expect(try await status(Self.oldSecret, sandbox) == 401, "revoked after the grace")
    #expect(try await status(newSecret, sandbox) == 200)

    let again = try await run(["plan", "--detailed-exitcode"] + files, sandbox)
    #expect(again.status == 0, "a re-run converges: \(again.stdout)\(again.stderr)")
    #expect(!again.stdout.contains("Pending"))
  }
}
