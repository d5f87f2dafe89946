/// What a saved plan was computed from, so apply can refuse when the server moved on: each user read or
/// touched (id and a hash of what roster manages of it), each token set, and the absence of what the
/// plan creates.
///
/// Only what roster manages goes into a user's hash: the fields the manifest declares and manages for
/// that user, the fields a step changes, and always the username, active state, sign-in service and
/// bot flag. A user editing their own nickname while `managed_fields` leaves nicknames alone does not
/// make a reviewed plan stale. Each user's print lists the fields it covers, so apply hashes the same
/// ones; older files without the list cover every field.
///
/// `update_at` is left out on purpose: the server bumps it on every login (app/login.go DoLogin ->
/// store UpdateLastLogin in store/sqlstore/user_store.go), picture, password and MFA change, so a plan
/// keyed on it went stale as soon as anyone it names signed in.
public struct Fingerprints: Sendable, Codable, Equatable {
  public struct UserPrint: Sendable, Codable, Equatable {
    public var username: String
    public var id: String
    public var hash: String
    /// The profile fields (and `roles`) the hash covers; nil: every one (files from before the list).
    public var fields: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable { case username, id, hash, fields }

    init(username: String, id: String, hash: String, fields: [String]?) {
      self.username = username
      self.id = id
      self.hash = hash
      self.fields = fields
    }

    public init(from decoder: any Decoder) throws {
      try decoder.allowOnly(CodingKeys.self)
      let c = try decoder.container(keyedBy: CodingKeys.self)
      let fields = try c.decodeIfPresent([String].self, forKey: .fields)
      if let unknown = fields?.first(where: { $0 != Fingerprints.rolesKey && ProfileField.named($0) == nil }) {
        throw DecodingError.dataCorruptedError(
          forKey: .fields, in: c, debugDescription: "\"\(unknown)\" is not a profile field or roles")
      }
      self.init(
        username: try c.decode(String.self, forKey: .username), id: try c.decode(String.self, forKey: .id),
        hash: try c.decode(String.self, forKey: .hash), fields: fields)
    }
  }

  public struct TokenPrint: Sendable, Codable, Equatable {
    public var username: String
    public var hash: String

    enum CodingKeys: String, CodingKey, CaseIterable { case username, hash }

    init(username: String, hash: String) {
      self.username = username
      self.hash = hash
    }

    public init(from decoder: any Decoder) throws {
      try decoder.allowOnly(CodingKeys.self)
      let c = try decoder.container(keyedBy: CodingKeys.self)
      self.init(username: try c.decode(String.self, forKey: .username), hash: try c.decode(String.self, forKey: .hash))
    }
  }

  static let rolesKey = "roles"

  public var users: [UserPrint]
  /// Usernames that must still not exist.
  public var absentUsers: [String]
  public var tokens: [TokenPrint]
  /// The bot rows (description, owner, disabled or not) of the bots the manifest declares or a step
  /// names; nil in files from before bots (`Fingerprints+Bots`).
  public var bots: [BotPrint]?

  enum CodingKeys: String, CodingKey, CaseIterable {
    case users
    case absentUsers = "absent_users"
    case tokens
    case bots
  }

  init(users: [UserPrint], absentUsers: [String], tokens: [TokenPrint], bots: [BotPrint]? = nil) {
    self.users = users
    self.absentUsers = absentUsers
    self.tokens = tokens
    self.bots = bots
  }

  public init(from decoder: any Decoder) throws {
    try decoder.allowOnly(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      users: try c.decode([UserPrint].self, forKey: .users),
      absentUsers: try c.decode([String].self, forKey: .absentUsers),
      tokens: try c.decode([TokenPrint].self, forKey: .tokens),
      bots: try c.decodeIfPresent([BotPrint].self, forKey: .bots))
  }

  /// Fingerprints of everything the manifest names or the plan touches: every user a step names, under
  /// its new and (for a rename) its old name.
  public static func compute(manifest: Manifest, live: LiveState, plan: Plan) -> Fingerprints {
    var covered: [String: Set<String>] = [:]
    for spec in manifest.users {
      var fields = Set<String>()
      for field in ProfileField.allCases where spec[keyPath: field.spec] != nil {
        if spec.manages(.profile(field), settings: manifest.settings) { fields.insert(field.key) }
      }
      if spec.roles != nil && spec.manages(.roles, settings: manifest.settings) { fields.insert(rolesKey) }
      for name in spec.names { covered[name, default: []].formUnion(fields) }
    }
    for step in plan.steps {
      var touched = Set(step.changes.map(\.field).filter { ProfileField.named($0) != nil })
      if step.kind == .setRoles || step.kind == .promoteGuest || step.kind == .demoteToGuest {
        touched.insert(rolesKey)
      }
      covered[step.username, default: []].formUnion(touched)
      if let old = step.renamedFrom { covered[old, default: []].formUnion(touched) }
    }
    for bot in manifest.bots {
      var fields: Set<String> = bot.roles != nil ? [rolesKey] : []
      if bot.displayName != nil { fields.insert(ProfileField.firstName.key) }
      covered[bot.username, default: []].formUnion(fields)
    }
    var tokenUsers = Set(manifest.users.filter { $0.tokens != nil }.flatMap(\.names))
    tokenUsers.formUnion(manifest.bots.filter { $0.tokens != nil }.map(\.username))
    tokenUsers.formUnion(plan.steps.filter { $0.tokenDescription != nil }.map(\.username))
    var prints = compute(names: covered.mapValues { Optional($0) }, tokenUsers: tokenUsers, live: live)
    let botNames = Set(manifest.bots.map(\.username) + plan.steps.filter { $0.botChange != nil }.map(\.username))
    if !botNames.isEmpty { prints.bots = botPrints(botNames, live: live) }
    return prints
  }

