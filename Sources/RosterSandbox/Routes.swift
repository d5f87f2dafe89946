import Foundation

/// One API call as the store sees it, after HTTP is peeled off.
struct APIRequest: Sendable {
  var method: String
  var path: [String]
  var query: [String: String]
  var authorization: String?
  /// If-None-Match, compared verbatim with a route's ETag (web/context.go HandleEtag).
  var ifNoneMatch: String? = nil
  var body: Data
}

/// What a handler answers: a status, a JSON body and any extra headers.
struct APIResponse: Sendable {
  var status: Int
  var body: JSONValue
  var headers: [(String, String)] = []

  static func ok(_ body: JSONValue) -> APIResponse { APIResponse(status: 200, body: body) }
  static func notModified(_ etag: String) -> APIResponse {
    APIResponse(status: 304, body: .null, headers: [("ETag", etag)])
  }
  static let statusOK = APIResponse(status: 200, body: .object([("status", .string("OK"))]))
}

/// The API the sandbox serves, as one table: the dispatcher walks it, the spec test reads it.
public struct Route: Sendable {
  public var method: String
  /// A path under /api/v4 with `{name}` parameters, spelled as in the OpenAPI description.
  public var template: String
  /// Whether the call changes state: faults (--fail-rate, --reset-after-commit-rate) only hit these.
  public var isWrite: Bool
  /// The request-body fields the handler reads, for the test that checks them against the OpenAPI spec.
  public var bodyFields: [String]
  let handler: @Sendable (SandboxStore, APIRequest, [String: String]) async throws -> APIResponse

  var parts: [Substring] { template.split(separator: "/") }

  /// The parameters when `path` matches; literal segments must match exactly, parameters any segment.
  func match(_ path: [String]) -> [String: String]? {
    let parts = self.parts
    guard parts.count == path.count else { return nil }
    var params: [String: String] = [:]
    for (part, segment) in zip(parts, path) {
      if part.hasPrefix("{") {
        guard !segment.isEmpty else { return nil }
        params[String(part.dropFirst().dropLast())] = segment
      } else if part != segment {
        return nil
      }
    }
    return params
  }
}

public enum SandboxRoutes {
  static func r(
    _ method: String, _ template: String, write: Bool = false, body: [String] = [],
    _ handler: @escaping @Sendable (SandboxStore, APIRequest, [String: String]) async throws -> APIResponse
  ) -> Route {
    Route(method: method, template: template, isWrite: write, bodyFields: body, handler: handler)
  }

  static let profile = ["username", "email", "nickname", "first_name", "last_name", "position", "locale"]

  /// Every route: the users API, then teams, channels and memberships (Routes+Memberships.swift).
  public static let all: [Route] = userRoutes + membershipRoutes

