#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

/// The calls apply makes. A protocol so the applier's policy (phases, dependencies, ambiguous creates)
/// can be tested against an in-memory server; `ServerWriter` is the real one.
public protocol ServerWriting: MembershipWriting, BotWriting {
  /// POST /users. Not idempotent: a lost answer is reported as ambiguous, for the caller to re-read.
  func createUser(_ fields: [String: String]) async throws(APIFailure) -> LiveUser
  func patchUser(_ id: String, _ fields: [String: String]) async throws(APIFailure)
  /// PUT /users/{id}/patch with only `props`, which replaces the user's whole map.
  func patchUserProps(_ id: String, _ props: [String: String]) async throws(APIFailure)
  /// PUT /users/{id}/roles with the roles as one space-separated string.
  func setRoles(_ id: String, _ roles: [String]) async throws(APIFailure)
  func setActive(_ id: String, _ active: Bool) async throws(APIFailure)
  /// POST /users/{id}/promote (api4/user.go promoteGuestToUser).
  func promote(_ id: String) async throws(APIFailure)
  /// POST /users/{id}/demote (api4/user.go demoteUserToGuest; a licensed server with guest accounts on).
  func demote(_ id: String) async throws(APIFailure)
  /// The created token's id and secret. Not idempotent, like user creation.
  /// `expiresAt` in milliseconds since 1970; nil for a token without expiry.
  /// `keptExpiry`: the `expires_at` of the server's answer, nil when it has none (no token expiry).
  func createToken(_ userID: String, description: String, expiresAt: Int64?) async throws(APIFailure) -> (
    id: String, secret: String, keptExpiry: Int64?
  )
  func changeToken(_ tokenID: String, _ action: TokenAction) async throws(APIFailure)
  /// A user by username, or nil when there is none (for re-reading after an ambiguous create).
  func findUser(_ username: String) async throws(APIFailure) -> LiveUser?
  func tokens(of userID: String) async throws(APIFailure) -> [LiveToken]
  /// POST /users/password/reset/send: the server mails a reset link (app/user.go SendPasswordReset).
  func sendPasswordReset(_ email: String) async throws(APIFailure)
  /// The server's time, from the `Date` header of its latest answer; the runner's clock may be off.
  func serverNow() -> Date
}

public enum TokenAction: String, Sendable { case revoke, disable, enable }

extension ServerWriting {
  public func serverNow() -> Date { Date() }

  /// Revokes a token; one already gone counts as revoked (a retried revoke whose first attempt landed
  /// answers 404). Returns false when it was already gone.
  @discardableResult
  public func revoke(_ tokenID: String) async throws(APIFailure) -> Bool {
    do {
      try await changeToken(tokenID, .revoke)
      return true
    } catch  where error.status == 404 {
      return false
    }
  }
}

/// The calls that change the server. Only `roster apply` holds one.
public struct ServerWriter: ServerWriting {
  let connection: APIConnection
  public let reader: ServerReader

  public init(reader: ServerReader) {
    self.reader = reader
    connection = reader.connection
  }

  public func createUser(_ fields: [String: String]) async throws(APIFailure) -> LiveUser {
    let response = try await connection.send(
      "POST", "/users", body: APIJSON.body(UserCreateBody(fields)), mode: .create)
    return try connection.record(UserBody.self, response, path: "/users").live
  }

  public func patchUser(_ id: String, _ fields: [String: String]) async throws(APIFailure) {
    _ = try await connection.send("PUT", "/users/\(try ServerID.checked(id))/patch", body: APIJSON.body(fields))
  }

  /// Always a string: a missing or non-string `roles` would clear every role.
  public func patchUserProps(_ id: String, _ props: [String: String]) async throws(APIFailure) {
    struct Body: Encodable { var props: [String: String] }
    _ = try await connection.send(
      "PUT", "/users/\(try ServerID.checked(id))/patch", body: APIJSON.body(Body(props: props)))
  }

  public func setRoles(_ id: String, _ roles: [String]) async throws(APIFailure) {
    let body = APIJSON.body(["roles": roles.joined(separator: " ")])
    _ = try await connection.send("PUT", "/users/\(try ServerID.checked(id))/roles", body: body)
  }

  public func setActive(_ id: String, _ active: Bool) async throws(APIFailure) {
    _ = try await connection.send(
      "PUT", "/users/\(try ServerID.checked(id))/active", body: APIJSON.body(ActiveBody(active: active)))
  }

  public func promote(_ id: String) async throws(APIFailure) {
    _ = try await connection.send("POST", "/users/\(try ServerID.checked(id))/promote")
  }

  public func demote(_ id: String) async throws(APIFailure) {
    _ = try await connection.send("POST", "/users/\(try ServerID.checked(id))/demote")
  }

  public func createToken(
    _ userID: String, description: String, expiresAt: Int64?
  ) async throws(APIFailure) -> (id: String, secret: String, keptExpiry: Int64?) {
    let path = "/users/\(try ServerID.checked(userID))/tokens"
    let body = APIJSON.body(TokenCreateBody(description: description, expiresAt: expiresAt))
    let response = try await connection.send("POST", path, body: body, mode: .create)
    struct Created: Decodable {
      var id: String
      var token: String
      var expires_at: Int64?
    }
    let created = try connection.json(Created.self, response, path: path)
    return (created.id, created.token, created.expires_at)
  }

  public func changeToken(_ tokenID: String, _ action: TokenAction) async throws(APIFailure) {
    _ = try await connection.send("POST", "/users/tokens/\(action.rawValue)", body: APIJSON.body(["token_id": tokenID]))
  }

  public func serverNow() -> Date { connection.clock.now() }

  public func findUser(_ username: String) async throws(APIFailure) -> LiveUser? {
    let path = "/users/username/\(username.lowercased())"
    do {
      return try connection.record(UserBody.self, try await connection.send("GET", path), path: path).live
    } catch  where error.status == 404 {
      return nil
    }
  }

  /// Answers 200 whether or not an account has the address (api4/user.go sendPasswordReset), so the
  /// create before it is what says the account exists.
  public func sendPasswordReset(_ email: String) async throws(APIFailure) {
    _ = try await connection.send(
      "POST", "/users/password/reset/send", body: APIJSON.body(["email": email]), mode: .mail)
  }

  public func tokens(of userID: String) async throws(APIFailure) -> [LiveToken] {
    try await reader.tokenPages("/users/\(try ServerID.checked(userID))/tokens")
  }
}

struct ActiveBody: Encodable {
  var active: Bool
}

/// POST /users/{id}/tokens: `expires_at` only when the token expires (model/user_access_token.go).
struct TokenCreateBody: Encodable {
  var description: String
  var expiresAt: Int64?

  enum CodingKeys: String, CodingKey {
    case description
    case expiresAt = "expires_at"
  }
}

/// POST /users: the fields as strings, but `email_verified` as the boolean the server reads.
struct UserCreateBody: Encodable {
  let fields: [String: String]

  init(_ fields: [String: String]) { self.fields = fields }

  private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Key.self)
    for (key, value) in fields {
      if key == "email_verified" {
        try c.encode(value == "true", forKey: Key(stringValue: key))
      } else {
        try c.encode(value, forKey: Key(stringValue: key))
      }
    }
  }
}