  /// Fresh fingerprints of the same objects, over the same fields, to compare with these.
  public func recompute(from live: LiveState) -> Fingerprints {
    var names: [String: Set<String>?] = [:]
    for user in users { names[user.username] = user.fields.map(Set.init) }
    for name in absentUsers where names[name] == nil { names[name] = .some([]) }
    var prints = Self.compute(names: names, tokenUsers: Set(tokens.map(\.username)), live: live)
    if let bots { prints.bots = Self.botPrints(Set(bots.map(\.username)), live: live) }
    return prints
  }

  /// The usernames whose tokens were fingerprinted: apply must read their tokens again.
  public var tokenUsernames: [String] { tokens.map(\.username) }

  /// - Parameter names: each username with the fields its hash covers (nil: every field).
  static func compute(names: [String: Set<String>?], tokenUsers: Set<String>, live: LiveState) -> Fingerprints {
    let byName = UserIndex(live.users, .username)
    var users: [UserPrint] = []
    var absent: [String] = []
    var tokens: [TokenPrint] = []
    let tokensByUser = Dictionary(grouping: live.tokens ?? [], by: \.userID)
    for name in names.keys.sorted() {
      guard let user = byName[name] else {
        absent.append(name)
        continue
      }
      let fields = names[name] ?? nil
      users.append(
        UserPrint(username: name, id: user.id, hash: hash(user, fields: fields), fields: fields.map { $0.sorted() }))
      if tokenUsers.contains(name) {
        let set = (tokensByUser[user.id] ?? []).sorted { $0.id < $1.id }
          .map { "\($0.id)|\($0.description)|\($0.isActive)" }.joined(separator: "\n")
        tokens.append(TokenPrint(username: name, hash: fnv(set)))
      }
    }
    return Fingerprints(users: users, absentUsers: absent, tokens: tokens)
  }

  /// What roster manages of a user (the given fields, or all of them), and nothing the server changes
  /// on its own.
  static func hash(_ u: LiveUser, fields: Set<String>?) -> String {
    let profile = ProfileField.allCases.map { field in
      fields.map { $0.contains(field.key) } ?? true ? u[keyPath: field.live] : "-"
    }
    let roles =
      fields.map { $0.contains(rolesKey) } ?? true ? ServerRules.canonicalRoles(u.roleSet).joined(separator: " ") : "-"
    let rest = [u.username, roles, u.authService, String(u.isActive), String(u.isBot)]
    return fnv((profile + rest).joined(separator: "\u{1F}"))
  }

  /// FNV-1a 64 of `text` in hex, for records that name a plan (`apply --report`).
  public static func digest(_ text: String) -> String { fnv(text) }

  /// FNV-1a, 64 bits: a change detector, not a security boundary.
  static func fnv(_ text: String) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 {
      h ^= UInt64(b)
      h = h &* 0x100_0000_01b3
    }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// What differs between the saved fingerprints and fresh ones, in words; empty when nothing moved.
  public func changes(comparedTo now: Fingerprints) -> [String] {
    var out: [String] = []
    let fresh = Dictionary(now.users.map { ($0.username, $0) }, uniquingKeysWith: { a, _ in a })
    for old in users {
      guard let new = fresh[old.username] else {
        out.append("user \(old.username) no longer exists")
        continue
      }
      if new.id != old.id {
        out.append("user \(old.username) was replaced (id \(old.id) → \(new.id))")
      } else if new.hash != old.hash {
        out.append("user \(old.username) changed (what roster manages of it: profile, roles or active state)")
      }
    }
    let nowPresent = Set(now.users.map(\.username))
    for name in absentUsers where nowPresent.contains(name) { out.append("user \(name) appeared") }
    let freshTokens = Dictionary(now.tokens.map { ($0.username, $0.hash) }, uniquingKeysWith: { a, _ in a })
    for old in tokens where freshTokens[old.username] != old.hash {
      out.append("tokens of \(old.username) changed")
    }
    out += botChanges(comparedTo: now)
    return out
  }
}
