import Foundation

/// Channel membership writes (server/channels/api4/channel.go addChannelMember, removeChannelMember,
/// updateChannelMemberSchemeRoles; app/channel.go). Checks run in the handlers' order.
extension SandboxStore {
  /// api4/channel.go maxListSize.
  static let maxChannelAddList = 1000

  /// The user ids of an add body: `user_ids` (an array, ≤ 1000, every element a valid id) when present,
  /// else `user_id` (model.StringInterfaceFromJSON: anything unparsable reads as an empty map).
  private func channelAddIDs(_ request: APIRequest) throws(APIError) -> (ids: [String], single: String?) {
    var pairs: [(String, JSONValue)] = []
    if case .object(let p)? = JSONValue.parse(request.body) { pairs = p }
    let single = pairs.first { $0.0 == "user_id" }?.1.stringValue
    if !settings.channelAddUserIDs {
      guard let id = single, Self.isValidID(id) else { throw APIError.invalidBody("user_id") }
      return ([id], single)
    }
    if let list = pairs.first(where: { $0.0 == "user_ids" })?.1.arrayValue {
      if list.count > Self.maxChannelAddList { throw APIError.invalidBody("user_ids") }
      var ids: [String] = []
      for item in list {
        guard let id = item.stringValue, Self.isValidID(id) else { throw APIError.invalidBody("user_id in user_ids") }
        ids.append(id)
      }
      return (ids, single)
    }
    guard let id = single, Self.isValidID(id) else { throw APIError.invalidBody("user_id or user_ids") }
    return ([id], single)
  }

  /// POST /channels/{id}/members with `{"user_id"}` or `{"user_ids":[…]}`. Public channels: adding
  /// oneself needs join_public_channels (a team member), adding others manage_public_channel_members;
  /// private channels manage_private_channel_members up front. A group-constrained channel refuses the
  /// whole request (400 api.channel.add_members.user_denied: no groups are emulated, so everyone is
  /// outside them). Each user is then added on its own: an existing member is returned as-is, failures
  /// are collected, and the answer is 201 with the members that worked unless none did, when the last
  /// failure is the answer. A `user_id` body whose single result is that user gets the member object,
  /// anything else the array.
  func addChannelMembers(_ request: APIRequest, channelID: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    guard Self.isValidID(channelID) else { throw APIError.invalidURL("channel_id") }
    let (ids, single) = try channelAddIDs(request)
    let channel = try channelRecord(channelID)
    let canAddSelf = caller.isSystemAdmin || org.activeTeamMember(channel.teamID, caller.id) != nil
    let canAddOthers = caller.isSystemAdmin
    if channel.type == "P" { try require("manage_private_channel_members", caller) }
    if channel.isGroupConstrained { throw Self.userDenied("channel") }
    var added: [ChannelMemberRecord] = []
    var lastError: APIError?
    for id in ids {
      if let existing = org.channelMember(channel.id, id) {
        added.append(existing)
        continue
      }
      if channel.type == "O" && id == caller.id && !canAddSelf {
        lastError = APIError.permissions("join_public_channels")
        continue
      }
      if channel.type == "O" && id != caller.id && !canAddOthers {
        lastError = APIError.permissions("manage_public_channel_members")
        continue
      }
      do throws(APIError) {
        added.append(try addToChannel(channel, userID: id, requestor: caller.id))
      } catch {
        lastError = error
      }
    }
    try persistOrFail()
    if let lastError, added.isEmpty { throw lastError }
    if let single, added.count == 1, added[0].userID == single {
      return APIResponse(status: 201, body: added[0].json())
    }
    return APIResponse(status: 201, body: .array(added.map { $0.json() }))
  }

  /// DELETE /channels/{id}/members/{uid}: the channel (404), the user (404), a group-constrained channel
  /// refuses removing anyone but oneself or a bot (400 api.channel.remove_member.group_constrained), then
  /// manage_*_channel_members unless leaving oneself, then removeUserFromChannel (Store+Membership.swift).
  func removeChannelMember(_ request: APIRequest, channelID: String, userID: String) throws(APIError)
    -> APIResponse
  {
    let (caller, _) = try authenticate(request)
    guard Self.isValidID(channelID) else { throw APIError.invalidURL("channel_id") }
    let target = try pathUser(userID, caller: caller)
    let channel = try channelRecord(channelID)
    let user = try self.user(target)
    if channel.isGroupConstrained && target != caller.id && !user.isBot {
      throw APIError(
        400, "api.channel.remove_member.group_constrained.app_error",
        "Unable to remove a user from a group-constrained channel.")
    }
    if target != caller.id {
      try require(channel.type == "O" ? "manage_public_channel_members" : "manage_private_channel_members", caller)
    }
    try removeFromChannel(channel, user, remover: caller.id)
    try persistOrFail()
    return .statusOK
  }

  /// PUT /channels/{id}/members/{uid}/schemeRoles (app/channel.go UpdateChannelMemberSchemeRoles):
  /// manage_channel_roles; the member or 404 app.channel.get_member.missing.app_error; user and guest
  /// together 400 (id api.channel.update_channel_member_roles.user_and_guest.app_error, read from a port
  /// of the Go code: UNVERIFIED, match on the status). Archived channels are not refused here.
  func updateChannelMemberSchemeRoles(_ request: APIRequest, channelID: String, userID: String) throws(APIError)
    -> APIResponse
  {
    let (caller, _) = try authenticate(request)
    guard Self.isValidID(channelID) else { throw APIError.invalidURL("channel_id") }
    let target = try pathUser(userID, caller: caller)
    let flags = try schemeRolesBody(request)
    try require("manage_channel_roles", caller)
    guard var member = org.channelMember(channelID, target) else { throw Self.channelMemberMissing }
    if flags.user && flags.guest {
      throw APIError(
        400, "api.channel.update_channel_member_roles.user_and_guest.app_error",
        "Invalid channel member update: A user must be a guest or a user but not both.")
    }
    (member.flags.guest, member.flags.user, member.flags.admin) = (flags.guest, flags.user, flags.admin)
    member.lastUpdateAt = now()
    org.put(member)
    try persistOrFail()
    return .statusOK
  }
}
