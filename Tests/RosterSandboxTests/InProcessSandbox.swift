import Foundation
import RosterClient
import RosterSandbox
import RosterTestSupport

/// The sandbox's application running inside the test process on a free loopback port: the same
/// responder, store and faults as the `roster-sandbox` binary, over real HTTP (so connection faults are
/// real), without starting a process per test. Only tests about the process itself (a kill, a restart
/// from `--state`) and the end-to-end suite use `SandboxProcess`.
///
/// Hummingbird's own testing module would do the same, but brings AsyncHTTPClient and NIOSSL into
/// every build; the client here is roster's libcurl transport, as in every other test.
final class InProcessSandbox: SandboxEndpoint, @unchecked Sendable {
  let url: String
  let adminToken: String
  let transport: CurlTransport
  private let server: Task<Void, any Error>

  /// - Parameter configure: changes the default configuration (faults, seed, settings).
  init(_ configure: (inout SandboxConfiguration) throws -> Void = { _ in }) async throws {
    var configuration = SandboxConfiguration()
    configuration.port = 0
    try configure(&configuration)
    let (ports, listening) = AsyncStream.makeStream(of: Int.self)
    let application = try await Sandbox.application(configuration) { port in
      listening.yield(port)
      listening.finish()
    }
    // No signal handling: the test process owns its signals.
    server = Task { try await application.runService(gracefulShutdownSignals: []) }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else {
      server.cancel()
      throw SandboxStartError(output: "the in-process sandbox did not start listening")
    }
    url = "http://127.0.0.1:\(port)"
    adminToken = configuration.adminToken
    transport = CurlTransport(baseURL: url)
  }

  /// A path under `examples/`.
  static func example(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples/\(name)")
      .standardized.path
  }

  deinit { server.cancel() }
}
