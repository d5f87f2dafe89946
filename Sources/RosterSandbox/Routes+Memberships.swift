import Foundation

/// Teams, channels and memberships (server/channels/api4/team.go, channel.go, config.go; routes as
/// the OpenAPI description spells them). `/teams/name/…` comes before `/teams/{team_id}/…`, as the
/// server's router tries the literal first.
extension SandboxRoutes {
  static let membershipRoutes: [Route] = [
    r("GET", "/config") { s, q, _ in try await s.serverConfig(q) },
    r("GET", "/teams") { s, q, _ in try await s.listTeams(q) },
    r("GET", "/teams/name/{name}") { s, q, p in try await s.getTeamByName(q, name: p["name"] ?? "") },
    r("GET", "/teams/name/{team_name}/channels/name/{channel_name}") { s, q, p in
      try await s.channelByNames(q, team: p["team_name"] ?? "", channel: p["channel_name"] ?? "")
    },
    r("GET", "/teams/{team_id}") { s, q, p in try await s.getTeam(q, teamID: p["team_id"] ?? "") },
    r("GET", "/teams/{team_id}/stats") { s, q, p in try await s.teamStats(q, teamID: p["team_id"] ?? "") },
    r("GET", "/teams/{team_id}/members") { s, q, p in try await s.listTeamMembers(q, teamID: p["team_id"] ?? "") },
    r("POST", "/teams/{team_id}/members", write: true, body: ["team_id", "user_id"]) { s, q, p in
      try await s.addTeamMember(q, teamID: p["team_id"] ?? "")
    },
    r("POST", "/teams/{team_id}/members/ids") { s, q, p in try await s.teamMembersByIDs(q, teamID: p["team_id"] ?? "")
    },
    r("POST", "/teams/{team_id}/members/batch", write: true) { s, q, p in
      try await s.addTeamMembers(q, teamID: p["team_id"] ?? "")
    },
    r("DELETE", "/teams/{team_id}/members/{user_id}", write: true) { s, q, p in
      try await s.removeTeamMember(q, teamID: p["team_id"] ?? "", userID: p["user_id"] ?? "")
    },
    r(
      "PUT", "/teams/{team_id}/members/{user_id}/schemeRoles", write: true,
      body: ["scheme_admin", "scheme_user", "scheme_guest"]
    ) { s, q, p in try await s.updateTeamMemberSchemeRoles(q, teamID: p["team_id"] ?? "", userID: p["user_id"] ?? "") },
    r("GET", "/teams/{team_id}/channels") { s, q, p in
      try await s.teamChannels(q, teamID: p["team_id"] ?? "", kind: "public")
    },
    r("GET", "/teams/{team_id}/channels/private") { s, q, p in
      try await s.teamChannels(q, teamID: p["team_id"] ?? "", kind: "private")
    },
    r("GET", "/teams/{team_id}/channels/deleted") { s, q, p in
      try await s.teamChannels(q, teamID: p["team_id"] ?? "", kind: "deleted")
    },
    r("GET", "/channels") { s, q, _ in try await s.listAllChannels(q) },
    r("GET", "/channels/{channel_id}/members") { s, q, p in
      try await s.listChannelMembers(q, channelID: p["channel_id"] ?? "")
    },
    r("POST", "/channels/{channel_id}/members", write: true, body: ["user_id", "user_ids"]) { s, q, p in
      try await s.addChannelMembers(q, channelID: p["channel_id"] ?? "")
    },
    r("GET", "/channels/{channel_id}/stats") { s, q, p in try await s.channelStats(q, channelID: p["channel_id"] ?? "")
    },
    r("POST", "/channels/{channel_id}/members/ids") { s, q, p in
      try await s.channelMembersByIDs(q, channelID: p["channel_id"] ?? "")
    },
    r("DELETE", "/channels/{channel_id}/members/{user_id}", write: true) { s, q, p in
      try await s.removeChannelMember(q, channelID: p["channel_id"] ?? "", userID: p["user_id"] ?? "")
    },
    r(
      "PUT", "/channels/{channel_id}/members/{user_id}/schemeRoles", write: true,
      body: ["scheme_admin", "scheme_user", "scheme_guest"]
    ) { s, q, p in
      try await s.updateChannelMemberSchemeRoles(q, channelID: p["channel_id"] ?? "", userID: p["user_id"] ?? "")
    },
    r("GET", "/users/{user_id}/teams/members") { s, q, p in
      try await s.teamMembersForUser(q, userID: p["user_id"] ?? "")
    },
    r("GET", "/users/{user_id}/teams/{team_id}/channels/members") { s, q, p in
      try await s.channelMembersForTeamForUser(q, userID: p["user_id"] ?? "", teamID: p["team_id"] ?? "")
    },
    r("GET", "/users/{user_id}/channels") { s, q, p in try await s.channelsForUser(q, userID: p["user_id"] ?? "") },
    r("GET", "/users/{user_id}/channel_members") { s, q, p in
      try await s.channelMembersForUser(q, userID: p["user_id"] ?? "")
    },
  ]
}
