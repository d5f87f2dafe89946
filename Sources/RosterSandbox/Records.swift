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
  /// The shared-channel cluster the user belongs to; empty for local users (model.User RemoteId).
  var remoteID = ""
  /// model.User MfaActive: set when the user turns MFA on (app/user.go ActivateMfa); never cleared by
  /// Sanitize, so every viewer sees it (omitempty: absent when false).
  var mfaActive = false
  /// model.User Props (StringMap): free keys any client may keep on the user (custom status, roster's
  /// owner marker). Every viewer sees them: SanitizeProfile/ClearNonProfileFields leave props alone.
  var props: [String: String] = [:]

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
enum Viewer: Equatable {
  /// The user themself: everything but secrets; auth_data blanked.
  case own
  /// Someone holding manage_system: profile fields incl. email and auth_service.
  case admin
  /// Anyone else: auth_service blanked too; email shown only with PrivacySettings.ShowEmailAddress,
  /// first and last name only with ShowFullName (model/user.go Sanitize; app/users/utils.go
  /// GetSanitizeOptions). Both settings default to true.
  case other(email: Bool, fullName: Bool)
}

extension Viewer {
  var isOther: Bool { if case .other = self { true } else { false } }
}

extension UserRecord {
  /// The JSON the server sends, field order and omitempty rules as in model/user.go User. Written
  /// straight into text: listing 100,000 users is dominated by this function.
  func json(for viewer: Viewer) -> JSONValue {
    var out = ""
    out.reserveCapacity(640)
    write(for: viewer, into: &out)
    return .raw(out)
  }

  func write(for viewer: Viewer, into out: inout String) {
    func key(_ name: String) { out += ",\"" + name + "\":" }
    func string(_ name: String, _ value: String) {
      key(name)
      JSONValue.quote(value, into: &out)
    }
    func number(_ name: String, _ value: Int64) {
      key(name)
      out += String(value)
    }
    func map(_ name: String, _ pairs: [(String, String)]) {
      key(name)
      out += "{"
      for (i, (k, v)) in pairs.enumerated() {
        if i > 0 { out += "," }
        JSONValue.quote(k, into: &out)
        out += ":"
        JSONValue.quote(v, into: &out)
      }
      out += "}"
    }
    out += "{\"id\":"
    JSONValue.quote(id, into: &out)
    if createAt != 0 { number("create_at", createAt) }
    if updateAt != 0 { number("update_at", updateAt) }
    number("delete_at", deleteAt)
    string("username", username)
    string("auth_data", "")
    var showEmail = true
    var showNames = true
    if case .other(let email, let fullName) = viewer {
      showEmail = email
      showNames = fullName
    }
    string("auth_service", viewer.isOther ? "" : authService)
    string("email", showEmail ? email : "")
    if viewer == .own && emailVerified { key("email_verified"); out += "true" }
    string("nickname", nickname)
    string("first_name", showNames ? firstName : "")
    string("last_name", showNames ? lastName : "")
    string("position", position)
    string("roles", roles)
    // omitempty; encoding/json writes a map's keys sorted.
    if !props.isEmpty { map("props", props.sorted { $0.key < $1.key }) }
    if viewer == .own {
      map("notify_props", notifyProps)
      if lastPasswordUpdate != 0 { number("last_password_update", lastPasswordUpdate) }
    }
    string("locale", locale)
    map("timezone", timezone)
    if mfaActive { key("mfa_active"); out += "true" }
    if isBot { key("is_bot"); out += "true" }
    if !botDescription.isEmpty { string("bot_description", botDescription) }
    if !remoteID.isEmpty { string("remote_id", remoteID) }
    key("disable_welcome_email")
    out += "false}"
  }
}

/// A personal access token. `secret` is what the user sends as `Bearer`; the server returns it once.
struct TokenRecord: Sendable {
  var id: String
  var secret: String
  var userID: String
  var description: String
  var isActive = true
  /// Milliseconds since 1970; 0 never expires. Always in the JSON (no omitempty); expiry never clears
  /// is_active (model/user_access_token.go IsExpired).
  var expiresAt: Int64 = 0

  /// model/user_access_token.go: the secret only in the create response.
  func json(withSecret: Bool) -> JSONValue {
    var f: [(String, JSONValue)] = [("id", .string(id))]
    if withSecret { f.append(("token", .string(secret))) }
    f.append(contentsOf: [
      ("user_id", .string(userID)), ("description", .string(description)), ("is_active", .bool(isActive)),
      ("expires_at", .int(expiresAt)),
    ])
    return .object(f)
  }
}

/// An authenticated session: a login, the sandbox admin token, or one minted for a personal access token.
struct Session: Sendable {
  var userID: String
  var tokenID: String?
}
