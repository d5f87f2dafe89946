import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// The secrets file: a sink that is not a private file of ours, stdout as the sink, and a lost token secret.
extension SecurityTests {
  func tokenManifest() throws -> String {
    try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n  - username: admin\n  - username: ops\n    email: ops@example.com\n"
        + "    password: ${PW}\n    tokens:\n      - description: pager\n")
  }

  func apply(_ manifest: String, sink: String, _ sandbox: SandboxProcess) async throws -> RunResult {
    try await RosterCLI.run(
      ["apply", "-f", manifest, "--auto-approve", "--token-output", sink] + sandbox.connection,
      environment: ["PW": "ops-password-1"])
  }

  @Test func aSinkThatIsNotAPrivateFileOfOursIsRefusedBeforeAnyWrite() async throws {
    let sandbox = try await SandboxProcess()
    let manifest = try tokenManifest()
    let dir = URL(fileURLWithPath: try temporaryFile("x", "")).deletingLastPathComponent()
    let target = dir.appendingPathComponent("victim").path
    try "keep me\n".write(toFile: target, atomically: true, encoding: .utf8)
    let link = dir.appendingPathComponent("link.jsonl").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
    let loose = dir.appendingPathComponent("loose.jsonl").path
    FileManager.default.createFile(atPath: loose, contents: Data(), attributes: [.posixPermissions: 0o644])
    let foreign = dir.appendingPathComponent("foreign.jsonl").path
    FileManager.default.createFile(atPath: foreign, contents: Data(), attributes: [.posixPermissions: 0o600])
    chown(foreign, 65534, 65534)
    let precious = dir.appendingPathComponent("precious").path
    FileManager.default.createFile(
      atPath: precious, contents: Data("ssh-ed25519 key\n".utf8), attributes: [.posixPermissions: 0o600])
    let hardLink = dir.appendingPathComponent("hard.jsonl").path
    try FileManager.default.linkItem(atPath: precious, toPath: hardLink)
    let cases: [(String, String)] =
      [
        (link, "symbolic link"), (loose, "mode is 644"), ("/dev/null", "not a regular file"), (hardLink, "hard links"),
        (manifest, "a file apply reads"),
      ] + (geteuid() == 0 ? [(foreign, "belongs to another user")] : [])
    for (sink, reason) in cases {
      let result = try await apply(manifest, sink: sink, sandbox)
      #expect(result.status == 3, "\(sink): \(result.stderr)")
      #expect(result.stderr.contains(reason), "\(sink): \(result.stderr)")
    }
    #expect(try await sandbox.requestLog().writes == 0)
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me\n", "the link's target is untouched")
    #expect(
      try String(contentsOfFile: precious, encoding: .utf8) == "ssh-ed25519 key\n",
      "nothing appended through a hard link")
    let mode = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.posixPermissions] as? Int
    #expect(mode == 0o666, "a device node is never chmodded")
  }

  @Test func secretsOnStandardOutputAndEverythingElseOnStandardError() async throws {
    let sandbox = try await SandboxProcess()
    let result = try await apply(try tokenManifest(), sink: "-", sandbox)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 2, "an intent and the token record, nothing else: \(result.stdout)")
    #expect(lines.allSatisfy { $0.hasPrefix("{") })
    #expect(result.stderr.contains("Roster will make these changes") && result.stderr.contains("Verified"))
  }

  @Test func anOpenIntentReplacesTheTokenWhoseSecretWasLost() async throws {
    // As if apply was killed after the server created the token and before the secret was written.
    let sandbox = try await SandboxProcess()
    let manifest = try tokenManifest()
    let created = try await sandbox.call(
      "POST", "/users", json: #"{"username":"ops","email":"ops@example.com","password":"ops-password-1"}"#)
    let id = try #require(created.object["id"] as? String)
    let lost = try await sandbox.call("POST", "/users/\(id)/tokens", json: #"{"description":"pager"}"#)
    let lostID = try #require(lost.object["id"] as? String)
    let sink = try temporaryFile("tokens.jsonl", "")
    chmod(sink, 0o600)
    try #"{"description":"pager","intent":"create_token","started_at":"2026-01-01T00:00:00Z","username":"ops"}"#
      .appending("\n").write(toFile: sink, atomically: false, encoding: .utf8)
    let quiet = try await RosterCLI.run(
      ["plan", "-f", manifest, "--detailed-exitcode"] + sandbox.connection, environment: ["PW": "x"])
    #expect(quiet.status == 0, "without the sink the token looks fine: \(quiet.stdout)")
    let result = try await apply(manifest, sink: sink, sandbox)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("revoke token \"pager\" of ops (\(lostID))"))
    let live = try await sandbox.call("GET", "/users/\(id)/tokens").array
    #expect(live.count == 1 && live.first?["id"] as? String != lostID, "the orphan is gone, a new token is live")
    let records = try String(contentsOfFile: sink, encoding: .utf8).split(separator: "\n").filter {
      $0.contains("\"token\":")
    }
    #expect(records.count == 1 && records[0].contains(live.first?["id"] as? String ?? "?"), "its secret is in the sink")
  }
}
