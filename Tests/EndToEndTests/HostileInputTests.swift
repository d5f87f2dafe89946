import Foundation
import RosterCore
import RosterFiles
import RosterTestSupport
import Testing

/// The binary on hostile input. Every case of the corpus goes through the manifest loader in process
/// (RosterCoreTests/HostileCorpusTests); here a fixed sample of it (every tenth file) and every
/// file-system shape (a FIFO or a device is where a process could block) run as `roster plan`. Each must
/// exit 1 printing the loader's diagnostics and nothing else, send no request to the running sandbox, end in
/// bounded time and (outside the sanitizers, whose shadow memory needs the address space) stay under a
/// 3 GiB address-space limit, so an unbounded allocation fails the test instead of the machine.
@Suite struct HostileInputTests {
  /// Every tenth corpus file by name, from the first: the same sample on every run and machine.
  static func sample() throws -> [HostileCorpus.Case] {
    try HostileCorpus.files().enumerated().filter { $0.offset % 10 == 0 }.map(\.element)
  }

  /// Runs `roster plan` on the input against the sandbox, with an address-space limit outside the
  /// sanitizers; returns the result and the wall time.
  static func plan(_ paths: [String], _ sandbox: SandboxProcess) async throws -> (RunResult, Double) {
    let arguments = ["plan"] + paths.flatMap { ["-f", $0] } + sandbox.connection
    let started = Date()
    let result: RunResult
    if ProcessInfo.processInfo.environment["ROSTER_SANITIZER"] == nil {
      result = try await RosterCLI.run(
        ["--as=3221225472", "--", RosterCLI.executable] + arguments,
        timeout: 60, program: "/usr/bin/prlimit")
    } else {
      result = try await RosterCLI.run(arguments, timeout: 60)
    }
    return (result, Date().timeIntervalSince(started))
  }

  /// For each input, the lines the CLI prints for the loader's diagnostics on its paths, loaded in this
  /// process on one Dispatch thread: the loads take seconds in a debug build, and run beside the binaries
  /// instead of holding one of the cooperative pool's two threads.
  static func expectedDiagnostics(_ inputs: [HostileCorpus.Case]) async -> [String] {
    await withCheckedContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(
          returning: inputs.map { input in
            ManifestSources.load(input.paths, env: HostileCorpus.environment).diagnostics
              .map { Display.safe($0.description) + "\n" }.joined()
          })
      }
    }
  }

  @Test func sampledHostileInputsFailWithTheLoadersDiagnosticsAndNoRequest() async throws {
    let sample = try Self.sample()
    #expect(sample.count >= 12, "the sample holds \(sample.count) files")
    let cases = sample + (try HostileCorpus.fileSystemCases())
    async let loaded = Self.expectedDiagnostics(cases)
    let sandbox = try await SandboxProcess()
    var slowest: (String, Double) = ("", 0)
    var results: [(Int, RunResult, Double)] = []
    // Two at a time: the machine has two cores, and each case is one short process.
    var queue = cases.indices[...]
    try await withThrowingTaskGroup(of: (Int, RunResult, Double).self) { group in
      func next() {
        guard let index = queue.popFirst() else { return }
        group.addTask {
          let (result, seconds) = try await Self.plan(cases[index].paths, sandbox)
          return (index, result, seconds)
        }
      }
      next()
      next()
      while let result = try await group.next() {
        results.append(result)
        next()
      }
    }
    let expectedAll = await loaded
    for (index, result, seconds) in results {
      let name = cases[index].name
      let expected = expectedAll[index]
      #expect(result.status == 1, "\(name): exit \(result.status)\n\(result.stderr.prefix(600))")
      #expect(HostileCorpus.positioned(result.stderr), "\(name): no positioned error\n\(result.stderr.prefix(600))")
      #expect(
        !expected.isEmpty && result.stderr == expected,
        "\(name): the binary's diagnostics differ from the loader's\n\(result.stderr.prefix(600))\n---\n\(expected.prefix(600))"
      )
      #expect(seconds < 30, "\(name) took \(seconds) s")
      if seconds > slowest.1 { slowest = (name, seconds) }
    }
    let log = try await sandbox.requestLog()
    #expect(log.total == 0, "hostile input reached the server: \(log.byRoute)")
    print(
      "hostile inputs through the binary: \(cases.count) cases, slowest \(slowest.0) in \(String(format: "%.2f", slowest.1)) s"
    )
  }
}
