import Foundation
import RosterClient
import RosterTestSupport
import Testing

/// Cancellation reaches libcurl: an interrupted run stops promptly instead of waiting out slow answers.
@Suite struct InterruptTests {
  @Test func cancellingATaskAbortsItsTransfer() async throws {
    // The server accepts and never answers: once it has the connection, the transfer is under way and
    // only an abort ends it. libcurl checks for one about once a second, so no timing is asserted (under
    // the sanitizers the task's own resumption can take seconds); "cancelled" is the proof.
    let server = try SilentServer()
    defer { server.stop() }
    let transport = CurlTransport(baseURL: server.url, workers: 2)
    let task = Task { try await transport.send(HTTPRequest(method: "GET", path: "/api/v4/system/ping")) }
    // A bound on a hang, not a timing: on a loaded machine the task may wait long for a thread.
    #expect(await server.waitForConnection(timeout: 120), "the request never reached the server")
    task.cancel()
    do {
      _ = try await task.value
      Issue.record("the request finished despite the cancellation")
    } catch {
      #expect((error as? TransportError)?.message == "cancelled", "\(error)")
    }
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
    // A server that never answers: roster's first request waits until the interrupt ends it.
    let server = try SilentServer()
    defer { server.stop() }
    let manifest = try temporaryFile("m.yaml", "version: 1\nusers:\n  - username: admin\n")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: RosterCLI.executable)
    process.arguments = ["plan", "-f", manifest, "--url", server.url, "--token", "t"]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    let exited = AsyncExit(watching: process)
    try process.run()
    // Past start-up (which a loaded machine can slow) once its first request has reached the server.
    guard await server.waitForConnection() else {
      process.terminate()
      Issue.record("roster plan never connected")
      return
    }
    let interrupted = ContinuousClock.now
    kill(process.processIdentifier, SIGINT)
    await exited.wait()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let took = (exited.ended ?? .now) - interrupted
    #expect(took < .seconds(2.4), "it kept waiting for an answer: \(took)")
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
