import Foundation

/// The stable JSON form of a plan (`--format json`) and of a saved plan file (`--out`), described by
/// `schemas/plan.schema.json`. `format_version` changes only when a field changes meaning or goes away.
public struct PlanDocument: Sendable, Codable, Equatable {
  public static let currentVersion = "1"

  public struct Summary: Sendable, Codable, Equatable {
    public var create: Int
    public var update: Int
    public var deactivate: Int
    public var tokensCreate: Int
    public var tokensRevoke: Int
    public var tokensEnable: Int
    public var tokensDisable: Int
  }

  public struct Acting: Sendable, Codable, Equatable {
    public var id: String
    public var username: String
  }

  public var formatVersion: String
  public var server: String?
  public var acting: Acting?
  public var summary: Summary
  public var steps: [Step]
  public var notes: [PlanNote]
  public var gates: [String]
  public var requestCount: Int?
  /// Only in saved plan files: what the plan was computed from.
  public var fingerprints: Fingerprints?

  public init(plan: Plan, server: String?, acting: LiveUser?, requests: Int?, fingerprints: Fingerprints? = nil) {
    formatVersion = Self.currentVersion
    self.server = server
    self.acting = acting.map { Acting(id: $0.id, username: $0.username) }
    summary = Summary(
      create: plan.count(.createUser), update: plan.usersToUpdate, deactivate: plan.count(.deactivateUser),
      tokensCreate: plan.count(.createToken), tokensRevoke: plan.count(.revokeToken),
      tokensEnable: plan.count(.enableToken), tokensDisable: plan.count(.disableToken))
    steps = plan.steps
    notes = plan.notes
    gates = plan.gates
    requestCount = requests
    self.fingerprints = fingerprints
  }

  public var plan: Plan { Plan(steps: steps, notes: notes, gates: gates) }

  public func json() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let data = (try? encoder.encode(self)) ?? Data()
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  public static func decode(_ data: Data) throws -> PlanDocument {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .custom { path in SnakeKey(camel: path.last?.stringValue ?? "") }
    return try decoder.decode(PlanDocument.self, from: data)
  }
}

/// snake_case back to the Swift names, `_id` included: `user_id` is `userID`, not `userId`.
struct SnakeKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }

  init(camel snake: String) {
    let parts = snake.split(separator: "_")
    var name = String(parts.first ?? "")
    for part in parts.dropFirst() { name += part == "id" ? "ID" : part.prefix(1).uppercased() + part.dropFirst() }
    stringValue = name
  }

  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}

/// What a saved plan was computed from, so apply can refuse when the server moved on: each user read or
/// touched (id, update_at, a hash of the fields roster observed), each token set, and the absence of
/// what the plan creates.
public struct Fingerprints: Sendable, Codable, Equatable {
  public struct UserPrint: Sendable, Codable, Equatable {
    public var username: String
    public var id: String
    public var updateAt: Int64
    public var hash: String
  }

  public struct TokenPrint: Sendable, Codable, Equatable {
    public var username: String
    public var hash: String
  }

  public var users: [UserPrint]
  /// Usernames that must still not exist.
  public var absentUsers: [String]
  public var tokens: [TokenPrint]

  /// Fingerprints of everything the manifest names or the plan touches.
  public static func compute(manifest: Manifest, live: LiveState, plan: Plan) -> Fingerprints {
    var names = Set(manifest.users.map(\.username))
    names.formUnion(plan.steps.map(\.username))
    var tokenUsers = Set(manifest.users.filter { $0.tokens != nil }.map(\.username))
    tokenUsers.formUnion(plan.steps.filter { $0.tokenDescription != nil }.map(\.username))
    return compute(names: names, tokenUsers: tokenUsers, live: live)
  }

  /// Fresh fingerprints of the same objects, to compare with these.
  public func recompute(from live: LiveState) -> Fingerprints {
    let names = Set(users.map(\.username)).union(absentUsers)
    return Self.compute(names: names, tokenUsers: Set(tokens.map(\.username)), live: live)
  }

  /// The usernames whose tokens were fingerprinted: apply must read their tokens again.
  public var tokenUsernames: [String] { tokens.map(\.username) }

  static func compute(names: Set<String>, tokenUsers: Set<String>, live: LiveState) -> Fingerprints {
    let byName = Dictionary(live.users.map { ($0.username, $0) }, uniquingKeysWith: { a, _ in a })
    var users: [UserPrint] = []
    var absent: [String] = []
    var tokens: [TokenPrint] = []
    let tokensByUser = Dictionary(grouping: live.tokens ?? [], by: \.userID)
    for name in names.sorted() {
      guard let user = byName[name] else {
        absent.append(name)
        continue
      }
      users.append(UserPrint(username: name, id: user.id, updateAt: user.updateAt, hash: hash(user)))
      if tokenUsers.contains(name) {
        let set = (tokensByUser[user.id] ?? []).sorted { $0.id < $1.id }
          .map { "\($0.id)|\($0.description)|\($0.isActive)" }.joined(separator: "\n")
        tokens.append(TokenPrint(username: name, hash: fnv(set)))
      }
    }
    return Fingerprints(users: users, absentUsers: absent, tokens: tokens)
  }

  static func hash(_ u: LiveUser) -> String {
    fnv([u.username, u.email, u.firstName, u.lastName, u.nickname, u.position, u.locale, u.roles, u.authService,
         String(u.deleteAt), String(u.isBot)].joined(separator: "\u{1F}"))
  }

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
      } else if new.hash != old.hash || new.updateAt != old.updateAt {
        out.append("user \(old.username) changed (update_at \(old.updateAt) → \(new.updateAt))")
      }
    }
    let nowPresent = Set(now.users.map(\.username))
    for name in absentUsers where nowPresent.contains(name) { out.append("user \(name) appeared") }
    let freshTokens = Dictionary(now.tokens.map { ($0.username, $0.hash) }, uniquingKeysWith: { a, _ in a })
    for old in tokens where freshTokens[old.username] != old.hash {
      out.append("tokens of \(old.username) changed")
    }
    return out
  }
}
