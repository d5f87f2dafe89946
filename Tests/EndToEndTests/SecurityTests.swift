import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// Attacks on roster as it runs in CI next to untrusted pull requests, each shown to fail safely with
/// zero unintended writes: secrets pulled into plans, a hijacked secrets file, an edited saved plan, an
/// interrupted token create, escape sequences from the server, and broken or hostile servers.
@Suite struct SecurityTests {
  static let adminManifest = "version: 1\nusers:\n  - username: admin\n"

  // MARK: 1. secrets through ${VAR}

  @Test func aVariableOutsidePasswordIsRefusedAndItsValueNeverShown() async throws {
    let sandbox = try await SandboxProcess()
    let manifest = try temporaryFile(
      "m.yaml", "version: 1\nusers:\n  - username: admin\n    nickname: \"x ${MM_TOKEN}\"\n")
    let env = ["MM_TOKEN": sandbox.adminToken]
    let validate = try await RosterCLI.run(["validate", "-f", manifest], environment: env)
    #expect(validate.status == 1)
    #expect(
      validate.stderr.contains("m.yaml:4:18: error: nickname cannot refer to the environment"), "\(validate.stderr)")
    for format in ["text", "json", "markdown"] {
      let plan = try await RosterCLI.run(
        ["plan", "-f", manifest, "--format", format, "--url", sandbox.url], environment: env)
      #expect(plan.status == 1)
      #expect(!(plan.stdout + plan.stderr + validate.stderr).contains(sandbox.adminToken))
    }
    #expect(try await sandbox.requestLog().total == 0, "refused before any request")
  }

  // MARK: 2. the secrets file

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

  // MARK: 3. edited saved plans

  func savedPlan(
    _ sandbox: SandboxProcess, _ manifest: String, _ extra: [String] = []
  ) async throws -> (path: String, json: [String: Any]) {
    let out = try temporaryFile("plan.json", "")
    let plan = try await RosterCLI.run(["plan", "-f", manifest, "--out", out] + extra + sandbox.connection)
    #expect(plan.status == 0, "\(plan.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
    return (out, json)
  }

  func write(_ json: [String: Any], to path: String) throws {
    try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
  }

  @Test func aStepRedirectedToTheActingAdminIsRefused() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(6)])
    let manifest = try temporaryFile("m.yaml", "version: 1\nusers:\n  - username: user05\n    active: false\n")
    var (path, json) = try await savedPlan(sandbox, manifest)
    let me = try #require(try await sandbox.call("GET", "/users/me").object["id"] as? String)
    var steps = try #require(json["steps"] as? [[String: Any]])
    steps[0]["user_id"] = me
    json["steps"] = steps
    try write(json, to: path)
    let result = try await RosterCLI.run(["apply", path, "--auto-approve"] + sandbox.connection)
    #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.contains("is not user05's"), "\(result.stderr)")
    #expect(try await sandbox.requestLog().writes == 0)
  }

  @Test func removedGatesAreRecomputedAndLoosenedSettingsIgnored() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(12)])
    let names = (1...12).map { String(format: "user%02d", $0) }
    var text = "version: 1\nsettings:\n  max_deactivations: 100%\nusers:\n  - username: admin\n"
    for name in names { text += "  - username: \(name)\n    active: false\n" }
    // The operator allowed it when planning; applying the file without that flag recomputes the gate.
    var (path, json) = try await savedPlan(sandbox, try temporaryFile("m.yaml", text), ["--max-deactivations", "100%"])
    json["gates"] = []
    json["safety"] = ["protected_users": [], "max_deactivations": "100%", "min_system_admins": 0]
    try write(json, to: path)
    let result = try await RosterCLI.run(["apply", path, "--auto-approve"] + sandbox.connection)
    #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.contains("12 deactivations exceed max_deactivations"), "\(result.stderr)")
    #expect(try await sandbox.requestLog().writes == 0)
  }

  @Test func aProtectedUserStaysProtectedInAnEditedPlan() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(4)])
    let manifest = try temporaryFile(
      "m.yaml", "version: 1\nsettings:\n  protected_users: [user01]\nusers:\n  - username: user02\n    active: false\n")
    var (path, json) = try await savedPlan(sandbox, manifest)
    let user01 = try #require(try await sandbox.call("GET", "/users/username/user01").object["id"] as? String)
    var steps = try #require(json["steps"] as? [[String: Any]])
    steps[0]["username"] = "user01"
    steps[0]["user_id"] = user01
    json["steps"] = steps
    try write(json, to: path)
    let result = try await RosterCLI.run(["apply", path, "--auto-approve"] + sandbox.connection)
    #expect(result.status == 3 && result.stderr.contains("user01 is a protected user"), "\(result.stderr)")
    #expect(try await sandbox.requestLog().writes == 0)
  }

  // MARK: 6. escape sequences and Markdown from the server

  @Test func controlCharactersFromTheServerAreShownNotObeyed() async throws {
    let sandbox = try await SandboxProcess()
    let hostile = "evil\u{1B}]52;c;cm0gLXJmIH4=\u{07}\r\u{202E}gnp.exe`](http://x) <img>"
    let nickname =
      String(data: try JSONSerialization.data(withJSONObject: [hostile]), encoding: .utf8)?
      .dropFirst().dropLast() ?? ""
    let created = try await sandbox.call(
      "POST", "/users",
      json: #"{"username":"mallory","email":"m@example.com","password":"password-1","nickname":\#(nickname)}"#)
    #expect(created.status == 201)
    let manifest = try temporaryFile("m.yaml", "version: 1\nusers:\n  - username: mallory\n    nickname: calm\n")
    let text = try await RosterCLI.run(["plan", "-f", manifest] + sandbox.connection)
    #expect(!text.stdout.contains("\u{1B}") && !text.stdout.contains("\u{202E}") && !text.stdout.contains("\r"))
    #expect(text.stdout.contains("\\u{001B}]52;c;"), "\(text.stdout)")
    let markdown = try await RosterCLI.run(["plan", "-f", manifest, "--format", "markdown"] + sandbox.connection)
    let row = try #require(markdown.stdout.split(separator: "\n").first { $0.contains("patch_profile") })
    #expect(row.contains("``evil") && row.contains("<img>``"), "the value stays inside its code span: \(row)")
    let exported = try temporaryFile("export.yaml", "")
    let export = try await RosterCLI.run(["export", "--out", exported] + sandbox.connection)
    #expect(export.status == 0)
    let again = try await RosterCLI.run(["plan", "-f", exported, "--detailed-exitcode"] + sandbox.connection)
    #expect(again.status == 0, "the export reads back to exactly the server's value: \(again.stdout)\(again.stderr)")
  }

  // MARK: 7. hostile servers

  func hostile(_ mode: String) async throws -> (url: String, process: Process, log: String) {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("hostile_server.py")
      .path
    let log = try temporaryFile("hostile.log", "")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script, mode]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle(forWritingAtPath: log)
    try process.run()
    let url: String = await withCheckedContinuation { continuation in
      DispatchQueue.global().async {
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        continuation.resume(
          returning: String(line.split(separator: " ").last ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
      }
    }
    return (url, process, log)
  }

  @Test(arguments: [
    ("endless-pages", "same users page twice"), ("huge-count", "refusing to believe"),
    ("huge-body", "larger than 64 MiB"), ("bad-ids", "refusing the server id"),
  ])
  func aHostileServerFailsTheRunSafely(mode: String, message: String) async throws {
    let server = try await hostile(mode)
    defer { server.process.terminate() }
    var text =
      "version: 1\nsettings:\n  unmanaged_users: deactivate\n  max_deactivations: 100%\nusers:\n  - username: admin\n"
    let manifest = try temporaryFile("m.yaml", text)
    let clock = ContinuousClock()
    let started = clock.now
    let result = try await RosterCLI.run(
      ["apply", "-f", manifest, "--auto-approve", "--url", server.url, "--token", "t", "--token-output", "-"],
      timeout: 60)
    #expect(clock.now - started < .seconds(30), "bounded in time")
    #expect(result.status == 1, "\(mode): \(result.stdout)\(result.stderr)")
    #expect(result.stderr.contains(message), "\(mode): \(result.stderr)")
    let requests = try String(contentsOfFile: server.log, encoding: .utf8).split(separator: "\n")
    #expect(
      requests.allSatisfy { $0.hasPrefix("GET ") }, "nothing written: \(requests.filter { !$0.hasPrefix("GET ") })")
  }

  @Test func aDamagedPlanFileIsRefusedWithExitThree() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(3)])
    let manifest = try temporaryFile("m.yaml", "version: 1\nusers:\n  - username: user01\n    active: false\n")
    var (path, json) = try await savedPlan(sandbox, manifest)
    var steps = try #require(json["steps"] as? [[String: Any]])
    steps[0]["kind"] = "set_roles"
    json["steps"] = steps
    try write(json, to: path)
    let result = try await RosterCLI.run(["apply", path] + sandbox.connection)
    #expect(result.status == 3, "\(result.stderr)")
    #expect(result.stderr.contains("roles_before: missing"), "\(result.stderr)")
    #expect(try await sandbox.requestLog().writes == 0)
  }

  // MARK: 4. interruption

  @Test func anInterruptedApplyFinishesInFlightStepsReportsAndConverges() async throws {
    // Slow enough that the steps left after the first token intent take seconds, even when a sanitized
    // build delivers the signal late.
    let sandbox = try await SandboxProcess(["--latency-ms", "400"])
    var text = "version: 1\nusers:\n  - username: admin\n"
    for i in 1...10 {
      text +=
        "  - username: new\(i)\n    email: new\(i)@example.com\n    password: ${PW}\n    tokens:\n      - description: ci\n"
    }
    let manifest = try temporaryFile("m.yaml", text)
    let sink = try temporaryFile("tokens.jsonl", "")
    try FileManager.default.removeItem(atPath: sink)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: RosterCLI.executable)
    process.arguments =
      ["apply", "-f", manifest, "--auto-approve", "--parallelism", "1", "--token-output", sink] + sandbox.connection
    process.environment = ["PW": "password-long-1", "NO_COLOR": "1"]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = Pipe()
    let exited = AsyncExit(watching: process)
    try process.run()
    // Interrupt once apply is writing (its first token intent is in the sink), whatever the machine's load.
    let writing = await signalProcess(process, SIGINT) {
      (try? String(contentsOfFile: sink, encoding: .utf8))?.contains("\"intent\"") == true
    }
    #expect(writing, "apply wrote no token intent within 30 s")
    await exited.wait()
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(process.terminationStatus == 4, "\(stdout)")
    #expect(stdout.contains("not started: interrupted"), "\(stdout)")
    let again = try await RosterCLI.run(
      ["apply", "-f", manifest, "--auto-approve", "--token-output", sink] + sandbox.connection,
      environment: ["PW": "password-long-1"])
    #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
    let records = try String(contentsOfFile: sink, encoding: .utf8).split(separator: "\n").filter {
      $0.contains("\"token\":")
    }
    #expect(records.count == 10, "every live token's secret is in the sink")
  }

  // MARK: the secrets scan

  @Test func noSecretAppearsInAnyOutputOfAFullScenario() async throws {
    let sandbox = try await SandboxProcess(["--seed", PlanEndToEndTests.seed])
    let env = [
      "MM_URL": sandbox.url, "MM_TOKEN": sandbox.adminToken, "ALICE_PASSWORD": "alice-secret-pw-7",
      "BOB_PASSWORD": "bob-secret-pw-9",
    ]
    let manifest = PlanEndToEndTests.smallTeam
    let dir = URL(fileURLWithPath: try temporaryFile("x", "")).deletingLastPathComponent()
    let saved = dir.appendingPathComponent("plan.json").path
    let sink = dir.appendingPathComponent("tokens.jsonl").path
    let exported = dir.appendingPathComponent("export.yaml").path
    var outputs: [String] = []
    for arguments in [
      ["validate", "-f", manifest],
      ["plan", "-f", manifest, "--verbose"],
      ["plan", "-f", manifest, "--verbose", "--format", "json"],
      ["plan", "-f", manifest, "--verbose", "--format", "markdown", "--out", saved],
      ["apply", saved, "--verbose", "--token-output", sink],
      ["plan", "-f", manifest, "--verbose", "--detailed-exitcode"],
      ["export", "--verbose", "--out", exported],
    ] {
      let result = try await RosterCLI.run(arguments, environment: env)
      #expect([0, 2].contains(result.status), "\(arguments): \(result.stderr)")
      outputs += [result.stdout, result.stderr]
    }
    outputs += [
      try String(contentsOfFile: saved, encoding: .utf8), try String(contentsOfFile: exported, encoding: .utf8),
    ]
    // Every secret there is: the admin token, the passwords, the secrets of the tokens apply created and
    // of the tokens the server already had.
    let created = try String(contentsOfFile: sink, encoding: .utf8).split(separator: "\n").compactMap {
      ((try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: String])?["token"]
    }
    #expect(!created.isEmpty, "apply created tokens whose secrets are scanned for")
    let state = try await sandbox.state()
    let existing = state.flatMap { ($0["tokens"] as? [[String: Any]] ?? []).compactMap { $0["token"] as? String } }
    let secrets = [sandbox.adminToken, "alice-secret-pw-7", "bob-secret-pw-9"] + created + existing
    #expect(existing.count >= 2, "the scan covers the server's own token secrets too")
    for secret in secrets {
      for (position, text) in outputs.enumerated() {
        #expect(!text.contains(secret), "a secret appears in output \(position)")
      }
    }
  }
}
