import RosterYAML

private typealias BotKey = ManifestKey.Bot

/// `bots:`: each entry's keys, with the server's rules for bots (model/bot.go IsValidCreate: the
/// username rules of users, a display name of at most 64 characters, a description of at most 1024).
extension ManifestDecoder {
  static let botDisplayNameMax = 64
  static let botDescriptionMax = 1024

  mutating func readBots(_ pair: Pair) {
    guard let items = reader.sequence(pair.value, field: ManifestKey.Top.bots.key) else { return }
    for item in items {
      guard let fields = reader.mapping(item, field: "a bot", keys: BotKey.allCases) else { continue }
      guard let namePair = fields[.username] else {
        reader.error(item.mark, "a bot needs a username")
        continue
      }
      guard let raw = text(namePair.value, field: "username")?.value else { continue }
      let name = ServerRules.normalizeUsername(raw)
      if let problem = ServerRules.usernameProblem(name) {
        reader.error(namePair.value.mark, problem)
        continue
      }
      var bot = BotSpec(username: name, mark: item.mark)
      var ok = true
      for (key, limit) in [(BotKey.displayName, Self.botDisplayNameMax), (.description, Self.botDescriptionMax)] {
        guard let p = fields[key] else { continue }
        guard let value = text(p.value, field: key.key)?.value else {
          ok = false
          continue
        }
        if value.unicodeScalars.count > limit {
          reader.error(p.value.mark, "\(key.key) is longer than the server's \(limit) characters")
          ok = false
        }
        if key == .displayName { bot.displayName = value } else { bot.description = value }
      }
      if let p = fields[.owner], let owner = text(p.value, field: BotKey.owner.key)?.value {
        let normalised = ServerRules.normalizeUsername(owner)
        if let problem = ServerRules.usernameProblem(normalised) {
          reader.error(p.value.mark, "owner: " + problem)
          ok = false
        } else if normalised == name {
          reader.error(p.value.mark, "a bot cannot own itself; its owner is a user")
          ok = false
        }
        bot.owner = normalised
      }
      if let p = fields[.roles] {
        bot.roles = readRoles(p.value)
        if bot.roles == ["system_guest"] {
          reader.error(p.value.mark, "a bot cannot be a guest; roster manages guests through users: only")
          ok = false
        }
        ok = ok && bot.roles != nil
      }
      if let p = fields[.active] {
        if let active = reader.bool(p.value, field: BotKey.active.key) { bot.active = active } else { ok = false }
      }
      if let p = fields[.tokens] {
        bot.tokens = readTokens(p.value)
        ok = ok && bot.tokens != nil
      }
      if ok { bots.append(bot) }
    }
  }

  /// A bot's name is an account name like a user's: one name, one account.
  mutating func checkBots() {
    var seen: [String: Mark] = [:]
    for bot in bots {
      if let first = seen[bot.username] ?? firstByName[bot.username] {
        reader.error(
          bot.mark,
          "\"\(bot.username)\" is declared twice (bots and users share one name space); the first is at \(first)")
      }
      seen[bot.username] = seen[bot.username] ?? bot.mark
    }
    for bot in bots where bot.owner.map({ seen[$0] != nil }) == true {
      reader.error(
        bot.mark, "bot \(bot.username) is owned by \(bot.owner ?? ""), which is a bot; the server refuses that")
    }
  }
}
