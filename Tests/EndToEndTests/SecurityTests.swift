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
