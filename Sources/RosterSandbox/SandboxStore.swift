import Foundation

/// The sandbox's whole state and every rule of the users API. An actor: requests arrive concurrently and
/// are applied one at a time, as the server's database would serialise them.
public actor SandboxStore {
  var settings: ServerSettings
  var users: [String: UserRecord] = [:]
  var idByUsername: [String: String] = [:]
  var idByEmail: [String: String] = [:]
  /// User ids ordered by username: GET /users pages over this (user_store.go GetAllProfiles, username ASC).
  var sortedIDs: [String] = []
  /// Bot rows by user id (store/sqlstore/bot_store.go); the bot's user is in `users` too.
  var bots: [String: BotRecord] = [:]
  var tokens: [String: TokenRecord] = [:]
  /// Insertion order; the server's token lists have no ORDER BY, this is one order it may return.
  var tokenOrder: [String] = []
  var tokenBySecret: [String: String] = [:]
  var sessions: [String: Session] = [:]
  /// Email changes waiting for the user's verification (user id to new address), as the server keeps
  /// them only in verify-email tokens: never shown in a user object.
  var pendingEmails: [String: String] = [:]
  /// Mails "sent" (password resets), for tests; not part of the saved state.
  var outbox: [SentMail] = []
  /// Users rendered for an admin viewer, the common case of big listings; dropped on every change.
  var adminViewCache: [String: String] = [:]
  var lastMillis: Int64 = 0
  /// Teams, channels, memberships and the system posts their changes made.
  var org = Organisation()
  /// FaultOptions.channelPageDrift still to inflict.
  var channelPageDrift = 0
  let statePath: String?
  var seed: SandboxSeed
  let adminToken: String

  /// Async so that, being isolated, it can load the seed the same way `reset` does.
  public init(settings: ServerSettings, seed: SandboxSeed, adminToken: String, statePath: String?) async throws {
    self.settings = settings
    self.seed = seed
    self.adminToken = adminToken
    self.statePath = statePath
    let start = statePath.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
    try load(start.map(SandboxSeed.read(path:)) ?? seed)
  }

  /// Replaces the whole state with a seed's (or a state file's) users and tokens.
  private func load(_ seed: SandboxSeed) throws {
    var records = try seed.records(now: now())
    records.sort { $0.0.username < $1.0.username }
    users = [:]
    idByUsername = [:]
    idByEmail = [:]
    sortedIDs = []
    tokens = [:]
    tokenOrder = []
    tokenBySecret = [:]
    sessions = [:]
    adminViewCache = [:]
    for (user, userTokens) in records {
      users[user.id] = user
      idByUsername[user.username] = user.id
      idByEmail[user.email] = user.id
      sortedIDs.append(user.id)
      for token in userTokens {
        tokens[token.id] = token
        tokenOrder.append(token.id)
        tokenBySecret[token.secret] = token.id
      }
    }
    let admin = records.map(\.0).first(where: { $0.isSystemAdmin && !$0.isBot })
    if let admin { sessions[adminToken] = Session(userID: admin.id) }
    bots = [:]
    for bot in try seed.bots(for: records.map(\.0), defaultOwner: admin?.id) { bots[bot.userID] = bot }
    org = try seed.organisation(records.map(\.0), settings, now: now())
  }

  // MARK: clocks and ids

  /// model.CurrentVersion of the server the sandbox stands for: the client configuration's Version and
  /// the first part of every ETag.
  static let serverVersion = "10.5.0"

  /// Milliseconds, strictly increasing, so every change moves update_at.
  func now() -> Int64 {
    let wall = Int64(Date().timeIntervalSince1970 * 1000)
    lastMillis = max(wall, lastMillis + 1)
    return lastMillis
  }

  /// model.NewId: 26 characters of [a-z0-9].
  static func newID() -> String {
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
    var rng = SystemRandomNumberGenerator()
    return String((0..<26).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
  }

  /// model.IsValidId.
  static func isValidID(_ s: String) -> Bool {
    s.utf8.count == 26 && s.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) }
  }

  /// Not a real hash: enough that the state file never holds a password as written.
  static func digest(_ password: String, salt: String) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in (salt + ":" + password).utf8 {
      h ^= UInt64(b)
      h = h &* 0x100_0000_01b3
    }
    return String(h, radix: 16)
  }

  // MARK: indexes

  func index(_ user: UserRecord) {
    users[user.id] = user
    idByUsername[user.username] = user.id
    idByEmail[user.email] = user.id
    let position = insertionPoint(for: user.username)
    sortedIDs.insert(user.id, at: position)
  }

  func insertionPoint(for username: String) -> Int {
    var low = 0
    var high = sortedIDs.count
    while low < high {
      let mid = (low + high) / 2
      if users[sortedIDs[mid]]?.username ?? "" < username { low = mid + 1 } else { high = mid }
    }
    return low
  }

  /// Replaces a stored user, keeping the indexes right when username or email changed.
  func replace(_ user: UserRecord) {
    guard let old = users[user.id] else { return }
    adminViewCache[user.id] = nil
    if old.username != user.username {
      idByUsername[old.username] = nil
      if let i = sortedIDs.firstIndex(of: user.id) { sortedIDs.remove(at: i) }
      users[user.id] = user
      idByUsername[user.username] = user.id
      sortedIDs.insert(user.id, at: insertionPoint(for: user.username))
    }
    if old.email != user.email {
      idByEmail[old.email] = nil
      idByEmail[user.email] = user.id
    }
    users[user.id] = user
  }

  // MARK: authentication (server/channels/app/authentication.go ParseAuthTokenFromRequest; app/session.go)

  /// The caller's session user, or the 401 the server answers.
  func authenticate(_ request: APIRequest) throws(APIError) -> (UserRecord, Session) {
    guard let header = request.authorization else { throw APIError.sessionExpired }
    let parts = header.split(separator: " ", maxSplits: 1).map(String.init)
    guard parts.count == 2, ["bearer", "token"].contains(parts[0].lowercased()) else { throw APIError.sessionExpired }
    let token = parts[1].trimmingCharacters(in: .whitespaces)
    if let session = sessions[token], let user = users[session.userID] {
      guard user.isActive else { throw APIError.sessionExpired }
      return (user, session)
    }
    // An unknown token is tried as a personal access token (app/session.go createSessionForUserAccessToken).
    guard let tokenID = tokenBySecret[token], let pat = tokens[tokenID], pat.isActive,
      let user = users[pat.userID], settings.enableUserAccessTokens || user.isBot
    else { throw APIError.sessionExpired }
    // createSessionForUserAccessToken: an expired token is refused with its own id, before the
    // deactivated-user check; its listing still says is_active.
    if pat.expiresAt > 0 && now() >= pat.expiresAt {
      throw APIError(401, "app.user_access_token.expired", "The personal access token has expired.")
    }
    guard user.isActive else { throw APIError.sessionExpired }
    return (user, Session(userID: user.id, tokenID: pat.id))
  }

  /// The user a `{user_id}` path names; `me` is the caller.
  func pathUser(_ id: String, caller: UserRecord) throws(APIError) -> String {
    if id == "me" { return caller.id }
    guard Self.isValidID(id) else { throw APIError.invalidURL("user_id") }
    return id
  }

  /// A user as a list shows it to `caller`: app/user.go sanitizeProfiles runs SanitizeProfile on every
  /// entry, the caller's own included, so no list ever carries notify_props or last_password_update.
  /// Admin views come from the cache, the common case of big listings.
  func rendered(_ user: UserRecord, inListFor caller: UserRecord) -> JSONValue {
    guard caller.isSystemAdmin else { return user.json(for: otherViewer) }
    if let text = adminViewCache[user.id] { return .raw(text) }
    var text = ""
    user.write(for: .admin, into: &text)
    adminViewCache[user.id] = text
    return .raw(text)
  }

  func viewer(of user: UserRecord, by caller: UserRecord) -> Viewer {
    if user.id == caller.id { return .own }
    return caller.isSystemAdmin ? .admin : otherViewer
  }

  /// How a caller without manage_system sees someone else, by the privacy settings.
  var otherViewer: Viewer { .other(email: settings.showEmailAddress, fullName: settings.showFullName) }

  /// Permissions by role (model/role.go): system_admin holds all; system_user_access_token grants the
  /// token permissions; ordinary users hold none of the administrative ones.
  func require(_ permission: String, _ caller: UserRecord) throws(APIError) {
    if caller.isSystemAdmin { return }
    let tokenPermissions: Set = [
      "create_user_access_token", "read_user_access_token", "revoke_user_access_token",
    ]
    if tokenPermissions.contains(permission) && caller.roleSet.contains("system_user_access_token") { return }
    throw APIError.permissions(permission)
  }

  /// SessionHasPermissionToUser: self, or edit_other_users (and manage_system for an admin target).
  func requireActsFor(_ targetID: String, _ caller: UserRecord) throws(APIError) {
    if targetID == caller.id { return }
    try require("edit_other_users", caller)
  }

  // MARK: state

  /// Back to the seed (test-only `/sandbox/reset`).
  func reset() throws {
    outbox = []
    try load(seed)
    try persist()
  }

  /// Test-only `/sandbox/settings`: a seed's settings applied over the current ones.
  func changeSettings(_ changes: SeedSettings) {
    settings = SandboxSeed(users: [], settings: changes).apply(to: settings)
  }

  public func adminUsername() -> String? {
    sessions[adminToken].flatMap { users[$0.userID]?.username }
  }

  /// The whole state as the `--state` file format (also `/sandbox/state`).
  func snapshot() -> SandboxSeed {
    let list = sortedIDs.compactMap { users[$0] }
    var byUser: [String: [TokenRecord]] = [:]
    for id in tokenOrder { if let t = tokens[id] { byUser[t.userID, default: []].append(t) } }
    let (teams, channels) = org.seedTeamsAndChannels()
    return SandboxSeed(
      users: list.map { SeedUser(record: $0, tokens: byUser[$0.id] ?? [], bot: bots[$0.id]) },
      teams: teams.isEmpty ? nil : teams, channels: channels.isEmpty ? nil : channels)
  }

  /// Writes every accepted change before it is acknowledged: temp file, fsync, rename.
  func persist() throws {
    guard let statePath else { return }
    try snapshot().write(path: statePath)
  }

  /// Counts for the performance script and tests.
  func counts() -> (users: Int, tokens: Int) { (users.count, tokens.count) }
}

extension SandboxStore {
  func setChannelPageDrift(_ pages: Int) { channelPageDrift = max(pages, 0) }
}
