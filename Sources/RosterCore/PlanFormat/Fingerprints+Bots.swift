/// Bot rows in a saved plan's fingerprints. A bot's user (username, display name, roles, active state)
/// is fingerprinted as any user; its description, owner and the bot row's own delete_at are not on the
/// user, so they are hashed here: a bot reassigned or disabled after review makes the plan stale.
extension Fingerprints {
  public struct BotPrint: Sendable, Codable, Equatable {
    public var username: String
    /// Empty when no bot has the name (a bot the plan creates).
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

  static func botPrints(_ names: Set<String>, live: LiveState) -> [BotPrint] {
    let byName = Dictionary(
      (live.bots ?? []).map { (ServerRules.normalizeUsername($0.username), $0) }, uniquingKeysWith: { a, _ in a })
    return names.sorted().map { name in
      guard let bot = byName[name] else { return BotPrint(username: name, hash: "") }
      return BotPrint(
        username: name,
        hash: fnv(
          [bot.userID, bot.displayName, bot.description, bot.ownerID, String(bot.isActive)].joined(separator: "\u{1F}"))
      )
    }
  }

  func botChanges(comparedTo now: Fingerprints) -> [String] {
    let fresh = Dictionary((now.bots ?? []).map { ($0.username, $0.hash) }, uniquingKeysWith: { a, _ in a })
    return (bots ?? []).compactMap { old in
      let new = fresh[old.username] ?? ""
      if new == old.hash { return nil }
      if old.hash.isEmpty { return "bot \(old.username) appeared" }
      if new.isEmpty { return "bot \(old.username) no longer exists" }
      return "bot \(old.username) changed (description, owner or enabled state)"
    }
  }
}
