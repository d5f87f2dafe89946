/// The `bots:` section of an export: each bot's display name, description, owner, roles, active state
/// and tokens, so that planning right after the export changes nothing.
extension ManifestExporter.Layout {
  private typealias Key = ManifestKey

  /// Whether an inactive account holds an active token: the default `on_deactivate: disable_tokens` would
  /// plan to disable it, so the export says `keep` to leave the server as it is.
  var keepsOffboardedTokens: Bool {
    guard fields.contains(.tokens) else { return false }
    let inactive = Set((users + (bots ?? []).map(\.user)).filter { !$0.isActive }.map(\.id))
    return tokens.contains { inactive.contains($0.key) && $0.value.contains(where: \.isActive) }
  }

  func botLines() -> [String] {
    guard let bots, !bots.isEmpty else { return [] }
    var out = ["\(Key.Top.bots.key):"]
    for (bot, user) in bots {
      out.append("  - \(Key.Bot.username.key): \(ManifestExporter.scalar(user.username))")
      if !bot.displayName.isEmpty {
        out.append("    \(Key.Bot.displayName.key): \(ManifestExporter.scalar(bot.displayName))")
      }
      if !bot.description.isEmpty {
        out.append("    \(Key.Bot.description.key): \(ManifestExporter.scalar(bot.description))")
      }
      if let owner = usernames[bot.ownerID] {
        out.append("    \(Key.Bot.owner.key): \(ManifestExporter.scalar(owner))")
      } else {
        // A plugin's bot is owned by the plugin's id, which no manifest can name.
        out.append("    # owner not managed: owned by \(ManifestExporter.scalar(bot.ownerID)), not a user")
      }
      if fields.contains(.roles), let roles = Self.rolesText(user) {
        out.append("    \(Key.Bot.roles.key): \(roles)")
      }
      if !(user.isActive && bot.isActive) { out.append("    \(Key.Bot.active.key): false") }
      if fields.contains(.tokens) { out += tokenLines(user) }
    }
    return out
  }
}
