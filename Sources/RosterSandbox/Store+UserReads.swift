import Foundation

/// Reading one user, and the body helpers every user route shares (server/channels/api4/user.go).
extension SandboxStore {
  func bodyObject(_ request: APIRequest, name: String) throws(APIError) -> [(String, JSONValue)] {
    guard let value = JSONValue.parse(request.body), case .object(let pairs) = value else {
      throw APIError.invalidBody(name)
    }
    return pairs
  }

  /// A body the handler decodes into a Go struct value (model.User, model.UserPatch): JSON `null` decodes
  /// without error and leaves every field unset, so it reads as `{}` (encoding/json Unmarshal).
  func structBody(_ request: APIRequest, name: String) throws(APIError) -> [(String, JSONValue)] {
    if JSONValue.parse(request.body) == .null { return [] }
    return try bodyObject(request, name: name)
  }

  /// A body decoded into Go's `[]string`: nil unless it is an array of strings; a null element decodes
  /// to "" (encoding/json leaves the zero value), any other element fails the whole decode.
  func stringArray(_ request: APIRequest) -> [String]? {
    guard let items = JSONValue.parse(request.body)?.arrayValue else { return nil }
    var out: [String] = []
    for item in items {
      switch item {
      case .string(let s): out.append(s)
      case .null: out.append("")
      default: return nil
      }
    }
    return out
  }

  /// model/user.go Etag: model.Etag(id, update_at, terms_of_service_id, terms_of_service_create_at,
  /// ShowFullName, ShowEmailAddress, bot_last_icon_update), each part after a dot behind the server
  /// version (model/utils.go Etag). No user here accepts terms of service: "" and 0.
  func etag(of user: UserRecord) -> String {
    let parts = [
      user.id, String(user.updateAt), "", "0", String(settings.showFullName), String(settings.showEmailAddress),
      String(bots[user.id]?.lastIconUpdate ?? 0),
    ]
    return ([Self.serverVersion] + parts).joined(separator: ".")
  }

  /// One user with its ETag, or 304 when If-None-Match is that ETag (web/context.go HandleEtag runs after
  /// the lookup and permission checks, before sanitising; the ETag header is set on both answers).
  func userAnswer(_ user: UserRecord, _ view: Viewer, _ request: APIRequest) -> APIResponse {
    let tag = etag(of: user)
    if request.ifNoneMatch == tag { return .notModified(tag) }
    return APIResponse(status: 200, body: user.json(for: view), headers: [("ETag", tag)])
  }

  /// A string field of a decoded body: absent or null is nil; any other non-string fails decoding (400).
  func stringField(_ pairs: [(String, JSONValue)], _ key: String, body: String) throws(APIError) -> String? {
    guard let value = pairs.first(where: { $0.0 == key })?.1 else { return nil }
    switch value {
    case .null: return nil
    case .string(let s): return s
    default: throw APIError.invalidBody(body)
    }
  }

  func user(_ id: String) throws(APIError) -> UserRecord {
    guard let user = users[id] else { throw APIError.missingAccount }
    return user
  }

  // MARK: reading

  func me(_ request: APIRequest) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    return userAnswer(caller, .own, request)
  }

  func getUser(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let target = try user(try pathUser(id, caller: caller))
    return userAnswer(target, viewer(of: target, by: caller), request)
  }

  /// GET /users/username/{username}: the path value must already be a valid (lowercase) username.
  func getUserByUsername(_ request: APIRequest, name: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    guard SandboxRules.validUsername(name) else { throw APIError.invalidBody("username") }
    guard let id = idByUsername[name], let target = users[id] else {
      throw APIError(
        404, "app.user.get_by_username.app_error",
        "Unable to find an existing account matching your username for this team.")
    }
    return userAnswer(target, viewer(of: target, by: caller), request)
  }

  /// GET /users/email/{email}: lowercased, then validated; profile-sanitised even for oneself.
  func getUserByEmail(_ request: APIRequest, email raw: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let email = SandboxRules.goLower(raw.removingPercentEncoding ?? raw)
    guard SandboxRules.validEmail(email) else { throw APIError.invalidURL("email") }
    guard let id = idByEmail[email], let target = users[id] else { throw APIError.missingAccount }
    return userAnswer(target, caller.isSystemAdmin ? .admin : otherViewer, request)
  }
}
