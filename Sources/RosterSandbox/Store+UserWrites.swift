import Foundation

/// Login, create, patch and update (api4/user.go, app/user.go, model/user.go PreSave/PreUpdate/IsValid).
extension SandboxStore {
  // MARK: login

  /// POST /users/login: the body is read as a map of strings; failures are masked (app/login.go).
  func login(_ request: APIRequest) throws(APIError) -> APIResponse {
    let pairs = (try? bodyObject(request, name: "login_id")) ?? []
    let strings = Dictionary(
      pairs.compactMap { k, v in v.stringValue.map { (k, $0) } }, uniquingKeysWith: { a, _ in a })
    let loginID = SandboxRules.goLower(strings["login_id"] ?? strings["id"] ?? "")
    let password = strings["password"] ?? ""
    let invalid = APIError(
      401, "api.user.login.invalid_credentials_email_username", "Enter a valid email or username and/or password.")
    guard !loginID.isEmpty else { throw invalid }
    guard let id = idByUsername[loginID] ?? idByEmail[loginID], let u = users[id] else { throw invalid }
    if password.isEmpty {
      throw APIError(401, "api.user.login.blank_pwd.app_error", "Password field must not be blank")
    }
    if u.isBot { throw APIError(401, "api.user.login.bot_login_forbidden.app_error", "Bot login is forbidden.") }
    guard u.authService.isEmpty, u.passwordDigest == Self.digest(password, salt: u.id) else { throw invalid }
    guard u.isActive else {
      throw APIError(
        401, "api.user.login.inactive.app_error", "Login failed because your account has been deactivated.")
    }
    let token = Self.newID()
    sessions[token] = Session(userID: u.id)
    // app/login.go DoLogin -> store UpdateLastLogin sets LastLogin and UpdateAt.
    var loggedIn = u
    loggedIn.updateAt = now()
    replace(loggedIn)
    try persistOrFail()
    return APIResponse(status: 200, body: loggedIn.json(for: .own), headers: [("Token", token)])
  }

  // MARK: create

  /// POST /users (api4/user.go createUser, app/user.go CreateUser, store Save, model PreSave/IsValid).
  func createUser(_ request: APIRequest) throws(APIError) -> APIResponse {
    let caller = try? authenticate(request).0
    let body = try structBody(request, name: "user")
    guard caller?.isSystemAdmin == true else {
      throw APIError(403, "api.user.create_user.no_open_server", "This server does not allow open signups.")
    }
    let field = { (key: String) throws(APIError) -> String in try self.stringField(body, key, body: "user") ?? "" }
    let at = now()
    var u = UserRecord(
      id: "", createAt: at, updateAt: at, username: try field("username"),
      email: SandboxRules.trim(try field("email")))
    try u.setProfile(field)
    // api4/user.go createUser: SanitizeInput keeps email_verified for a system admin's create only.
    u.emailVerified = body.first { $0.0 == "email_verified" }?.1.boolValue ?? false
    u.authService = try field("auth_service")
    let authData = try field("auth_data")
    u.authData = authData.isEmpty ? nil : authData
    let password = try field("password")
    // Roles in the body are ignored for everyone: new accounts are system_user.
    u.roles = "system_user"
    if !u.locale.isEmpty && !SandboxRules.supportedLocales.contains(u.locale) { u.locale = "en" }
    if u.authService.isEmpty, let id = SandboxRules.passwordErrorID(password, settings) {
      throw APIError(
        400, id,
        "Your password must contain at least \(settings.passwordMinimumLength) characters and the required classes.")
    }
    if !(try field("id")).isEmpty {
      throw APIError(400, "app.user.save.existing.app_error", "Must call update for existing user.")
    }
    u.id = Self.newID()
    if u.username.isEmpty { u.username = Self.newID() }
    u.username = SandboxRules.goLower(SandboxRules.sanitizeUnicode(u.username))
    u.firstName = SandboxRules.sanitizeUnicode(u.firstName)
    u.lastName = SandboxRules.sanitizeUnicode(u.lastName)
    u.nickname = SandboxRules.sanitizeUnicode(u.nickname)
    u.email = SandboxRules.goLower(u.email)
    if u.locale.isEmpty { u.locale = "en" }
    u.lastPasswordUpdate = at
    if let field = SandboxRules.invalidField(u) { throw APIError.invalidUser(field) }
    if !password.isEmpty && u.authData != nil { throw APIError.invalidUser("auth_data_pwd") }
    if idByEmail[u.email] != nil {
      throw APIError(400, "app.user.save.email_exists.app_error", "An account with that email already exists.")
    }
    if idByUsername[u.username] != nil {
      throw APIError(400, "app.user.save.username_exists.app_error", "An account with that username already exists.")
    }
    // PreSave: a user created without props gets an empty map.
    u.props = try propsField(body) ?? [:]
    if let field = SandboxRules.invalidProps(u.props) { throw APIError.invalidUser(field) }
    u.passwordDigest = password.isEmpty ? "" : Self.digest(password, salt: u.id)
    index(u)
    try persistOrFail()
    return APIResponse(status: 201, body: u.json(for: .own))
  }

  func persistOrFail() throws(APIError) {
    do { try persist() } catch {
      throw APIError(500, "app.sandbox.persist.app_error", "The sandbox could not write its state file.")
    }
  }

  // MARK: update

