#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import Synchronization

/// The server's request ids of the calls one apply step made, and when it ran, for `apply --report`.
/// Every Mattermost API response carries `X-Request-Id` (server/channels/web/handlers.go; see
/// shared/mattermost-api.md), the id the server's own log lines carry: with it an operator finds a
/// failed step in the server's logs. Bound as a task-local around a step, so the connection records
/// into the step that made the call, whatever runs beside it.
public final class RequestTrail: Sendable {
  @TaskLocal static var current: RequestTrail?
  private let ids = Mutex<[String]>([])

  public init() {}

  public var requestIDs: [String] { ids.withLock { $0 } }

  func record(_ id: String?) {
    guard let id, !id.isEmpty else { return }
    ids.withLock { $0.append(id) }
  }

  /// Runs `body` with the calls it makes recorded here.
  func during<T: Sendable>(isolation: isolated (any Actor)? = #isolation, _ body: () async -> T) async -> T {
    await RequestTrail.$current.withValue(self) { await body() }
  }
}

/// When one step ran and which requests it made.
public struct StepRecord: Sendable {
  public var started: Date
  public var seconds: Double
  /// Batched membership adds share the ids of their batch.
  public var requestIDs: [String]
}
