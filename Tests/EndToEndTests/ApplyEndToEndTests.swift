import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// `roster apply` as a process against `roster-sandbox` processes, over real HTTP.
@Suite struct ApplyEndToEndTests {
  static let env = PlanEndToEndTests.env
  static let smallTeam = PlanEndToEndTests.smallTeam
  static let seed = PlanEndToEndTests.seed

  func sinkPath() throws -> String {
    let path = try temporaryFile("tokens.jsonl", "")
    try FileManager.default.removeItem(atPath: path)
    return path
  }

  func sinkLines(_ path: String) throws -> [[String: String]] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
    // Token records only; intent lines (written before each create, no secret) are bookkeeping.
    return text.split(separator: "\n").compactMap {
      (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: String]
    }.filter { $0["token"] != nil }
  }

  @Test func freshServerConvergesWithOneWritePerStep() async throws {
    let sandbox = try await SandboxProcess()
    let sink = try sinkPath()
    let plan = try await RosterCLI.run(
      ["plan", "-f", Self.smallTeam, "--format", "json"] + sandbox.connection, environment: Self.env)
    let steps = try PlanDocument.decode(Data(plan.stdout.utf8)).steps.count
    try await sandbox.clearLog()
    let apply = try await RosterCLI.run(
      ["apply", "-f", Self.smallTeam, "--auto-approve", "--verbose", "--token-output", sink] + sandbox.connection,
      environment: Self.env)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    #expect(apply.stderr.contains("POST /api/v4/users 201"), "the trace is on")
    #expect(apply.stdout.contains("Apply: \(steps) done, 0 failed, 0 skipped."))
    #expect(apply.stdout.contains("Verified: the server matches."))
    #expect(try await sandbox.requestLog().writes == steps, "one write per step")
    let again = try await RosterCLI.run(
      ["plan", "-f", Self.smallTeam, "--detailed-exitcode"] + sandbox.connection, environment: Self.env)
    #expect(again.status == 0, "\(again.stdout)")
    let tokens = try sinkLines(sink).sorted { ($0["username"] ?? "") < ($1["username"] ?? "") }
    #expect(tokens.map { "\($0["username"] ?? "") \($0["description"] ?? "")" } == ["alice ci-deploy", "bob chat-cli"])
    let secret = try #require(tokens.first?["token"])
    #expect(try await sandbox.call("GET", "/users/me", token: secret).object["username"] as? String == "alice")
    let mode = try FileManager.default.attributesOfItem(atPath: sink)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    for text in [apply.stdout, apply.stderr, plan.stdout] {
      #expect(!text.contains(secret) && !text.contains("alice-password-1") && !text.contains(sandbox.adminToken))
    }
    let login = try await sandbox.call(
      "POST", "/users/login", json: #"{"login_id":"bob","password":"bob-password-1"}"#, token: "")
    #expect(login.status == 200, "the password came from ${BOB_PASSWORD}")
  }

  @Test func driftedServerTouchesOnlyWhatDiffers() async throws {
    let sandbox = try await SandboxProcess(["--seed", Self.seed])
    let before = try await sandbox.state()
    let untouched = before.filter { ["mallory", "legacy", "deploybot", "admin"].contains($0["username"] as? String) }
      .compactMap { $0["id"] as? String }
    let planned = try await RosterCLI.run(
      ["plan", "-f", Self.smallTeam, "--format", "json"] + sandbox.connection, environment: Self.env)
    let steps = try PlanDocument.decode(Data(planned.stdout.utf8)).steps.count
    try await sandbox.clearLog()
    let apply = try await RosterCLI.run(
      ["apply", "-f", Self.smallTeam, "--auto-approve", "--token-output", try sinkPath()] + sandbox.connection,
      environment: Self.env)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    let log = try await sandbox.inspect("GET", "/requests") as? [String: Any] ?? [:]
    let requests = log["requests"] as? [[String: Any]] ?? []
    let writes = requests.filter { ($0["method"] as? String) != "GET" }
    #expect(writes.count == steps)
    for id in untouched {
      #expect(!writes.contains { ($0["path"] as? String ?? "").contains(id) }, "no write to \(id)")
    }
    let again = try await RosterCLI.run(
      ["plan", "-f", Self.smallTeam, "--detailed-exitcode"] + sandbox.connection, environment: Self.env)
    #expect(again.status == 0)
  }

  @Test func convergedServerWritesNothing() async throws {
    let sandbox = try await SandboxProcess(["--seed", Self.seed])
    let exported = try temporaryFile("e.yaml", "")
    _ = try await RosterCLI.run(["export", "--out", exported] + sandbox.connection)
    try await sandbox.clearLog()
    let apply = try await RosterCLI.run(["apply", "-f", exported, "--auto-approve"] + sandbox.connection)
    #expect(apply.status == 0)
    #expect(apply.stdout.contains("No changes."))
    #expect(try await sandbox.requestLog().writes == 0)
  }

  @Test func faultyServerConvergesWithinThreeRunsAndLosesNoSecret() async throws {
    var yaml = "version: 1\nsettings:\n  protected_users: [admin]\nusers:\n"
    for i in 0..<40 {
      yaml += "  - username: u\(i)\n    email: u\(i)@example.com\n    password: ${DEMO_PASSWORD}\n    position: P\(i)\n"
      yaml += "    roles: [system_user\(i % 5 == 0 ? ", system_admin" : "")]\n    tokens:\n      - description: main\n"
      if i % 4 == 0 { yaml += "      - description: spare\n        active: false\n" }
    }
    let manifest = try temporaryFile("faulty.yaml", yaml)
    let sandbox = try await SandboxProcess([
      "--fail-rate", "0.2", "--reset-after-commit-rate", "0.15", "--throttle-rate", "0.1", "--fault-seed", "11",
    ])
    let sink = try sinkPath()
    var statuses: [Int32] = []
    // One request at a time: the sandbox draws its faults in arrival order, so with --fault-seed the
    // same requests fail on every run and machine, and "within three runs" is a fact, not a likelihood.
    for _ in 0..<3 {
      let run = try await RosterCLI.run(
        [
          "apply", "-f", manifest, "--auto-approve", "--token-output", sink, "--parallelism", "1", "--max-creates",
          "100%", "--max-admin-grants", "100%",
        ] + sandbox.connection,
        environment: Self.env)
      statuses.append(run.status)
      #expect(!run.stdout.contains("username_exists"), "a user was created twice")
      if run.status == 0 { break }
    }
    #expect(statuses.last == 0, "did not converge in three runs: \(statuses)")
    let state = try await sandbox.state()
    let names = state.compactMap { $0["username"] as? String }
    #expect(names.count == Set(names).count)
    #expect(names.count == 41)
    let sunk = Dictionary(
      try sinkLines(sink).map { ($0["token_id"] ?? "", $0["token"] ?? "") }, uniquingKeysWith: { a, _ in a })
    for user in state where (user["username"] as? String) != "admin" {
      let tokens = user["tokens"] as? [[String: Any]] ?? []
      let descriptions = tokens.compactMap { $0["description"] as? String }
      #expect(
        descriptions.count == Set(descriptions).count,
        "two live tokens share a description on \(user["username"] ?? "")")
      for token in tokens {
        let id = token["id"] as? String ?? ""
        #expect(sunk[id] == token["token"] as? String, "live token \(id) has no secret in the sink")
      }
    }
  }

  @Test func thresholdExceededRefusesWithoutWriting() async throws {
    let sandbox = try await SandboxProcess(["--seed", Self.seed])
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nsettings:\n  unmanaged_users: deactivate\n  max_deactivations: 1\nusers:\n  - username: admin\n")
    try await sandbox.clearLog()
    let apply = try await RosterCLI.run(["apply", "-f", manifest, "--auto-approve"] + sandbox.connection)
    #expect(apply.status == 3)
    #expect(apply.stderr.contains("exceed max_deactivations"))
    #expect(try await sandbox.requestLog().writes == 0)
    let forced = try await RosterCLI.run(["apply", "-f", manifest, "--auto-approve", "--force"] + sandbox.connection)
    #expect(forced.status == 0, "\(forced.stderr)")
  }

  @Test func missingSinkRefusesWithoutWriting() async throws {
    let sandbox = try await SandboxProcess()
    try await sandbox.clearLog()
    let apply = try await RosterCLI.run(
      ["apply", "-f", Self.smallTeam, "--auto-approve"] + sandbox.connection, environment: Self.env)
    #expect(apply.status == 3)
    #expect(apply.stderr.contains("--token-output"))
    #expect(try await sandbox.requestLog().writes == 0)
  }

  @Test func noTerminalWithoutAutoApproveRefuses() async throws {
    let sandbox = try await SandboxProcess()
    let apply = try await RosterCLI.run(
      ["apply", "-f", Self.smallTeam, "--token-output", try sinkPath()] + sandbox.connection, environment: Self.env,
      stdin: "yes\n")
    #expect(apply.status == 3)
    #expect(apply.stderr.contains("--auto-approve"))
    #expect(try await sandbox.requestLog().writes == 0)
  }

  @Test func terminalConfirmationTakesOnlyYes() async throws {
    let sandbox = try await SandboxProcess()
    let arguments = ["apply", "-f", Self.smallTeam, "--token-output", try sinkPath()] + sandbox.connection
    let declined = try await RosterCLI.runOnTerminal(arguments, environment: Self.env, stdin: "y\n")
    #expect(declined.stdout.contains("Only 'yes' will be accepted"))
    #expect(declined.stdout.contains("Apply cancelled; nothing was written."))
    #expect(try await sandbox.requestLog().writes == 0)
    let accepted = try await RosterCLI.runOnTerminal(arguments, environment: Self.env, stdin: "yes\n")
    #expect(accepted.stdout.contains("Verified: the server matches."), "\(accepted.stdout)")
    #expect(accepted.stdout.contains("\u{1B}["), "colour on a terminal")
  }

  @Test func staleSavedPlanRefusesAndFreshOneApplies() async throws {
    let sandbox = try await SandboxProcess(["--seed", Self.seed])
    let saved = try temporaryFile("plan.json", "")
    let plan = try await RosterCLI.run(
      ["plan", "-f", Self.smallTeam, "--out", saved] + sandbox.connection, environment: Self.env)
    #expect(plan.status == 0)
    let alice = try #require(try await sandbox.call("GET", "/users/username/alice").object["id"] as? String)
    _ = try await sandbox.call("PUT", "/users/\(alice)/patch", json: #"{"nickname":"changed behind roster's back"}"#)
    try await sandbox.clearLog()
    let stale = try await RosterCLI.run(
      ["apply", saved, "--auto-approve", "--token-output", try sinkPath()] + sandbox.connection, environment: Self.env)
    #expect(stale.status == 3)
    #expect(stale.stderr.contains("user alice changed"))
    #expect(try await sandbox.requestLog().writes == 0)

    let fresh = try temporaryFile("plan2.json", "")
    _ = try await RosterCLI.run(
      ["plan", "-f", Self.smallTeam, "--out", fresh] + sandbox.connection, environment: Self.env)
    let applied = try await RosterCLI.run(
      ["apply", fresh, "--auto-approve", "--token-output", try sinkPath()] + sandbox.connection, environment: Self.env)
    #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
    #expect(applied.stdout.contains("Verified"))
    let again = try await RosterCLI.run(
      ["plan", "-f", Self.smallTeam, "--detailed-exitcode"] + sandbox.connection, environment: Self.env)
    #expect(again.status == 0, "\(again.stdout)")
  }

  @Test func savedPlanIsForItsServer() async throws {
    let first = try await SandboxProcess()
    let second = try await SandboxProcess()
    let saved = try temporaryFile("plan.json", "")
    _ = try await RosterCLI.run(
      ["plan", "-f", Self.smallTeam, "--out", saved] + first.connection, environment: Self.env)
    let apply = try await RosterCLI.run(
      ["apply", saved, "--auto-approve", "--token-output", try sinkPath()] + second.connection, environment: Self.env)
    #expect(apply.status == 3)
    #expect(try await second.requestLog().writes == 0)
  }

  @Test func actingAdminIsNeverDeactivatedOrDemoted() async throws {
    let sandbox = try await SandboxProcess(["--seed", Self.seed])
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nsettings:\n  unmanaged_users: deactivate\n  max_deactivations: 10\n  min_system_admins: 0\nusers:\n  - username: admin\n    roles: [system_user]\n    active: false\n"
    )
    let apply = try await RosterCLI.run(["apply", "-f", manifest, "--auto-approve", "--verbose"] + sandbox.connection)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    #expect(apply.stdout.contains("roster never locks itself out"))
    let me = try await sandbox.call("GET", "/users/me")
    #expect(me.status == 200)
    #expect((me.object["roles"] as? String ?? "").contains("system_admin"))
    #expect(!apply.stderr.contains(sandbox.adminToken), "--verbose never shows the token")
  }
}
