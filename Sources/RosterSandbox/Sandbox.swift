import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The request context: Hummingbird's core storage plus the channel, which a reset-after-commit fault
/// closes without answering.
public struct SandboxContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  let channel: any Channel

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    channel = source.channel
  }
}

/// Everything that configures one sandbox.
public struct SandboxConfiguration: Sendable {
  /// A fixed development token, documented in the README, so scripts can talk to a fresh sandbox.
  public static let developmentAdminToken = "rostersandboxadmintoken000"

  public var port = 8065
  public var seed = SandboxSeed.minimal
  public var statePath: String?
  public var adminToken = developmentAdminToken
  public var settings = ServerSettings()
  public var faults = FaultOptions()

  public init() {}
}

/// The HTTP face of the sandbox: routes `/api/v4` into the store, applies faults and limits, and serves
/// the test-only inspection API under `/sandbox`.
struct SandboxResponder: HTTPResponder {
  typealias Context = SandboxContext

  let store: SandboxStore
  let faults: FaultOptions
  let dice: FaultDice
  let limiter: RateLimiter?
  let log: RequestLog
  let started = Date()

  func respond(to request: Request, context: SandboxContext) async throws -> Response {
    let requestID = SandboxStore.newID()
    let path = request.uri.path
    if path.hasPrefix("/sandbox/") { return try await inspect(request, path: path, requestID: requestID) }
    if faults.latencyMilliseconds > 0 { try await Task.sleep(for: .milliseconds(faults.latencyMilliseconds)) }

    var extra: [(String, String)] = []
    if let limiter {
      let (allowed, headers) = await limiter.take(now: Date().timeIntervalSince(started))
      extra = headers
      if !allowed {
        await log.append(.init(method: request.method.rawValue, route: "(rate limited)", path: path, status: 429))
        return text(429, "limit exceeded\n", headers: extra, requestID: requestID)
      }
    }
    if await dice.hits(faults.throttleRate) {
      await log.append(.init(method: request.method.rawValue, route: "(throttled)", path: path, status: 429))
      return text(429, "limit exceeded\n", headers: extra + [("Retry-After", "1")], requestID: requestID)
    }

    let segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard segments.count >= 3, segments[1] == "api", segments[2] == "v4",
      let (route, params) = SandboxRoutes.find(method: request.method.rawValue, path: Array(segments.dropFirst(3)))
    else {
      await log.append(.init(method: request.method.rawValue, route: "(unknown)", path: path, status: 404))
      return json(404, APIError.notFound.body(requestID: requestID), headers: extra, requestID: requestID)
    }
    let routeName = "/api/v4" + route.template

    if route.isWrite, await dice.hits(faults.failRate) {
      await log.append(.init(method: request.method.rawValue, route: routeName, path: path, status: 503))
      let error = APIError(503, "sandbox.fault.fail_rate", "Injected failure (--fail-rate): nothing was written.")
      return json(503, error.body(requestID: requestID), headers: extra, requestID: requestID)
    }

    let body = try await request.body.collect(upTo: 16 * 1024 * 1024)
    // Go's url.Values.Get: the first value of a repeated parameter.
    var query: [String: String] = [:]
    for (key, value) in request.uri.queryParameters where query[String(key)] == nil {
      query[String(key)] = String(value)
    }
    let apiRequest = APIRequest(
      method: request.method.rawValue, path: Array(segments.dropFirst(3)), query: query,
      authorization: request.headers[.authorization], ifNoneMatch: request.headers[.ifNoneMatch],
      body: Data(buffer: body))

    var response: APIResponse
    do {
      response = try await route.handler(store, apiRequest, params)
    } catch let error as APIError {
      response = APIResponse(status: error.status, body: error.body(requestID: requestID))
    }
    let drop = route.isWrite && response.status < 400 ? await dice.hits(faults.resetAfterCommitRate) : false
    await log.append(
      .init(method: request.method.rawValue, route: routeName, path: path, status: response.status, dropped: drop))
    if drop {
      // The write is committed; the client never hears so.
      try? await context.channel.close()
      throw HTTPError(.internalServerError)
    }
    return json(response.status, response.body, headers: extra + response.headers, requestID: requestID)
  }

