/// Team and channel admins, and deactivated accounts still holding memberships: read only when the
/// manifest manages memberships (plan's scoped read, no request more), so they cover the teams and
/// channels it names: every member where it removes unmanaged members, elsewhere the declared users.
extension AuditBuilder {
  /// Deactivation keeps every membership (it touches sessions, not members; the server's lists include
  /// deactivated users), so a reactivated account is back in each team and channel at once. An admin
  /// flag on such a membership is told in the finding, not reported again as an admin.
  mutating func membershipFindings() {
    guard let memberships = live.memberships else { return }
    let teams = Dictionary(memberships.teams.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let channels = Dictionary(memberships.channels.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    for member in memberships.teamMembers {
      guard let user = usersByID[member.userID], let team = teams[member.containerID] else { continue }
      let detail: [String: AuditValue] = [
        "scope": .string("team"), "team": .string(team.name), "team_id": .string(team.id),
        "scheme_admin": .bool(member.schemeAdmin),
      ]
      if !user.isActive {
        add(.deactivatedMember, user, "deactivated, still a member of team \(team.name)", detail)
      } else if member.schemeAdmin {
        add(.teamAdmin, user, "admin of team \(team.name)", detail)
      }
    }
    for member in memberships.channelMembers {
      guard let user = usersByID[member.userID], let channel = channels[member.containerID] else { continue }
      let place = "\(teams[channel.teamID]?.name ?? channel.teamID)/\(channel.name)"
      let detail: [String: AuditValue] = [
        "scope": .string("channel"), "channel": .string(place), "channel_id": .string(channel.id),
        "scheme_admin": .bool(member.schemeAdmin),
      ]
      if !user.isActive {
        add(.deactivatedMember, user, "deactivated, still a member of channel \(place)", detail)
      } else if member.schemeAdmin {
        add(.channelAdmin, user, "admin of channel \(place)", detail)
      }
    }
  }
}
