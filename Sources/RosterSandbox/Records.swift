/// A user as the sandbox stores it. Its own type on purpose: nothing here is shared with the client.
struct UserRecord: Sendable {
  var id: String
  var createAt: Int64
  var updateAt: Int64
  var deleteAt: Int64 = 0
  var username: String
  var passwordDigest: String = ""
  var authData: String?
  var authService: String = ""
  var email: String
  var emailVerified = false
  var nickname = ""
  var firstName = ""
  var lastName = ""
  var position = ""
  var roles = "system_user"
  var locale = "en"
  var timezone: [(String, String)] = [
    ("automaticTimezone", ""), ("manualTimezone", ""), ("useAutomaticTimezone", "true"),
  ]
  var notifyProps: [(String, String)] = UserRecord.defaultNotifyProps
  var lastPasswordUpdate: Int64 = 0
  var isBot = false
  var botDescription = ""

  var isActive: Bool { deleteAt == 0 }
  var roleSet: Set<String> { Set(roles.split(separator: " ").map(String.init)) }
  var isSystemAdmin: Bool { roleSet.contains("system_admin") }

  /// model/user.go SetDefaultNotifications.
  static let defaultNotifyProps: [(String, String)] = [
    ("email", "true"), ("push", "mention"), ("desktop", "mention"), ("desktop_sound", "true"),
    ("mention_keys", ""), ("channel", "true"), ("push_status", "away"), ("comments", "never"),
    ("first_name", "false"), ("desktop_threads", "all"), ("email_threads", "all"), ("push_threads", "all"),
  ]
}

/// Who is looking decides which fields a user object shows (model/user.go Sanitize, SanitizeProfile).
enum Viewer {
  /// The user themself: everything but secrets; auth_data blanked.
  case own
  /// Someone holding manage_system: profile fields incl. email and auth_service.
  case admin
  /// Anyone else: auth_service blanked too (email and names shown, as ShowEmailAddress and
  /// ShowFullName default to true).
  case other
}

extension UserRecord {
  /// The JSON the server sends, field order and omitempty rules as in model/user.go User.
  func json(for viewer: Viewer) -> JSONValue {
    var f: [(String, JSONValue)] = [("id", .string(id))]
    if createAt != 0 { f.append(("create_at", .int(createAt))) }
    if updateAt != 0 { f.append(("update_at", .int(updateAt))) }
    f.append(("delete_at", .int(deleteAt)))
    f.append(("username", .string(username)))
    f.append(("auth_data", .string("")))
    f.append(("auth_service", .string(viewer == .other ? "" : authService)))
    f.append(("email", .string(email)))
    if viewer == .own && emailVerified { f.append(("email_verified", .bool(true))) }
    f.append(("nickname", .string(nickname)))
    f.append(("first_name", .string(firstName)))
    f.append(("last_name", .string(lastName)))
    f.append(("position", .string(position)))
    f.append(("roles", .string(roles)))
    if viewer == .own {
      f.append(("notify_props", .object(notifyProps.map { ($0.0, .string($0.1)) })))
      if lastPasswordUpdate != 0 { f.append(("last_password_update", .int(lastPasswordUpdate))) }
    }
    f.append(("locale", .string(locale)))
    f.append(("timezone", .object(timezone.map { ($0.0, .string($0.1)) })))
    if isBot { f.append(("is_bot", .bool(true))) }
    if !botDescription.isEmpty { f.append(("bot_description", .string(botDescription))) }
    f.append(("disable_welcome_email", .bool(false)))
    return .object(f)
  }
}

/// A personal access token. `secret` is what the user sends as `Bearer`; the server returns it once.
struct TokenRecord: Sendable {
  var id: String
  var secret: String
  var userID: String
  var description: String
  var isActive = true

  /// model/user_access_token.go: the secret only in the create response.
  func json(withSecret: Bool) -> JSONValue {
    var f: [(String, JSONValue)] = [("id", .string(id))]
    if withSecret { f.append(("token", .string(secret))) }
    f.append(contentsOf: [
      ("user_id", .string(userID)), ("description", .string(description)), ("is_active", .bool(isActive)),
    ])
    return .object(f)
  }
}

/// An authenticated session: a login, the sandbox admin token, or one minted for a personal access token.
struct Session: Sendable {
  var userID: String
  var tokenID: String?
}
