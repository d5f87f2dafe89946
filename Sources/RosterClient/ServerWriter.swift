import Foundation
import RosterCore

/// The calls that change the server. Only `roster apply` holds one.
public struct ServerWriter: Sendable {
  let connection: APIConnection
  public let reader: ServerReader

  public init(reader: ServerReader) {
    self.reader = reader
    connection = reader.connection
  }

  static func body(_ object: [String: Any]) -> Data {
    (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
  }

  /// POST /users. Not idempotent: a lost answer is reported as ambiguous, for the caller to re-read.
  public func createUser(_ fields: [String: String]) async throws(APIFailure) -> LiveUser {
    let response = try await connection.send("POST", "/users", body: Self.body(fields), mode: .create)
    return try connection.json(UserBody.self, response, path: "/users").live
  }

  public func patchUser(_ id: String, _ fields: [String: String]) async throws(APIFailure) {
    _ = try await connection.send("PUT", "/users/\(id)/patch", body: Self.body(fields))
  }

  /// PUT /users/{id}/roles with the roles as one space-separated string (always a string: a missing
  /// or non-string value would clear every role).
  public func setRoles(_ id: String, _ roles: [String]) async throws(APIFailure) {
    _ = try await connection.send("PUT", "/users/\(id)/roles", body: Self.body(["roles": roles.joined(separator: " ")]))
  }

  public func setActive(_ id: String, _ active: Bool) async throws(APIFailure) {
    _ = try await connection.send("PUT", "/users/\(id)/active", body: Self.body(["active": active]))
  }

  /// The created token's id and secret. Not idempotent, like user creation.
  public func createToken(_ userID: String, description: String) async throws(APIFailure) -> (id: String, secret: String) {
    let path = "/users/\(userID)/tokens"
    let response = try await connection.send("POST", path, body: Self.body(["description": description]), mode: .create)
    struct Created: Decodable {
      var id: String
      var token: String
    }
    let created = try connection.json(Created.self, response, path: path)
    return (created.id, created.token)
  }

  public enum TokenAction: String, Sendable { case revoke, disable, enable }

  public func changeToken(_ tokenID: String, _ action: TokenAction) async throws(APIFailure) {
    _ = try await connection.send("POST", "/users/tokens/\(action.rawValue)", body: Self.body(["token_id": tokenID]))
  }

  /// Revokes a token; one already gone counts as revoked (a retried revoke whose first attempt landed
  /// answers 404). Returns false when it was already gone.
  @discardableResult
  public func revoke(_ tokenID: String) async throws(APIFailure) -> Bool {
    do {
      try await changeToken(tokenID, .revoke)
      return true
    } catch where error.status == 404 {
      return false
    }
  }

  /// A user by username, or nil when there is none (for re-reading after an ambiguous create).
  public func findUser(_ username: String) async throws(APIFailure) -> LiveUser? {
    let path = "/users/username/\(username.lowercased())"
    do {
      return try connection.json(UserBody.self, try await connection.send("GET", path), path: path).live
    } catch where error.status == 404 {
      return nil
    }
  }

  public func tokens(of userID: String) async throws(APIFailure) -> [LiveToken] {
    try await reader.tokenPages("/users/\(userID)/tokens")
  }
}
