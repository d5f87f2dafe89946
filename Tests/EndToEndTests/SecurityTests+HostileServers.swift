import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// Broken or hostile servers (hostile_server.py): endless pages, huge counts and bodies, bad ids.
extension SecurityTests {
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
}
