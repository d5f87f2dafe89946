import Foundation

/// The user routes (server/channels/api4/user.go, app/user.go, store/sqlstore/user_store.go).
extension SandboxStore {
  func bodyObject(_ request: APIRequest, name: String) throws(APIError) -> [(String, JSONValue)] {
    guard let value = JSONValue.parse(request.body), case .object(let pairs) = value else {
      throw APIError.invalidBody(name)
    }
    return pairs
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
    return .ok(caller.json(for: .own))
  }

  func getUser(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let target = try user(try pathUser(id, caller: caller))
    return .ok(target.json(for: viewer(of: target, by: caller)))
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
    return .ok(target.json(for: viewer(of: target, by: caller)))
  }

  /// GET /users/email/{email}: lowercased, then validated; profile-sanitised even for oneself.
  func getUserByEmail(_ request: APIRequest, email raw: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let email = SandboxRules.goLower(raw.removingPercentEncoding ?? raw)
    guard SandboxRules.validEmail(email) else { throw APIError.invalidURL("email") }
    guard let id = idByEmail[email], let target = users[id] else { throw APIError.missingAccount }
    return .ok(target.json(for: caller.isSystemAdmin ? .admin : .other))
  }

  /// GET /users: username ASC, OFFSET/LIMIT paging, deactivated users and bots included by default.
  func listUsers(_ request: APIRequest) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let q = request.query
    let page = max(Int(q["page"] ?? "") ?? 0, 0)
    var perPage = Int(q["per_page"] ?? "") ?? 60
    if perPage < 0 { perPage = 60 }
    perPage = min(perPage, 200)
    if let sort = q["sort"], !sort.isEmpty { throw APIError.invalidURL("sort") }
    // No teams, channels or groups exist in the sandbox: membership filters match nobody.
    if ["in_team", "in_channel", "in_group"].contains(where: { !(q[$0] ?? "").isEmpty }) { return .ok(.array([])) }
    let onlyActive = q["active"] == "true"
    let onlyInactive = q["inactive"] == "true"
    var roleFilters: [String] = []
    if let role = q["role"], !role.isEmpty {
      guard SandboxRules.builtInRoles.contains(role) else { throw APIError.invalidURL("role") }
      roleFilters.append(role)
    }
    if let roles = q["roles"], !roles.isEmpty {
      for r in roles.split(separator: ",") where !SandboxRules.builtInRoles.contains(String(r)) {
        throw APIError.invalidURL("roles")
      }
    }
    let rolesAny = (q["roles"] ?? "").split(separator: ",").map(String.init)
    func matches(_ u: UserRecord) -> Bool {
      if onlyActive && !u.isActive { return false }
      if onlyInactive && u.isActive { return false }
      if let role = roleFilters.first, !u.roles.contains(role) { return false }
      if !rolesAny.isEmpty {
        // system_user matches the whole roles string exactly; the others match as substrings.
        let hit = rolesAny.contains { r in r == "system_user" ? u.roles == "system_user" : u.roles.contains(r) }
        if !hit { return false }
      }
      return true
    }
    let filtered = onlyActive || onlyInactive || !roleFilters.isEmpty || !rolesAny.isEmpty
    var out: [JSONValue] = []
    out.reserveCapacity(perPage)
    if perPage > 0 {
      if !filtered {
        let start = min(page * perPage, sortedIDs.count)
        let end = min(start + perPage, sortedIDs.count)
        for id in sortedIDs[start..<end] {
          if let u = users[id] { out.append(rendered(u, for: caller)) }
        }
      } else {
        var skip = page * perPage
        for id in sortedIDs {
          guard let u = users[id], matches(u) else { continue }
          if skip > 0 {
            skip -= 1
            continue
          }
          out.append(rendered(u, for: caller))
          if out.count == perPage { break }
        }
      }
    }
    return .ok(.array(out))
  }

  /// GET /users/stats/filtered: a count, manage_system only; deleted users, bots and remote users
  /// counted only when asked for (api4/user.go getFilteredUsersStats reads each flag with
  /// strconv.ParseBool, ignoring errors; store Count excludes RemoteId users unless IncludeRemoteUsers).
  func filteredStats(_ request: APIRequest) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    try require("manage_system", caller)
    let deleted = SandboxRules.parseBool(request.query["include_deleted"])
    let bots = SandboxRules.parseBool(request.query["include_bots"])
    let remote = SandboxRules.parseBool(request.query["include_remote_users"])
    let count = users.values.count {
      (deleted || $0.isActive) && (bots || !$0.isBot) && (remote || $0.remoteID.isEmpty)
    }
    return .ok(.object([("total_users_count", .int(Int64(count)))]))
  }

  /// POST /users/ids: deduplicated, unknown ids omitted, username ASC, `since` keeps newer updates.
  func usersByIDs(_ request: APIRequest) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    guard let ids = JSONValue.parse(request.body)?.arrayValue?.compactMap(\.stringValue), !ids.isEmpty else {
      throw APIError.invalidBody("user_ids")
    }
    let since = Int64(request.query["since"] ?? "") ?? 0
    let found = Set(ids).compactMap { users[$0] }.filter { since == 0 || $0.updateAt > since }
    return .ok(.array(found.sorted { $0.username < $1.username }.map { $0.json(for: viewer(of: $0, by: caller)) }))
  }

  /// POST /users/usernames: exact, case-sensitive.
  func usersByUsernames(_ request: APIRequest) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    guard let names = JSONValue.parse(request.body)?.arrayValue?.compactMap(\.stringValue), !names.isEmpty else {
      throw APIError.invalidBody("usernames")
    }
    let found = Set(names).compactMap { idByUsername[$0].flatMap { users[$0] } }
    return .ok(.array(found.sorted { $0.username < $1.username }.map { $0.json(for: viewer(of: $0, by: caller)) }))
  }

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
    let body = try bodyObject(request, name: "user")
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

  /// PUT /users/{id}/patch (model.UserPatch; app/user.go PatchUser, CheckProviderAttributes).
  func patchUser(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let targetID = try pathUser(id, caller: caller)
    let body = try bodyObject(request, name: "user")
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
    let body = try bodyObject(request, name: "user")
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

  /// POST /users/{id}/promote (api4/user.go promoteGuestToUser): no license check; permission
  /// promote_guest, 404 for no user, 501 for a user who is no guest; then each system_guest becomes
  /// system_user, the rest kept (store PromoteGuestToUser).
  func promoteGuest(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    try require("promote_guest", caller)
    let u = try existingUser(id)
    guard u.roleSet.contains("system_guest") else {
      throw APIError(
        501, "api.user.promote_guest_to_user.no_guest.app_error",
        "Unable to convert the user to member because is not a guest.")
    }
    let promoted = u.roles.split(separator: " ").map { $0 == "system_guest" ? "system_user" : String($0) }
    return try storeRoles(u, promoted.joined(separator: " "))
  }

  /// POST /users/{id}/demote (api4/user.go demoteUserToGuest): the license and guest-account checks come
  /// before the permission check (501, 501, 403); then 404, 501 for a guest; roles become exactly
  /// system_guest, system_admin included (store DemoteUserToGuest). The last-admin guard does not apply.
  func demoteToGuest(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    guard settings.guestAccounts else {
      throw APIError(501, "api.team.demote_user_to_guest.license.error", "Your license does not support guest accounts")
    }
    try require("demote_to_guest", caller)
    let u = try existingUser(id)
    if u.isSystemAdmin { try require("manage_system", caller) }
    guard !u.roleSet.contains("system_guest") else {
      throw APIError(
        501, "api.user.demote_user_to_guest.already_guest.app_error",
        "Unable to convert the user to guest because is already a guest.")
    }
    return try storeRoles(u, "system_guest")
  }

  private func existingUser(_ id: String) throws(APIError) -> UserRecord {
    guard let u = users[id] else { throw APIError(404, "app.user.missing_account.const", "Unable to find the user.") }
    return u
  }

  /// The store's roles update, promote and demote: new roles and update_at, persisted before the answer.
  private func storeRoles(_ user: UserRecord, _ roles: String) throws(APIError) -> APIResponse {
    var u = user
    u.roles = roles
    u.updateAt = now()
    replace(u)
    try persistOrFail()
    return .statusOK
  }

  /// PUT /users/{id}/roles, checks in the handler's order (api4/user.go updateUserRoles,
  /// app/user.go UpdateUserRolesWithUser, model/user.go IsValidUserRoles).
  func updateRoles(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let targetID = try pathUser(id, caller: caller)
    let body = (try? bodyObject(request, name: "roles")) ?? []
    // A missing or non-string value reads as "", which passes and clears every role.
    let roles = body.first { $0.0 == "roles" }?.1.stringValue ?? ""
    let names = roles.split(separator: " ").map(String.init)
    let wellFormed = names.allSatisfy { name in
      (1...64).contains(name.utf8.count)
        && name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }
    if !wellFormed || roles == "system_admin" { throw APIError.invalidBody("roles") }
    if names.contains(where: SandboxRules.licensedRoles.contains) {
      throw APIError(
        400, "api.user.update_user_roles.license.app_error",
        "Custom permission schemes not supported by current license")
    }
    try require("manage_roles", caller)
    guard let u = users[targetID] else {
      throw APIError(400, "app.user.missing_account.const", "Unable to find the user.")
    }
    if let unknown = names.first(where: { !SandboxRules.builtInRoles.contains($0) }) {
      throw APIError(400, "app.role.check_roles_exist.role_not_found", "The provided role does not exist: \(unknown)")
    }
    // app/user.go UpdateUserRolesWithUser: whatever the target's own state, removing system_admin (a
    // substring test on the new roles) is refused while at most one active, non-bot, local user's roles
    // contain "system_admin" (store Count with a role LIKE filter).
    if u.isSystemAdmin && !roles.contains("system_admin") {
      let admins = users.values.count {
        $0.roles.contains("system_admin") && $0.isActive && !$0.isBot && $0.remoteID.isEmpty
      }
      if admins <= 1 {
        throw APIError(400, "app.user.update.lastAdmin.app_error", "You cannot remove the last system admin.")
      }
    }
    return try storeRoles(u, roles)
  }

  /// PUT /users/{id}/active (api4/user.go updateUserActive, app/user.go UpdateActive).
  func updateActive(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let targetID = try pathUser(id, caller: caller)
    let body = try bodyObject(request, name: "active")
    guard let active = body.first(where: { $0.0 == "active" })?.1.boolValue else {
      throw APIError.invalidBody("active")
    }
    if targetID == caller.id && !active {
      guard settings.enableUserDeactivation else {
        throw APIError(
          401, "api.user.update_active.not_enable.app_error",
          "You cannot deactivate yourself because this feature is not enabled. Please contact your System Administrator."
        )
      }
    } else if !caller.isSystemAdmin {
      throw APIError(
        403, "api.user.update_active.permissions.app_error", "You do not have the appropriate permissions.")
    }
    var u = try user(targetID)
    try setActive(&u, active)
    return .statusOK
  }

  /// Deactivation revokes the user's sessions; its tokens stay but cannot authenticate until reactivation.
  func setActive(_ u: inout UserRecord, _ active: Bool) throws(APIError) {
    let at = now()
    u.updateAt = at
    u.deleteAt = active ? 0 : at
    if !active {
      for (token, session) in sessions where session.userID == u.id && token != adminToken { sessions[token] = nil }
    }
    replace(u)
    try persistOrFail()
  }

  /// DELETE /users/{id}: deactivates; `permanent=true` needs EnableAPIUserDeletion.
  func deleteUser(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let targetID = try pathUser(id, caller: caller)
    try requireActsFor(targetID, caller)
    var u = try user(targetID)
    if u.isSystemAdmin && targetID != caller.id { try require("manage_system", caller) }
    if request.query["permanent"] == "true" && !settings.enableAPIUserDeletion {
      throw APIError(
        401, "api.user.delete_user.not_enabled.app_error",
        "Permanent user deletion feature is not enabled. Please contact your System Administrator.")
    }
    if targetID == caller.id && !settings.enableUserDeactivation && !caller.isSystemAdmin {
      throw APIError(
        401, "api.user.update_active.not_enable.app_error",
        "You cannot deactivate yourself because this feature is not enabled. Please contact your System Administrator.")
    }
    try setActive(&u, false)
    return .statusOK
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
