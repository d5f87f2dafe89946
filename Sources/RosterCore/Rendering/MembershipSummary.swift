/// Membership changes grouped by team and by channel, the way a team's owner reads them: a line per
/// team (`~ team eng: +3 members, -1 (also leaves 14 channel memberships)`) and per channel
/// (`~ #eng/incidents: +alice (admin), -dave`), after the per-user changes.
enum MembershipSummary {
  static func lines(_ plan: Plan) -> [String] {
    var teams: [String: (added: Int, removed: Int, cascade: Int, reroled: Int)] = [:]
    var channels: [String: [String]] = [:]
    var teamOrder: [String] = []
    var channelOrder: [String] = []
    for step in plan.steps {
      guard let change = step.membershipChange else { continue }
      switch change {
      case .addTeamMember(let t, _), .removeTeamMember(let t, _), .setTeamMemberRoles(let t, _):
        if teams[t.name] == nil { teamOrder.append(t.name) }
        var counts = teams[t.name] ?? (0, 0, 0, 0)
        switch change {
        case .addTeamMember: counts.added += 1
        case .removeTeamMember(_, let cascade):
          counts.removed += 1
          counts.cascade += cascade
        default: counts.reroled += 1
        }
        teams[t.name] = counts
      case .addChannelMember(let c, let admin), .setChannelMemberRoles(let c, let admin):
        if channels[c.path] == nil { channelOrder.append(c.path) }
        let sign = change.kind == .addChannelMember ? "+" : "~"
        channels[c.path, default: []].append(sign + step.username + (admin ? " (admin)" : ""))
      case .removeChannelMember(let c):
        if channels[c.path] == nil { channelOrder.append(c.path) }
        channels[c.path, default: []].append("-" + step.username)
      }
    }
    var out: [String] = []
    for name in teamOrder {
      guard let c = teams[name] else { continue }
      var parts: [String] = []
      if c.added > 0 { parts.append("+\(c.added) member\(c.added == 1 ? "" : "s")") }
      if c.removed > 0 {
        parts.append(
          "-\(c.removed)"
            + (c.cascade > 0 ? " (also leaves \(c.cascade) channel membership\(c.cascade == 1 ? "" : "s"))" : ""))
      }
      if c.reroled > 0 { parts.append("\(c.reroled) admin flag\(c.reroled == 1 ? "" : "s") changed") }
      out.append("  ~ team \(name): " + parts.joined(separator: ", "))
    }
    for path in channelOrder { out.append("  ~ #\(path): " + (channels[path] ?? []).joined(separator: ", ")) }
    return out
  }
}
