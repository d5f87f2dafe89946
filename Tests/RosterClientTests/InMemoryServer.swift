import Foundation
import RosterClient
import RosterCore

/// A small in-memory server behind the `ServerWriting` protocol, for deterministic tests of the
/// applier's policy: each call is logged, and a script can refuse a call or apply it and lose the answer.
/// Everything a user meets runs against roster-sandbox over HTTP; this only makes failures reproducible.
actor InMemoryServer: ServerWriting {
  enum Fault: Sendable {
    /// Refuse with this status before applying.
    case refuse(Int)
    /// Apply the call, then lose the answer (a dropped connection after commit).
    case loseAnswer
  }

  private(set) var users: [String: LiveUser] = [:]
  private(set) var tokens: [String: LiveToken] = [:]
  /// Calls in the order they arrived, as `"create_user alice"`, `"set_active u1 false"`, ...
  private(set) var calls: [String] = []
  /// Members of teams and channels by container id, then user id: whether an admin.
  var members: [String: [String: Bool]] = [:]
  /// Users every add refuses (as a domain restriction would), one by one within a batch.
  var refusedMembers: Set<String> = []
  private var faults: [String: [Fault]] = [:]
  private var counter = 0

  init(users: [LiveUser] = [], tokens: [LiveToken] = []) {
    for user in users { self.users[user.id] = user }
    for token in tokens { self.tokens[token.id] = token }
  }

  /// The next calls whose log line starts with `prefix` meet these faults, in order.
  func script(_ prefix: String, _ faults: Fault...) { self.faults[prefix, default: []] += faults }

  /// A 26-character id, as the server makes.
  func nextID(_ prefix: String) -> String {
    counter += 1
    let tail = String(counter)
    return prefix + String(repeating: "0", count: 26 - prefix.count - tail.count) + tail
  }

  private func fault(for call: String) -> Fault? {
    calls.append(call)
    guard let key = faults.keys.sorted().first(where: { call.hasPrefix($0) && !(faults[$0] ?? []).isEmpty }) else {
      return nil
    }
    return faults[key]?.removeFirst()
  }

  /// Runs `apply` unless the script refuses; throws a lost answer after applying when scripted.
  func perform<T>(_ call: String, _ apply: () throws(APIFailure) -> T) throws(APIFailure) -> T {
    switch fault(for: call) {
    case .refuse(let status)?:
      throw APIFailure(method: "-", path: call, status: status, id: "scripted", message: "refused", ambiguous: false)
    case .loseAnswer?:
      _ = try apply()
      throw APIFailure(method: "-", path: call, status: 0, id: nil, message: "connection lost", ambiguous: true)
    case nil:
      return try apply()
    }
  }

  private func user(_ id: String) throws(APIFailure) -> LiveUser {
    guard let user = users[id] else {
      throw APIFailure(
        method: "-", path: id, status: 404, id: "app.user.missing_account.const", message: "no user", ambiguous: false)
    }
    return user
  }

  func createUser(_ fields: [String: String]) async throws(APIFailure) -> LiveUser {
    let name = fields["username"] ?? ""
    return try perform("create_user \(name)") { () throws(APIFailure) in
      if users.values.contains(where: { $0.username == name }) {
        throw APIFailure(
          method: "-", path: name, status: 400, id: "app.user.save.username_exists.app_error", message: "exists",
          ambiguous: false)
      }
      let user = LiveUser(id: nextID("u"), username: name, email: fields["email"] ?? "")
      users[user.id] = user
      return user
    }
  }

  func patchUser(_ id: String, _ fields: [String: String]) async throws(APIFailure) {
    try perform("patch_user \(try user(id).username)") { () throws(APIFailure) in
      var user = try user(id)
      if let value = fields["username"] { user.username = value }
      if let value = fields["first_name"] { user.firstName = value }
      if let value = fields["email"] { user.email = value }
      users[id] = user
    }
  }

  /// Replaces the whole map, as the server's patch does.
  func patchUserProps(_ id: String, _ props: [String: String]) async throws(APIFailure) {
    try perform("patch_props \(try user(id).username)") { () throws(APIFailure) in
      users[id]?.props = props
    }
  }

  func setRoles(_ id: String, _ roles: [String]) async throws(APIFailure) {
    try perform("set_roles \(try user(id).username)") { () throws(APIFailure) in
      users[id]?.roles = roles.joined(separator: " ")
    }
  }

  func setActive(_ id: String, _ active: Bool) async throws(APIFailure) {
    try perform("set_active \(try user(id).username) \(active)") { () throws(APIFailure) in
      users[id]?.deleteAt = active ? 0 : 1
    }
  }

  func promote(_ id: String) async throws(APIFailure) {
    try perform("promote \(try user(id).username)") { () throws(APIFailure) in
      users[id]?.roles = "system_user"
    }
  }

  func demote(_ id: String) async throws(APIFailure) {
    try perform("demote \(try user(id).username)") { () throws(APIFailure) in
      users[id]?.roles = "system_guest"
    }
  }

  func createToken(_ userID: String, description: String, expiresAt: Int64?) async throws(APIFailure) -> (
    id: String, secret: String, keptExpiry: Int64?
  ) {
    try perform("create_token \(try user(userID).username) \(description)") { () throws(APIFailure) in
      let token = LiveToken(
        id: nextID("t"), userID: userID, description: description, isActive: true, expiresAt: expiresAt ?? 0)
      tokens[token.id] = token
      return (token.id, "secret-of-" + token.id, expiresAt)
    }
  }

  func changeToken(_ tokenID: String, _ action: TokenAction) async throws(APIFailure) {
    try perform("\(action.rawValue)_token \(tokenID)") { () throws(APIFailure) in
      guard tokens[tokenID] != nil else {
        throw APIFailure(
          method: "-", path: tokenID, status: 404, id: "app.user_access_token.get.app_error", message: "gone",
          ambiguous: false)
      }
      switch action {
      case .revoke: tokens[tokenID] = nil
      case .enable: tokens[tokenID]?.isActive = true
      case .disable: tokens[tokenID]?.isActive = false
      }
    }
  }

  func findUser(_ username: String) async throws(APIFailure) -> LiveUser? {
    calls.append("find_user \(username)")
    return users.values.first { $0.username == username }
  }

  func tokens(of userID: String) async throws(APIFailure) -> [LiveToken] {
    calls.append("list_tokens \(users[userID]?.username ?? userID)")
    return tokens.values.filter { $0.userID == userID }.sorted { $0.id < $1.id }
  }

  func sendPasswordReset(_ email: String) async throws(APIFailure) {
    try perform("send_password_reset \(email)") { () throws(APIFailure) in }
  }

  func liveTokens(of username: String) -> [LiveToken] {
    guard let id = users.values.first(where: { $0.username == username })?.id else { return [] }
    return tokens.values.filter { $0.userID == id }
  }

  func named(_ username: String) -> LiveUser? { users.values.first { $0.username == username } }
}

