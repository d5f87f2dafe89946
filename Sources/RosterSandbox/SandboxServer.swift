import Hummingbird
import Logging
import ServiceLifecycle

/// A sandbox running inside the caller's process (the tests), on a port of its choosing, stopped the way
/// a server is stopped: the listener closes, requests in flight finish, and `stop()` returns once all of
/// that has ended. Cancelling the run instead tears open connections down mid-flight, which Hummingbird
/// reports as errors in every test's output, and leaves the server running past the test that made it.
public final class SandboxServer: Sendable {
  /// The bound loopback port.
  public let port: Int
  private let group: ServiceGroup
  private let running: Task<Void, any Error>

  /// Starts the sandbox and returns once it accepts connections; throws the server's own error when it
  /// ends before that (a port in use, an unreadable state file).
  public init(_ configuration: SandboxConfiguration) async throws {
    let (ports, listening) = AsyncStream.makeStream(of: Int.self)
    let application = try await Sandbox.application(configuration) { port in
      listening.yield(port)
      listening.finish()
    }
    var logger = Logger(label: "roster-sandbox")
    logger.logLevel = .warning
    // No signals: the host process owns them; the owner stops the group with `stop()`.
    let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
    let running = Task {
      defer { listening.finish() }
      try await group.run()
    }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else {
      try await running.value
      throw SandboxServerError()
    }
    self.port = port
    self.group = group
    self.running = running
  }

  /// Shuts down gracefully and waits until the server has stopped.
  public func stop() async throws {
    await group.triggerGracefulShutdown()
    try await running.value
  }
}

/// The server's run ended without an error before it listened.
public struct SandboxServerError: Error, CustomStringConvertible {
  public var description: String { "the in-process sandbox stopped before it listened" }
}
