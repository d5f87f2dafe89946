import Foundation
import RosterClient
import RosterSandbox
import RosterTestSupport
import Testing

/// The sandbox's application running inside the test process on a free loopback port: the same
/// responder, store and faults as the `roster-sandbox` binary, over real HTTP (so connection faults are
/// real), without starting a process per test. Only tests about the process itself (a kill, a restart
/// from `--state`) and the end-to-end suite use `SandboxProcess`.
///
/// Hummingbird's own testing module would do the same, but brings AsyncHTTPClient and NIOSSL into
/// every build; the client here is roster's libcurl transport, as in every other test. It can only be
/// started inside a test whose suite has the `.inProcessSandboxes` trait, which stops it gracefully,
/// and waits for that, when the test ends.
final class InProcessSandbox: SandboxEndpoint, @unchecked Sendable {
  let url: String
  let adminToken: String
  let transport: CurlTransport

  /// - Parameter configure: changes the default configuration (faults, seed, settings).
  init(_ configure: (inout SandboxConfiguration) throws -> Void = { _ in }) async throws {
    guard let scope = SandboxScope.current else { throw SandboxScope.Missing() }
    var configuration = SandboxConfiguration()
    configuration.port = 0
    try configure(&configuration)
    let server = try await SandboxServer(configuration)
    scope.add(server)
    url = "http://127.0.0.1:\(server.port)"
    adminToken = configuration.adminToken
    transport = CurlTransport(baseURL: url)
  }

  /// A path under `examples/`.
  static func example(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples/\(name)")
      .standardized.path
  }
}

/// The in-process sandboxes one test started. A deinit cannot await, and a test body cannot defer an
/// await, so the trait below holds the test's servers and stops them after its body has returned.
final class SandboxScope: @unchecked Sendable {
  @TaskLocal static var current: SandboxScope?

  struct Missing: Error, CustomStringConvertible {
    var description: String { "InProcessSandbox needs the suite trait .inProcessSandboxes, which stops it" }
  }

  private let lock = NSLock()
  private var servers: [SandboxServer] = []

  func add(_ server: SandboxServer) { lock.withLock { servers.append(server) } }

  /// Stops every server, each gracefully, and waits for all of them.
  func stopAll() async throws {
    let all = lock.withLock {
      defer { servers = [] }
      return servers
    }
    for server in all { try await server.stop() }
  }
}

/// Gives each test its `SandboxScope` and stops the scope's sandboxes when the test ends, thrown or not.
struct InProcessSandboxes: SuiteTrait, TestTrait, TestScoping {
  var isRecursive: Bool { true }

  func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    let scope = SandboxScope()
    try await SandboxScope.$current.withValue(scope) {
      do {
        try await function()
      } catch {
        try? await scope.stopAll()
        throw error
      }
      try await scope.stopAll()
    }
  }
}

extension Trait where Self == InProcessSandboxes {
  /// In-process sandboxes started by the suite's tests are stopped gracefully after each test.
  static var inProcessSandboxes: Self { Self() }
}
