import RosterCore

/// model/team.go Team, the fields roster reads.
struct TeamBody: Decodable, Sendable {
  var id: String
  var name: String
  var display_name: String?
  var delete_at: Int64?
  var group_constrained: Bool?
  var allowed_domains: String?

  var live: LiveTeam {
    LiveTeam(
      id: id, name: name, displayName: display_name ?? "", deleteAt: delete_at ?? 0,
      groupConstrained: group_constrained ?? false, allowedDomains: allowed_domains ?? "")
  }
}

/// model/channel.go Channel, the fields roster reads.
struct ChannelBody: Decodable, Sendable {
  var id: String
  var team_id: String?
  var type: String
  var name: String
  var delete_at: Int64?
  var group_constrained: Bool?

  var live: LiveChannel {
    LiveChannel(
      id: id, teamID: team_id ?? "", name: name, type: type, deleteAt: delete_at ?? 0,
      groupConstrained: group_constrained ?? false)
  }
}

/// model/team_member.go TeamMember and model/channel_member.go ChannelMember: the scheme flags, never the
/// computed `roles` string.
struct MemberBody: Decodable, Sendable {
  var team_id: String?
  var channel_id: String?
  var user_id: String
  var delete_at: Int64?
  var scheme_admin: Bool?
  var scheme_guest: Bool?

  func live(team: Bool, in container: String? = nil) -> LiveMember {
    LiveMember(
      containerID: container ?? (team ? team_id : channel_id) ?? "", userID: user_id,
      schemeAdmin: scheme_admin ?? false, schemeGuest: scheme_guest ?? false)
  }
}
