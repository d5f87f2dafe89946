import Foundation

/// The outcome of running the built `roster` binary.
public struct RunResult: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String
}

/// Runs the real `roster` executable, as a user or a CI job would.
public enum RosterCLI {
  public static var executable: String { SandboxProcess.productsDirectory.appendingPathComponent("roster").path }

  /// Runs roster on a pseudo-terminal through util-linux `script`, to see what a person at a terminal sees.
  public static func runOnTerminal(
    _ arguments: [String], environment: [String: String] = [:], stdin: String
  ) async throws -> RunResult {
    let command = ([executable] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
      .joined(separator: " ")
    return try await run(
      ["-qec", command, "/dev/null"], environment: environment, stdin: stdin, program: "/usr/bin/script")
  }

  /// Runs the program and waits for it without blocking a thread of Swift's cooperative pool: tests run
  /// in parallel, and a blocked pool (two threads on two cores) once stalled every other test.
  public static func run(
    _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil, timeout: Double = 120,
    program: String? = nil, directory: URL? = nil
  ) async throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program ?? executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env["MM_URL"] = nil
    env["MM_TOKEN"] = nil
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = input
    let exited = AsyncExit(watching: process)
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try? input.fileHandleForWriting.close()
    // Drain both pipes on their own threads while the process runs, so a large output cannot block it.
    async let outData = Self.readAll(out.fileHandleForReading)
    async let errData = Self.readAll(err.fileHandleForReading)
    let killer = Task {
      try await Task.sleep(for: .seconds(timeout))
      process.terminate()
    }
    await exited.wait()
    killer.cancel()
    let (stdout, stderr) = await (outData, errData)
    return RunResult(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }

  private static func readAll(_ handle: FileHandle) async -> Data {
    await withCheckedContinuation { continuation in
      DispatchQueue.global().async { continuation.resume(returning: handle.readDataToEndOfFile()) }
    }
  }
}

/// A process exit, awaited without blocking: signalled from Foundation's termination handler.
public final class AsyncExit: @unchecked Sendable {
  private let lock = NSLock()
  private var exited = false
  private var waiter: CheckedContinuation<Void, Never>?
  private var endedAt: ContinuousClock.Instant?

  /// When the process ended, as Foundation reported it: a timing taken after `wait()` would add the
  /// time a busy test process takes to resume the waiting task.
  public var ended: ContinuousClock.Instant? { lock.withLock { endedAt } }

  init() {}

  /// Watches `process` (before it runs): `wait()` returns once it has ended.
  public convenience init(watching process: Process) {
    self.init()
    process.terminationHandler = { [self] _ in signal() }
  }

  func signal() {
    let now = ContinuousClock.now
    let waiting: CheckedContinuation<Void, Never>? = lock.withLock {
      exited = true
      endedAt = now
      defer { waiter = nil }
      return waiter
    }
    waiting?.resume()
  }

  public func wait() async {
    await withCheckedContinuation { continuation in
      let done: Bool = lock.withLock {
        if exited { return true }
        waiter = continuation
        return false
      }
      if done { continuation.resume() }
    }
  }
}

extension SandboxEndpoint {
  /// `--url` and `--token` for this sandbox.
  public var connection: [String] { ["--url", url, "--token", adminToken] }

  /// The sandbox's request log: total calls, writes, and counts by `METHOD route`.
  public func requestLog() async throws -> (total: Int, writes: Int, byRoute: [String: Int]) {
    let log = try await inspect("GET", "/requests") as? [String: Any] ?? [:]
    return (log["total"] as? Int ?? -1, log["writes"] as? Int ?? -1, log["by_route"] as? [String: Int] ?? [:])
  }

  public func clearLog() async throws { _ = try await inspect("POST", "/requests/clear") }

  /// The full state (users with their tokens, secrets included), from the test-only API.
  public func state() async throws -> [[String: Any]] {
    let state = try await inspect("GET", "/state") as? [String: Any] ?? [:]
    return state["users"] as? [[String: Any]] ?? []
  }
}

/// A sandbox seed file: the admin (whose token the sandbox serves) and `users` plain users named
/// user01, user02, ...
public func seedWithUsers(_ users: Int) throws -> String {
  var list = [#"{"username":"admin","email":"admin@example.com","roles":"system_admin system_user"}"#]
  for i in 1...max(1, users) {
    list.append(#"{"username":"user\#(String(format: "%02d", i))","email":"u\#(i)@example.com"}"#)
  }
  return try temporaryFile("seed.json", #"{"users":[\#(list.joined(separator: ","))]}"#)
}

/// Writes text to a fresh temporary file and returns its path.
public func temporaryFile(_ name: String, _ contents: String) throws -> String {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roster-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  let url = dir.appendingPathComponent(name)
  try contents.write(to: url, atomically: true, encoding: .utf8)
  return url.path
}

/// The repository's root, for the examples.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("../..").standardized
