/// A user's teams and channels as a manifest declares them: teams by name, sorted, each with its admin
/// flag; with `--fields channels`, the channels of each team the user is in, leaving out the default
/// channels (joined with the team) unless the user is their admin, and archived channels (roster
/// changes nothing there). A guest's channels are always written: a guest must declare one per team.
extension ManifestExporter.Layout {
  func teamLines(_ user: LiveUser, channels: Bool) -> [String] {
    guard let index = memberships else { return [] }
    let key = ManifestKey.User.teams.key
    let rows = index.teamRows(of: user.id).compactMap { row in index.teamsByID[row.containerID].map { (row, $0) } }
      .filter { $0.1.deleteAt == 0 }.sorted { $0.1.name < $1.1.name }
    guard !rows.isEmpty else { return ["    \(key): {}"] }
    var out = ["    \(key):"]
    for (row, team) in rows {
      let roles = row.schemeAdmin ? "[\(MembershipRole.admin)]" : "[]"
      let name = ManifestExporter.scalar(team.name)
      guard channels || user.isGuest else {
        out.append("      \(name): \(roles)")
        continue
      }
      let joined = index.channelMembers(of: user.id, in: team.id).compactMap { id, member in
        index.channelsByID[id].map { (member, $0) }
      }
      .filter { member, channel in
        channel.deleteAt == 0
          && (user.isGuest || member.schemeAdmin || !index.settings.defaultChannels.contains(channel.name))
      }
      .sorted { $0.1.name < $1.1.name }
      out.append("      \(name):")
      out.append("        roles: \(roles)")
      guard !joined.isEmpty else {
        out.append("        channels: {}")
        continue
      }
      out.append("        channels:")
      for (member, channel) in joined {
        out.append(
          "          \(ManifestExporter.scalar(channel.name)): \(member.schemeAdmin ? "[\(MembershipRole.admin)]" : "[]")"
        )
      }
    }
    return out
  }
}
