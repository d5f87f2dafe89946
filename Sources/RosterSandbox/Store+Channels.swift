import Foundation

/// Channel and channel-member reads (server/channels/api4/channel.go, api4/user.go
/// getChannelMembersForUser; store/sqlstore/channel_store.go).
extension SandboxStore {
  static let channelNotFound = APIError(
    404, "app.channel.get.existing.app_error", "Unable to find the existing channel.")

  /// `{channel_id}`: a valid id, then the channel, archived ones included (app/channel.go GetChannel).
  func channelRecord(_ id: String) throws(APIError) -> ChannelRecord {
    guard Self.isValidID(id) else { throw APIError.invalidURL("channel_id") }
    guard let channel = org.channels[id] else { throw Self.channelNotFound }
    return channel
  }

  /// read_channel: a member of the channel, or the admin.
  func requireReadChannel(_ channel: ChannelRecord, _ caller: UserRecord) throws(APIError) {
    if caller.isSystemAdmin || org.channelMember(channel.id, caller.id) != nil { return }
    throw APIError.permissions("read_channel")
  }

  /// GET /channels (getAllChannels): system-wide, public and private only, with team name and display
  /// name; archived ones only with `include_deleted=true`; `exclude_default_channels` leaves out
  /// town-square and off-topic. Needs a sysconsole permission (the admin's). Ordered by channel then team
  /// display name (store getAllChannelsQuery; ties by id here). `include_total_count=true` wraps the page
  /// as `{channels, total_count}` (model.ChannelsWithCount).
  func listAllChannels(_ request: APIRequest) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    try require("sysconsole_read_user_management_channels", caller)
    let deleted = SandboxRules.parseBool(request.query["include_deleted"])
    let noDefaults = SandboxRules.parseBool(request.query["exclude_default_channels"])
    let list = org.channels.values.filter { c in
      (deleted || !c.isArchived) && !(noDefaults && ["town-square", "off-topic"].contains(c.name))
    }.sorted { a, b in
      let (ta, tb) = (org.teams[a.teamID]?.displayName ?? "", org.teams[b.teamID]?.displayName ?? "")
      return (a.displayName, ta, a.id) < (b.displayName, tb, b.id)
    }
    let page = pageOf(list, request).map { $0.json(team: org.teams[$0.teamID]) }
    guard SandboxRules.parseBool(request.query["include_total_count"]) else { return .ok(.array(page)) }
    return .ok(.object([("channels", .array(page)), ("total_count", .int(Int64(list.count)))]))
  }

  /// GET /teams/{id}/channels, /channels/private, /channels/deleted (getPublicChannelsForTeam,
  /// getPrivateChannelsForTeam, getDeletedChannelsForTeam): one kind each, by display name.
  /// Public needs list_team_channels (team member); private manage_system; deleted (public archived
  /// channels, plus private ones for the admin) list_team_channels.
  func teamChannels(_ request: APIRequest, teamID: String, kind: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let team = try teamRecord(teamID)
    if kind == "private" {
      try require("manage_system", caller)
    } else {
      try requireInTeam(team.id, caller, "list_team_channels")
    }
    let list = (org.channelIDsByTeam[team.id] ?? []).compactMap { org.channels[$0] }.filter { c in
      switch kind {
      case "private": return c.type == "P" && !c.isArchived
      case "deleted": return c.isArchived && (c.type == "O" || caller.isSystemAdmin)
      default: return c.type == "O" && !c.isArchived
      }
    }.sorted { ($0.displayName, $0.id) < ($1.displayName, $1.id) }
    return .ok(.array(pageOf(list, request).map { $0.json() }))
  }

  /// GET /teams/name/{t}/channels/name/{c} (getChannelByNameForTeamName): names lowercased by the
  /// router; archived channels only with `include_deleted=true` (404 app.channel.get_by_name.missing
  /// otherwise). Public: team member or channel member; private: channel member (or admin), else 404.
  func channelByNames(_ request: APIRequest, team teamName: String, channel name: String) throws(APIError)
    -> APIResponse
  {
    let (caller, _) = try authenticate(request)
    let missing = APIError(404, "app.channel.get_by_name.missing.app_error", "Unable to find the existing channel.")
    guard let team = org.team(named: SandboxRules.goLower(teamName)) else {
      throw APIError(404, "app.team.get_by_name.missing.app_error", "Unable to find the existing team.")
    }
    guard let channel = org.channel(team: team.id, named: SandboxRules.goLower(name)),
      !channel.isArchived || SandboxRules.parseBool(request.query["include_deleted"])
    else { throw missing }
    let member = org.channelMember(channel.id, caller.id) != nil
    if !caller.isSystemAdmin && !member {
      if channel.type == "P" { throw missing }
      try requireInTeam(team.id, caller, "read_public_channel")
    }
    return .ok(channel.json())
  }

  /// GET /channels/{id}/members (getChannelMembers): full rows, deactivated users included, in no
  /// defined order (see Organisation.shuffledChannelMemberIDs), paged.
  func listChannelMembers(_ request: APIRequest, channelID: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let channel = try channelRecord(channelID)
    try requireReadChannel(channel, caller)
    let ids = org.shuffledChannelMemberIDs(channel.id)
    var (page, perPage) = paging(request)
    // --channel-page-drift: the rows moved under LIMIT/OFFSET paging with no ORDER BY between the
    // first page and the second, which starts one row early: it repeats a row of the first, and the row
    // at the end of the second is never served.
    var start = min(page * perPage, ids.count)
    if page == 1 && channelPageDrift > 0 {
      channelPageDrift -= 1
      start = max(start - 1, 0)
      page = 0
    }
    perPage = min(perPage, ids.count - start)
    return .ok(.array(ids[start..<start + perPage].compactMap { org.channelMember(channel.id, $0)?.json() }))
  }

  /// GET /channels/{id}/stats (api4/channel.go getChannelStats, model/channel_stats.go ChannelStats):
  /// read_channel. `member_count` counts the members whose user is not deactivated (store/sqlstore
  /// channel_store.go GetMemberCount: `Users.DeleteAt = 0`), while the member list includes them;
  /// `guest_count` the guests among those; `files_count` is -1 with `exclude_files_count=true`. Older
  /// servers refused archived channels (400 api.channel.get_channel_extra_info.deleted.app_error);
  /// the current handler does not, nor does the sandbox.
  func channelStats(_ request: APIRequest, channelID: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let channel = try channelRecord(channelID)
    try requireReadChannel(channel, caller)
    let active = (org.channelMembers[channel.id] ?? [:]).keys.compactMap { users[$0] }.filter(\.isActive)
    let files: Int64 = SandboxRules.parseBool(request.query["exclude_files_count"]) ? -1 : 0
    return .ok(
      .object([
        ("channel_id", .string(channel.id)), ("member_count", .int(Int64(active.count))),
        ("guest_count", .int(Int64(active.count { isGuest($0) }))), ("pinnedpost_count", .int(0)),
        ("files_count", .int(files)),
      ]))
  }

  /// POST /channels/{id}/members/ids (getChannelMembersByIds): the members among the ids.
  func channelMembersByIDs(_ request: APIRequest, channelID: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let ids = try idList(request)
    let channel = try channelRecord(channelID)
    try requireReadChannel(channel, caller)
    return .ok(.array(Set(ids).sorted().compactMap { org.channelMember(channel.id, $0)?.json() }))
  }

  /// GET /users/{u}/teams/{t}/channels/members (getChannelMembersForTeamForUser): every channel
  /// membership of the user in the team, archived channels included, unpaged; view_team, and
  /// manage_system unless it is the caller's own.
  func channelMembersForTeamForUser(_ request: APIRequest, userID: String, teamID: String) throws(APIError)
    -> APIResponse
  {
    let (caller, _) = try authenticate(request)
    let target = try pathUser(userID, caller: caller)
    let team = try teamRecord(teamID)
    try requireInTeam(team.id, caller)
    if target != caller.id { try require("manage_system", caller) }
    let rows = org.channelIDs(of: target, inTeam: team.id).compactMap { org.channelMember($0, target) }
    return .ok(.array(rows.map { $0.json() }))
  }

  /// GET /users/{u}/channel_members (api4/user.go getChannelMembersForUser): every channel membership
  /// across teams with team name and display name (ChannelMemberWithTeamData), paged; edit_other_users.
  /// The sandbox orders by channel id (the store's order is not read: UNVERIFIED).
  func channelMembersForUser(_ request: APIRequest, userID: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let target = try pathUser(userID, caller: caller)
    try requireActsFor(target, caller)
    let ids = (org.channelsByUser[target] ?? []).sorted()
    return .ok(
      .array(
        pageOf(ids, request).compactMap { id in
          org.channelMember(id, target)?.json(team: org.channels[id].flatMap { org.teams[$0.teamID] })
        }))
  }

  /// GET /users/{u}/channels (api4/channel.go getChannelsForUser): every channel the user is in, across
  /// teams, archived ones only with `include_deleted=true`; the server streams its internal pages of 100
  /// as one unpaged array. SessionHasPermissionToUser: the user or edit_other_users. Ordered by id here
  /// (the store's cursor order).
  func channelsForUser(_ request: APIRequest, userID: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let target = try pathUser(userID, caller: caller)
    try requireActsFor(target, caller)
    let deleted = SandboxRules.parseBool(request.query["include_deleted"])
    let channels = (org.channelsByUser[target] ?? []).sorted().compactMap { org.channels[$0] }
      .filter { deleted || !$0.isArchived }
    return .ok(.array(channels.map { $0.json() }))
  }
}
