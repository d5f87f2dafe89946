/// Personal access token routes (api4/user.go, app/session.go, model/user_access_token.go).
extension SandboxStore {
  func paging(_ request: APIRequest) -> (page: Int, perPage: Int) {
    // web/params.go: a bad or negative page is 0; per_page (else the old `pageSize`) defaults to 60, a
    // negative one too, and is clamped to 200.
    let page = Int(request.query["page"] ?? "").flatMap { $0 < 0 ? nil : $0 } ?? 0
    let perPage = Int(request.query["per_page"] ?? "") ?? Int(request.query["pageSize"] ?? "") ?? -1
    return (page, perPage < 0 ? 60 : min(perPage, 200))
  }

  func page(_ list: [TokenRecord], _ request: APIRequest) -> JSONValue {
    let (page, perPage) = paging(request)
    let start = min(page * perPage, list.count)
    let end = min(start + perPage, list.count)
    return .array(list[start..<end].map { $0.json(withSecret: false) })
  }

  /// POST /users/{id}/tokens: 200 (not 201), the secret returned this once.
  func createToken(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, session) = try authenticate(request)
    let targetID = try pathUser(id, caller: caller)
    let body = (try? bodyObject(request, name: "description")) ?? []
    let description = body.first { $0.0 == "description" }?.1.stringValue ?? ""
    if description.isEmpty { throw APIError.invalidBody("description") }
    _ = session
    try require("create_user_access_token", caller)
    try requireActsFor(targetID, caller)
    let target = try user(targetID)
    if target.isSystemAdmin && targetID != caller.id { try require("manage_system", caller) }
    guard settings.enableUserAccessTokens || target.isBot else {
      throw APIError(
        501, "app.user_access_token.disabled",
        "Personal access tokens are disabled on this server. Please contact your system administrator for details.")
    }
    if description.utf8.count > 255 {
      throw APIError(
        400, "model.user_access_token.is_valid.description.app_error",
        "Invalid description, must be 255 or less characters")
    }
    let expiresAt = body.first { $0.0 == "expires_at" }?.1.intValue ?? 0
    try checkExpiry(expiresAt)
    var token = TokenRecord(id: Self.newID(), secret: Self.newID(), userID: targetID, description: description)
    token.expiresAt = expiresAt
    tokens[token.id] = token
    tokenOrder.append(token.id)
    tokenBySecret[token.secret] = token.id
    try persistOrFail()
    return .ok(token.json(withSecret: true))
  }

  /// app/session.go validateUserAccessTokenExpiry, in its order.
  private func checkExpiry(_ expiresAt: Int64) throws(APIError) {
    let maxDays = Int64(settings.maximumTokenLifetimeDays)
    if expiresAt == 0 {
      if maxDays > 0 {
        throw APIError(400, "app.user_access_token.expires_at_required.app_error", "An expiry date is required.")
      }
      return
    }
    if expiresAt <= now() {
      throw APIError(
        400, "app.user_access_token.expires_at_in_past.app_error", "The expiry date must be in the future.")
    }
    if maxDays > 0 && expiresAt > now() + maxDays * 86_400_000 {
      throw APIError(
        400, "app.user_access_token.expires_at_too_far.app_error", "The expiry date is further than \(maxDays) days.")
    }
  }

  func listUserTokens(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let targetID = try pathUser(id, caller: caller)
    try require("read_user_access_token", caller)
    try requireActsFor(targetID, caller)
    return .ok(page(tokenOrder.compactMap { tokens[$0] }.filter { $0.userID == targetID }, request))
  }

  /// GET /users/tokens: every user's tokens; manage_system only.
  func listAllTokens(_ request: APIRequest) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    try require("manage_system", caller)
    return .ok(page(tokenOrder.compactMap { tokens[$0] }, request))
  }

  func getToken(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    guard Self.isValidID(id) else { throw APIError.invalidURL("token_id") }
    try require("read_user_access_token", caller)
    guard let token = tokens[id] else { throw APIError.tokenNotFound }
    try requireActsFor(token.userID, caller)
    return .ok(token.json(withSecret: false))
  }

  enum TokenChange { case revoke, disable, enable }

  /// POST /users/tokens/{revoke,disable,enable} with `{"token_id"}`. A missing id falls through to the
  /// lookup and ends as 404, as the handler does not return after SetInvalidParam.
  func changeToken(_ request: APIRequest, _ change: TokenChange) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let body = (try? bodyObject(request, name: "token_id")) ?? []
    let tokenID = body.first { $0.0 == "token_id" }?.1.stringValue ?? ""
    try require(change == .enable ? "create_user_access_token" : "revoke_user_access_token", caller)
    guard var token = tokens[tokenID] else { throw APIError.tokenNotFound }
    try requireActsFor(token.userID, caller)
    switch change {
    case .revoke:
      tokens[tokenID] = nil
      tokenBySecret[token.secret] = nil
      tokenOrder.removeAll { $0 == tokenID }
    case .disable, .enable:
      token.isActive = change == .enable
      tokens[tokenID] = token
    }
    try persistOrFail()
    return .statusOK
  }

  /// POST /users/tokens/search `{"term"}`: exact match on token id, user id or username; manage_system.
  func searchTokens(_ request: APIRequest) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    try require("manage_system", caller)
    let body = try bodyObject(request, name: "term")
    let term = body.first { $0.0 == "term" }?.1.stringValue ?? ""
    let userID = idByUsername[term] ?? term
    let hits = tokenOrder.compactMap { tokens[$0] }.filter { $0.id == term || $0.userID == userID }
    return .ok(.array(hits.map { $0.json(withSecret: false) }))
  }

  // MARK: system

  /// GET /config/client?format=old: the limited configuration for anyone, the full one for a session
  /// (server/config/client.go GenerateLimitedClientConfig, GenerateClientConfig): every value a string.
  func clientConfig(_ request: APIRequest) throws(APIError) -> APIResponse {
    guard request.query["format"] == "old" else {
      throw APIError(
        501, "api.config.client.old_format.app_error",
        "New format for the client configuration is not supported yet. Please specify format=old in the query string.")
    }
    let loggedIn = (try? authenticate(request)) != nil
    func flag(_ on: Bool) -> JSONValue { .string(on ? "true" : "false") }
    // The password settings are in the limited configuration anyone may read (GenerateLimitedClientConfig).
    var pairs: [(String, JSONValue)] = [
      ("Version", .string(Self.serverVersion)), ("BuildNumber", .string("sandbox")),
      ("PasswordMinimumLength", .string(String(settings.passwordMinimumLength))),
      ("PasswordRequireLowercase", flag(settings.passwordRequireLowercase)),
      ("PasswordRequireUppercase", flag(settings.passwordRequireUppercase)),
      ("PasswordRequireNumber", flag(settings.passwordRequireNumber)),
      ("PasswordRequireSymbol", flag(settings.passwordRequireSymbol)),
      // ServiceSettings.SiteURL defaults to "" (model/config.go SetDefaults, EnableDeveloper off), sent
      // with its trailing slashes trimmed.
      ("SiteURL", .string("")),
      ("EnableBotAccountCreation", flag(settings.enableBotAccountCreation)),
    ]
    if loggedIn {
      pairs.append(("EnableUserAccessTokens", flag(settings.enableUserAccessTokens)))
      pairs.append(("EnableUserDeactivation", flag(settings.enableUserDeactivation)))
      pairs.append(("RequireEmailVerification", flag(settings.requireEmailVerification)))
      pairs.append(("ShowEmailAddress", flag(settings.showEmailAddress)))
      pairs.append(("ShowFullName", flag(settings.showFullName)))
      // "true" only for attributes the (licensed) directory maps; "false" otherwise, as unlicensed.
      for name in ["Nickname", "FirstName", "LastName", "Position"] {
        pairs.append(("Ldap\(name)AttributeSet", flag(settings.ldapMappedAttributes.contains(name))))
      }
      pairs.append(("LdapPictureAttributeSet", flag(false)))
      for name in ["FirstName", "LastName", "Nickname", "Position"] {
        pairs.append(("Saml\(name)AttributeSet", flag(settings.samlMappedAttributes.contains(name))))
      }
    }
    return .ok(.object(pairs))
  }
}
