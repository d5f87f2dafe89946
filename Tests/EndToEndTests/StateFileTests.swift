import Foundation
import RosterTestSupport
import Testing

/// `--state`: roster's bookkeeping apart from its secrets, in a file a fresh CI runner restores.
@Suite struct StateFileTests {
  static let seed =
    #"{"users":[{"username":"admin","email":"admin@example.com","roles":"system_admin system_user"},"#
    + #"{"username":"ops","email":"ops@example.com"}]}"#
  static let manifest =
    "version: 1\nusers:\n  - username: admin\n  - username: ops\n    tokens:\n      - description: pager\n"

  /// A runner's working directory: the files a job has, nothing else.
  func runnerDirectory() throws -> URL {
    let dir = URL(fileURLWithPath: try temporaryFile("x", "")).deletingLastPathComponent()
      .appendingPathComponent("runner-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  /// The secret values in a secrets file, by token id.
  func secrets(in path: String) -> [String: String] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
    var out: [String: String] = [:]
    for line in text.split(separator: "\n") {
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let id = object["token_id"] as? String, let secret = object["token"] as? String
      else { continue }
      out[id] = secret
    }
    return out
  }

  @Test func anApplyKilledMidCreateIsRepairedOnAFreshRunnerFromTheStateAlone() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed), "--latency-ms", "400"])
    let manifest = try temporaryFile("m.yaml", Self.manifest)
    let first = try runnerDirectory()
    let state = first.appendingPathComponent("roster-state.jsonl").path
    let store = first.appendingPathComponent("secrets.jsonl").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: RosterCLI.executable)
    process.arguments =
      ["apply", "-f", manifest, "--auto-approve", "--state", state, "--secrets-file", store] + sandbox.connection
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    let exited = AsyncExit(watching: process)
    try process.run()
    // Killed (no chance to clean up) 150 ms after the intent is durable: the create is on the wire,
    // inside the server's 400 ms latency.
    let firstSeen = FirstSeen()
    let killed = await signalProcess(process, SIGKILL) {
      guard (try? String(contentsOfFile: state, encoding: .utf8))?.contains("\"intent\"") == true else { return false }
      return Date().timeIntervalSince(firstSeen.mark()) >= 0.15
    }
    #expect(killed, "apply wrote no token intent within 30 s")
    await exited.wait()
    var printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    try await Task.sleep(for: .seconds(1))  // the server finishes the create it was given
    let opsID = try #require(try await sandbox.call("GET", "/users/username/ops").object["id"] as? String)
    let orphaned = try await sandbox.call("GET", "/users/\(opsID)/tokens").array.compactMap { $0["id"] as? String }

    // A fresh runner: only the state its cache restored (mode 600, as the recipes keep it) and the
    // secret store (whatever the killed job's always-run upload took from its secrets file).
    let fresh = try runnerDirectory()
    let restored = fresh.appendingPathComponent("roster-state.jsonl").path
    try FileManager.default.copyItem(atPath: state, toPath: restored)
    chmod(restored, 0o600)
    let secretStore = secrets(in: store)
    let withoutState = try await RosterCLI.run(
      ["plan", "-f", manifest, "--detailed-exitcode"] + sandbox.connection)
    if !orphaned.isEmpty {
      #expect(withoutState.status == 0, "without the state the orphan looks declared: \(withoutState.stdout)")
    }
    let plan = try await RosterCLI.run(
      ["plan", "-f", manifest, "--state", restored, "--detailed-exitcode"] + sandbox.connection)
    printed += plan.stdout + plan.stderr
    #expect(plan.status == 2, "\(plan.stdout)\(plan.stderr)")
    for orphan in orphaned where secretStore[orphan] == nil {
      #expect(plan.stdout.contains("revoke token \"pager\" of ops (\(orphan))"), "\(plan.stdout)")
    }
    let secretsOut = fresh.appendingPathComponent("secrets.jsonl").path
    let apply = try await RosterCLI.run(
      ["apply", "-f", manifest, "--auto-approve", "--state", restored, "--secrets-file", secretsOut]
        + sandbox.connection)
    printed += apply.stdout + apply.stderr
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    let live = try await sandbox.call("GET", "/users/\(opsID)/tokens").array.compactMap { $0["id"] as? String }
    let kept = secretStore.merging(secrets(in: secretsOut)) { _, new in new }
    #expect(live.count == 1, "one live pager token: \(live)")
    for id in live {
      let secret = try #require(kept[id], "the live token's secret is in the secret store")
      #expect(!printed.contains(secret), "the secret is never printed")
    }
    let bookkeeping = try String(contentsOfFile: restored, encoding: .utf8)
    #expect(!bookkeeping.contains("\"token\":"), "the state holds no secret: \(bookkeeping)")
    #expect(!(try String(contentsOfFile: secretsOut, encoding: .utf8)).contains("\"intent\""), "secrets only")
  }

  @Test func aStateOrSecretsFileWithUnsafePermissionsIsAnErrorThatSaysSo() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
    let manifest = try temporaryFile("m.yaml", Self.manifest)
    let dir = try runnerDirectory()
    let loose = dir.appendingPathComponent("restored.jsonl").path
    FileManager.default.createFile(
      atPath: loose, contents: Data(#"{"intent":"create_token","username":"ops","description":"pager"}"#.utf8),
      attributes: [.posixPermissions: 0o644])
    for flag in ["--state", "--secrets-file"] {
      let plan = try await RosterCLI.run(["plan", "-f", manifest, flag, loose] + sandbox.connection)
      #expect(plan.status == 1, "\(flag): \(plan.stdout)\(plan.stderr)")
      #expect(plan.stderr.contains("its mode is 644, not 600 (chmod 600 it)"), "\(flag): \(plan.stderr)")
    }
    let secrets = dir.appendingPathComponent("secrets.jsonl").path
    let apply = try await RosterCLI.run(
      ["apply", "-f", manifest, "--auto-approve", "--state", loose, "--secrets-file", secrets] + sandbox.connection)
    #expect(apply.status == 3, "\(apply.stdout)\(apply.stderr)")
    #expect(apply.stderr.contains("refusing the state file \(loose): its mode is 644"), "\(apply.stderr)")
    #expect(try await sandbox.requestLog().writes == 0)
  }
}

/// When a condition polled from another thread first held.
final class FirstSeen: @unchecked Sendable {
  private let lock = NSLock()
  private var at: Date?

  func mark() -> Date {
    lock.withLock {
      if at == nil { at = Date() }
      return at ?? Date()
    }
  }
}