/// A sink that keeps secrets in memory, or fails its intents or its records when asked to.
final class MemorySecretStore: SecretStore, @unchecked Sendable {
  enum Failing { case never, intents, records }
  private let lock = NSLock()
  private var stored: [String: String] = [:]
  private var storedPasswords: [String: String] = [:]
  private(set) var intents: [String] = []
  let failing: Failing

  init(failing: Failing = .never) { self.failing = failing }

  struct Full: Error, CustomStringConvertible {
    var description: String { "no space left on device" }
  }

  func intend(username: String, description: String, replaces: [String]) throws {
    if failing == .intents { throw Full() }
    lock.withLock { intents.append("\(username)/\(description)") }
  }

  func notePendingEmail(username: String, email: String) throws {}

  func settle(username: String, description: String) throws {
    lock.withLock { intents.removeAll { $0 == "\(username)/\(description)" } }
  }

  func record(username: String, description: String, tokenID: String, secret: String) throws {
    if failing == .records { throw Full() }
    lock.withLock { stored[tokenID] = secret }
  }

  func recordPassword(username: String, password: String) throws {
    if failing == .records { throw Full() }
    lock.withLock { storedPasswords[username] = password }
  }

  var secrets: [String: String] { lock.withLock { stored } }
  var passwords: [String: String] { lock.withLock { storedPasswords } }
}