  /// Literal paths come before `{user_id}` ones, as the server's /users subrouter is tried first.
  static let userRoutes: [Route] = [
    r("GET", "/system/ping") { _, _, _ in .ok(.object([("status", .string("OK"))])) },
    r("GET", "/config/client") { s, q, _ in try await s.clientConfig(q) },
    r("POST", "/users/login", body: ["login_id", "id", "password"]) { s, q, _ in try await s.login(q) },
    r("GET", "/users") { s, q, _ in try await s.listUsers(q) },
    r("POST", "/users", write: true, body: profile + ["password", "auth_service", "auth_data"]) { s, q, _ in
      try await s.createUser(q)
    },
    r("POST", "/users/password/reset/send", write: true, body: ["email"]) { s, q, _ in
      try await s.sendPasswordReset(q)
    },
    r("GET", "/users/stats") { s, q, _ in try await s.totalStats(q) },
    r("POST", "/roles/names") { s, q, _ in try await s.rolesByNames(q) },
    r("GET", "/users/stats/filtered") { s, q, _ in try await s.filteredStats(q) },
    r("POST", "/users/ids") { s, q, _ in try await s.usersByIDs(q) },
    r("POST", "/users/usernames") { s, q, _ in try await s.usersByUsernames(q) },
    r("GET", "/users/username/{username}") { s, q, p in try await s.getUserByUsername(q, name: p["username"] ?? "") },
    r("GET", "/users/email/{email}") { s, q, p in try await s.getUserByEmail(q, email: p["email"] ?? "") },
    r("GET", "/users/tokens") { s, q, _ in try await s.listAllTokens(q) },
    r("POST", "/users/tokens/revoke", write: true, body: ["token_id"]) { s, q, _ in try await s.changeToken(q, .revoke)
    },
    r("POST", "/users/tokens/disable", write: true, body: ["token_id"]) { s, q, _ in
      try await s.changeToken(q, .disable)
    },
    r("POST", "/users/tokens/enable", write: true, body: ["token_id"]) { s, q, _ in try await s.changeToken(q, .enable)
    },
    r("POST", "/users/tokens/search", body: ["term"]) { s, q, _ in try await s.searchTokens(q) },
    r("GET", "/users/tokens/{token_id}") { s, q, p in try await s.getToken(q, id: p["token_id"] ?? "") },
    r("GET", "/users/{user_id}") { s, q, p in
      let id = p["user_id"] ?? ""
      return id == "me" ? try await s.me(q) : try await s.getUser(q, id: id)
    },
    r("PUT", "/users/{user_id}", write: true, body: ["id"] + profile) { s, q, p in
      try await s.updateUser(q, id: p["user_id"] ?? "")
    },
    r("DELETE", "/users/{user_id}", write: true) { s, q, p in try await s.deleteUser(q, id: p["user_id"] ?? "") },
    r("PUT", "/users/{user_id}/patch", write: true, body: profile + ["password"]) { s, q, p in
      try await s.patchUser(q, id: p["user_id"] ?? "")
    },
    r("PUT", "/users/{user_id}/roles", write: true, body: ["roles"]) { s, q, p in
      try await s.updateRoles(q, id: p["user_id"] ?? "")
    },
    r("POST", "/users/{user_id}/promote", write: true) { s, q, p in try await s.promoteGuest(q, id: p["user_id"] ?? "")
    },
    r("POST", "/users/{user_id}/demote", write: true) { s, q, p in try await s.demoteToGuest(q, id: p["user_id"] ?? "")
    },
    r("PUT", "/users/{user_id}/active", write: true, body: ["active"]) { s, q, p in
      try await s.updateActive(q, id: p["user_id"] ?? "")
    },
    r("POST", "/users/{user_id}/tokens", write: true, body: ["description"]) { s, q, p in
      try await s.createToken(q, id: p["user_id"] ?? "")
    },
    r("GET", "/users/{user_id}/tokens") { s, q, p in try await s.listUserTokens(q, id: p["user_id"] ?? "") },
    r("POST", "/bots", write: true, body: ["username", "display_name", "description"]) { s, q, _ in
      try await s.createBot(q)
    },
    r("GET", "/bots") { s, q, _ in try await s.listBots(q) },
    r("GET", "/bots/{bot_user_id}") { s, q, p in try await s.getBot(q, id: p["bot_user_id"] ?? "") },
    r("PUT", "/bots/{bot_user_id}", write: true, body: ["username", "display_name", "description"]) { s, q, p in
      try await s.updateBot(q, id: p["bot_user_id"] ?? "")
    },
    r("POST", "/bots/{bot_user_id}/assign/{user_id}", write: true) { s, q, p in
      try await s.assignBot(q, id: p["bot_user_id"] ?? "", ownerID: p["user_id"] ?? "")
    },
    r("POST", "/bots/{bot_user_id}/disable", write: true) { s, q, p in
      try await s.changeBotActive(q, id: p["bot_user_id"] ?? "", active: false)
    },
    r("POST", "/bots/{bot_user_id}/enable", write: true) { s, q, p in
      try await s.changeBotActive(q, id: p["bot_user_id"] ?? "", active: true)
    },
  ]

  /// The route for a method and path; a path that matches with another method is still "not found",
  /// as the server's router answers.
  static func find(method: String, path: [String]) -> (Route, [String: String])? {
    for route in all where route.method == method {
      if let params = route.match(path) { return (route, params) }
    }
    return nil
  }
}