  /// Every API response carries X-Request-Id and X-Version-Id (server/channels/web/handlers.go).
  private func common(_ requestID: String) -> HTTPFields {
    var fields = HTTPFields()
    for (name, value) in [("X-Request-Id", requestID), ("X-Version-Id", "10.5.0.sandbox")] {
      if let field = HTTPField.Name(name) { fields[field] = value }
    }
    return fields
  }

  private func json(_ status: Int, _ body: JSONValue, headers: [(String, String)], requestID: String) -> Response {
    var fields = common(requestID)
    fields[.contentType] = "application/json"
    for (name, value) in headers { if let n = HTTPField.Name(name) { fields[n] = value } }
    // A 304 (web/context.go HandleEtag) has no body, as Go's server writes none for it.
    let text = status == 304 ? "" : body.text
    return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
  }

  private func text(_ status: Int, _ body: String, headers: [(String, String)], requestID: String) -> Response {
    var fields = common(requestID)
    fields[.contentType] = "text/plain; charset=utf-8"
    for (name, value) in headers { if let n = HTTPField.Name(name) { fields[n] = value } }
    return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
  }

  /// Test-only: `GET /sandbox/requests`, `POST /sandbox/requests/clear`, `GET /sandbox/mail`, `GET /sandbox/posts`,
  /// `GET /sandbox/state`, `POST /sandbox/settings` (a seed's "settings" object, applied over the current
  /// settings), `POST /sandbox/reset`. Not part of the Mattermost API and not rate limited or faulted.
  private func inspect(_ request: Request, path: String, requestID: String) async throws -> Response {
    switch (request.method, path) {
    case (.get, "/sandbox/requests"):
      return json(200, await log.json(), headers: [], requestID: requestID)
    case (.post, "/sandbox/requests/clear"):
      await log.clear()
      return json(200, .object([("status", .string("OK"))]), headers: [], requestID: requestID)
    case (.get, "/sandbox/posts"):
      return json(200, await store.postsJSON(), headers: [], requestID: requestID)
    case (.get, "/sandbox/mail"):
      return json(200, await store.mailJSON(), headers: [], requestID: requestID)
    case (.get, "/sandbox/state"):
      let data = try JSONEncoder().encode(await store.snapshot())
      return Response(
        status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    case (.post, "/sandbox/settings"):
      // The seed's "settings" keys, applied over the current ones: a test changes the server between a
      // plan and its apply, as an administrator would in the System Console.
      let changes = try JSONDecoder().decode(
        SeedSettings.self, from: Data(buffer: try await request.body.collect(upTo: 1 << 20)))
      await store.changeSettings(changes)
      return json(200, .object([("status", .string("OK"))]), headers: [], requestID: requestID)
    case (.post, "/sandbox/reset"):
      try await store.reset()
      await log.clear()
      return json(200, .object([("status", .string("OK"))]), headers: [], requestID: requestID)
    default:
      return json(404, APIError.notFound.body(requestID: requestID), headers: [], requestID: requestID)
    }
  }
}

/// Builds a ready-to-run sandbox application.
public enum Sandbox {
  /// - Parameter onListening: called with the bound port once the server accepts connections.
  public static func application(
    _ configuration: SandboxConfiguration,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
  ) async throws -> some ApplicationProtocol {
    let store = try await SandboxStore(
      settings: configuration.seed.apply(to: configuration.settings), seed: configuration.seed,
      adminToken: configuration.adminToken,
      statePath: configuration.statePath)
    let faults = configuration.faults
    await store.setChannelPageDrift(faults.channelPageDrift)
    let responder = SandboxResponder(
      store: store, faults: faults, dice: FaultDice(seed: faults.seed),
      limiter: faults.rateLimit.map { RateLimiter(perSecond: $0.perSecond, burst: $0.burst) }, log: RequestLog())
    var logger = Logger(label: "roster-sandbox")
    logger.logLevel = .warning
    return Application(
      responder: responder,
      configuration: .init(address: .hostname("127.0.0.1", port: configuration.port), serverName: "roster-sandbox"),
      onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
      logger: logger)
  }
}