  /// PUT /users/{id}/patch (model.UserPatch; app/user.go PatchUser, CheckProviderAttributes). A `null`
  /// body decodes into an empty patch: 200, nothing changed but update_at (store Update, PreUpdate).
  func patchUser(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let targetID = try pathUser(id, caller: caller)
    let body = try structBody(request, name: "user")
    try requireActsFor(targetID, caller)
    guard var u = users[targetID] else { throw APIError.invalidBody("user_id") }
    if u.isSystemAdmin && targetID != caller.id { try require("manage_system", caller) }
    let value = { (key: String) throws(APIError) -> String? in try self.stringField(body, key, body: "user") }
    let providerConflict = APIError(
      409, "api.user.patch_user.login_provider_attribute_set.app_error",
      "User must be updated through the login provider.")
    if !u.authService.isEmpty, let name = try value("username"), SandboxRules.goLower(name) != u.username {
      throw providerConflict
    }
    var newEmail = try value("email")
    if SandboxRules.oauthServices.contains(u.authService) {
      if let first = try value("first_name"), first != u.firstName { throw providerConflict }
      if let last = try value("last_name"), last != u.lastName { throw providerConflict }
      newEmail = nil  // OAuth accounts: the email change is answered 200 and silently dropped.
    }
    // A field mapped to a directory attribute belongs to the directory (CheckProviderAttributes).
    let mapped =
      u.authService == "ldap"
      ? settings.ldapMappedAttributes : u.authService == "saml" ? settings.samlMappedAttributes : []
    let attributes = [
      ("first_name", "FirstName", u.firstName), ("last_name", "LastName", u.lastName),
      ("nickname", "Nickname", u.nickname), ("position", "Position", u.position),
    ]
    for (key, attribute, current) in attributes where mapped.contains(attribute) {
      if let v = try value(key), v != current { throw providerConflict }
    }
    if let email = newEmail, SandboxRules.goLower(email) != u.email {
      // The open-source store refuses email changes for LDAP users only (store Update, IsLDAPUser);
      // SAML email changes go through (shared/mattermost-api.md §13).
      if u.authService == "ldap" {
        throw APIError(400, "app.user.update.find.app_error", "Unable to find the existing account to update.")
      }
      if targetID == caller.id {
        let password = try value("password") ?? ""
        guard !password.isEmpty, Self.digest(password, salt: u.id) == u.passwordDigest else {
          throw APIError.invalidBody("password")
        }
      }
      if settings.requireEmailVerification && !u.isBot {
        // app/user.go UpdateUser: the account keeps its address; the new one waits in a verify-email
        // token until the user follows the link. A taken address is refused at once.
        if idByEmail[SandboxRules.goLower(email)] != nil {
          throw APIError(400, "app.user.save.email_exists.app_error", "An account with that email already exists.")
        }
        pendingEmails[u.id] = SandboxRules.goLower(email)
      } else {
        u.email = email
      }
    }
    if let v = try value("username") { u.username = v }
    if let v = try value("nickname") { u.nickname = v }
    if let v = try value("first_name") { u.firstName = v }
    if let v = try value("last_name") { u.lastName = v }
    if let v = try value("position") { u.position = v }
    if let v = try value("locale") { u.locale = v }
    // model/user.go User.Patch: a non-nil props map replaces the whole map, `{}` included.
    if let props = try propsField(body) {
      if let field = SandboxRules.invalidProps(props) { throw APIError.invalidUser(field) }
      u.props = props
    }
    try saveUpdate(&u)
    return .ok(u.json(for: .own))
  }

  /// PreUpdate, IsValid and the unique checks shared by patch and update.
  func saveUpdate(_ u: inout UserRecord) throws(APIError) {
    u.username = SandboxRules.goLower(SandboxRules.sanitizeUnicode(u.username))
    u.email = SandboxRules.goLower(u.email)
    u.firstName = SandboxRules.sanitizeUnicode(u.firstName)
    u.lastName = SandboxRules.sanitizeUnicode(u.lastName)
    u.nickname = SandboxRules.sanitizeUnicode(u.nickname)
    u.updateAt = now()
    if let field = SandboxRules.invalidField(u) { throw APIError.invalidUser(field) }
    if let other = idByEmail[u.email], other != u.id {
      throw APIError(400, "app.user.save.email_exists.app_error", "An account with that email already exists.")
    }
    if let other = idByUsername[u.username], other != u.id {
      throw APIError(400, "app.user.save.username_exists.app_error", "An account with that username already exists.")
    }
    replace(u)
    try persistOrFail()
  }

  /// PUT /users/{id}: a full user; omitted profile fields are cleared.
  func updateUser(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let targetID = try pathUser(id, caller: caller)
    let body = try structBody(request, name: "user")
    guard (try stringField(body, "id", body: "user")) == targetID else { throw APIError.invalidBody("user_id") }
    try requireActsFor(targetID, caller)
    guard var u = users[targetID] else { throw APIError.missingAccount }
    if u.isSystemAdmin && targetID != caller.id { try require("manage_system", caller) }
    let value = { (key: String) throws(APIError) -> String in try self.stringField(body, key, body: "user") ?? "" }
    let requestedName = SandboxRules.goLower(try value("username"))
    if !u.authService.isEmpty && requestedName != u.username {
      throw APIError(
        409, "api.user.update_user.login_provider_attribute_set.app_error",
        "User must be updated through the login provider.")
    }
    u.username = try value("username")
    u.email = try value("email")
    try u.setProfile(value)
    u.notifyProps = UserRecord.defaultNotifyProps
    try saveUpdate(&u)
    return .ok(u.json(for: .own))
  }
}

extension UserRecord {
  /// The free-text profile fields of a full user body (create and PUT): an absent field is empty.
  mutating func setProfile(_ field: (String) throws(APIError) -> String) throws(APIError) {
    nickname = try field("nickname")
    firstName = try field("first_name")
    lastName = try field("last_name")
    position = try field("position")
    locale = try field("locale")
  }
}
