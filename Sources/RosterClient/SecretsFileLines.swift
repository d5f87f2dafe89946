#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// One line of the secrets file: `username`, `description`, `token_id`, `token`.
struct TokenRecord: Encodable {
  var username: String
  var description: String
  var tokenID: String
  var token: String
  var createdAt: String

  enum CodingKeys: String, CodingKey {
    case username, description, token
    case tokenID = "token_id"
    case createdAt = "created_at"
  }
}

/// One line of the secrets file for `initial_password: generate`: `username`, `initial_password`, `created_at`.
struct PasswordRecord: Encodable {
  var username: String
  var initialPassword: String
  var createdAt: String

  enum CodingKeys: String, CodingKey {
    case username
    case initialPassword = "initial_password"
    case createdAt = "created_at"
  }
}

/// A token record as `tokenCreationTimes` reads it (records from before `created_at` have none).
struct CreatedTokenLine: Decodable {
  var token_id: String
  var created_at: String?
}

/// A bookkeeping line written before a token create: who and which description, when; never a secret.
struct IntentRecord: Encodable {
  var intent: String
  var username: String
  var description: String
  var startedAt: String
  var replaces: [String]?

  enum CodingKeys: String, CodingKey {
    case intent, username, description, replaces
    case startedAt = "started_at"
  }
}

/// Any line of a secrets file, as far as finding open intents needs.
struct IntentLine: Decodable {
  var intent: String?
  var token: String?
  /// A state file's note that a token exists (its secret went to the secrets file).
  var token_id: String?
  var username: String
  var description: String
  var replaces: [String]?
}

/// A bookkeeping line: an email change waiting for the user's verification.
struct PendingEmailRecord: Encodable {
  var pendingEmail: String
  var username: String
  var requestedAt: String

  enum CodingKeys: String, CodingKey {
    case pendingEmail = "pending_email"
    case username
    case requestedAt = "requested_at"
  }
}

struct PendingEmailLine: Decodable {
  var pending_email: String
  var username: String
  var requested_at: String
}

/// A state file's line once a token's secret is in the secrets file: everything but the secret, so
/// the state alone closes the intent and knows the token's age.
struct CreatedTokenRecord: Encodable {
  var username: String
  var description: String
  var tokenID: String
  var createdAt: String

  enum CodingKeys: String, CodingKey {
    case username, description
    case tokenID = "token_id"
    case createdAt = "created_at"
  }
}
