import Foundation

/// The app-layer membership rules every write route goes through: joining and leaving a team
/// (app/team.go JoinUserToTeam, LeaveTeam; app/teams/teams.go JoinUserToTeam, IsTeamEmailAllowed) and
/// adding to and removing from a channel (app/channel.go AddChannelMember, addUserToChannel,
/// removeUserFromChannel), with the system posts each makes.
extension SandboxStore {
  static let teamMemberMissing = APIError(
    404, "app.team.get_member.missing.app_error", "A team member with that ID could not be found.")
  static let channelMemberMissing = APIError(
    404, "app.channel.get_member.missing.app_error", "No channel member found for that user ID and channel ID.")

  func post(_ type: String, in channelID: String, user: String, actor: String) {
    org.posts.append(SystemPost(type: type, channelID: channelID, userID: user, actorID: actor))
  }

  /// app/teams IsEmailAddressAllowed over GetAllowedDomains: the team's allowed_domains AND
  /// TeamSettings.RestrictCreationToDomains (guests: GuestAccountsSettings.RestrictCreationToDomains
  /// alone); each list normalised by normalizeDomains ("@" and "," are separators); bots exempt.
  func emailAllowed(_ user: UserRecord, in team: TeamRecord) -> Bool {
    if user.isBot { return true }
    let email = SandboxRules.goLower(user.email)
    let lists =
      isGuest(user)
      ? [settings.guestRestrictCreationToDomains] : [team.allowedDomains, settings.restrictCreationToDomains]
    for list in lists {
      let domains = SandboxRules.goLower(list).replacingOccurrences(of: "@", with: " ")
        .replacingOccurrences(of: ",", with: " ").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
      if !domains.isEmpty && !domains.contains(where: { email.hasSuffix("@" + $0) }) { return false }
    }
    return true
  }

  /// JoinUserToTeam: the domain check first (even for an existing member), then an active row is
  /// returned as-is; a left row is re-activated with a fresh member's flags (admin lost) if the team
  /// has room; no row is saved if the team has room (store SaveMember's limit). A new or re-activated
  /// non-guest joins the default channels. `requestor` is nil for the single add, whose default-channel
  /// posts say "joined" (AddTeamMember passes no requestor); the batch passes the caller.
  @discardableResult
  func joinTeam(_ team: TeamRecord, _ user: UserRecord, requestor: String?) throws(APIError) -> TeamMemberRecord {
    guard emailAllowed(user, in: team) else {
      throw APIError(
        400, "api.team.join_user_to_team.allowed_domains.app_error",
        "The user cannot be added as the domain associated with the account is not permitted.")
    }
    let existing = org.teamMember(team.id, user.id)
    if let existing, existing.isActive { return existing }
    // The active-member count check (re-activation) and SaveMember's limit; exact counting is UNVERIFIED.
    if org.activeMemberCount(team.id) >= settings.maxUsersPerTeam {
      throw APIError(
        400, "app.team.join_user_to_team.max_accounts.app_error",
        "This team has reached the maximum number of allowed accounts.")
    }
    var flags = SchemeFlags.fresh(guest: isGuest(user))
    // app/teams JoinUserToTeam: the team's own email makes its owner admin.
    if !team.email.isEmpty && team.email == user.email { flags.admin = true }
    let member = TeamMemberRecord(teamID: team.id, userID: user.id, flags: flags)
    org.put(member)
    if !member.flags.guest { joinDefaultChannels(team, user, admin: flags.admin, requestor: requestor) }
    return member
  }

  /// app/channel.go JoinDefaultChannels: each existing open default channel; posts only with
  /// ExperimentalEnableDefaultChannelLeaveJoinMessages (postJoinMessageForDefaultChannel).
  private func joinDefaultChannels(_ team: TeamRecord, _ user: UserRecord, admin: Bool, requestor: String?) {
    for name in settings.defaultChannelNames {
      guard let channel = org.channel(team: team.id, named: name), channel.type == "O", !channel.isArchived,
        org.channelMember(channel.id, user.id) == nil
      else { continue }
      var flags = SchemeFlags.fresh(guest: false)
      flags.admin = admin
      org.put(ChannelMemberRecord(channelID: channel.id, userID: user.id, flags: flags, lastUpdateAt: now()))
      guard settings.enableDefaultChannelLeaveJoinMessages else { continue }
      let added = requestor != nil && requestor != user.id
      let type =
        name == "town-square"
        ? (added ? "system_add_to_team" : "system_join_team")
        : (added ? "system_add_to_channel" : "system_join_channel")
      post(type, in: channel.id, user: user.id, actor: requestor ?? user.id)
    }
  }

  /// LeaveTeam: any row, a left one too (store GetMember has no DeleteAt filter), else 400
  /// api.team.remove_user_from_team.missing.app_error; removes the user from every channel of the team,
  /// archived and private ones included, posting nothing per channel; with the join/leave messages on,
  /// one post in town-square; then the row is soft-deleted with its explicit roles cleared
  /// (app/teams RemoveTeamMember sets Roles="" and DeleteAt).
  func leaveTeam(_ team: TeamRecord, _ user: UserRecord, requestor: String) throws(APIError) {
    guard var member = org.teamMember(team.id, user.id) else {
      throw APIError(
        400, "api.team.remove_user_from_team.missing.app_error", "The user does not appear to be part of this team.")
    }
    for channelID in org.channelIDs(of: user.id, inTeam: team.id) { org.removeChannelMember(channelID, user.id) }
    if settings.enableDefaultChannelLeaveJoinMessages {
      guard let square = org.channel(team: team.id, named: "town-square"), !square.isArchived else {
        throw APIError(404, "app.channel.get_by_name.missing.app_error", "Unable to find the existing channel.")
      }
      post(
        requestor == user.id ? "system_leave_team" : "system_remove_from_team", in: square.id, user: user.id,
        actor: requestor)
    }
    member.deleteAt = now()
    member.flags.explicitRoles = ""
    org.put(member)
  }

  /// AddChannelMember / AddUserToChannel: an existing member is returned as-is; the user must exist and
  /// be an active team member (none: 404 app.team.get_member.missing.app_error; left: 400
  /// api.channel.add_user.to.channel.failed.deleted.app_error). Archived channels are refused with the
  /// v4/v5 id api.channel.add_user_to_channel.deleted.app_error: UNVERIFIED for current releases, the
  /// conservative choice (shared/design/memberships-server.md A5.13). Posts "joined" for oneself, else
  /// "added to the channel by".
  func addToChannel(_ channel: ChannelRecord, userID: String, requestor: String) throws(APIError)
    -> ChannelMemberRecord
  {
    if let existing = org.channelMember(channel.id, userID) { return existing }
    let user = try self.user(userID)
    if channel.isArchived {
      throw APIError(
        400, "api.channel.add_user_to_channel.deleted.app_error", "The channel has been archived or deleted.")
    }
    guard let teamMember = org.teamMember(channel.teamID, user.id) else { throw Self.teamMemberMissing }
    guard teamMember.isActive else {
      throw APIError(
        400, "api.channel.add_user.to.channel.failed.deleted.app_error",
        "Failed to add user to channel because they have been removed from the team.")
    }
    let member = ChannelMemberRecord(
      channelID: channel.id, userID: user.id, flags: .fresh(guest: isGuest(user)), lastUpdateAt: now())
    org.put(member)
    post(
      requestor == user.id ? "system_join_channel" : "system_add_to_channel", in: channel.id, user: user.id,
      actor: requestor)
    return member
  }

  /// removeUserFromChannel: archived channels refused (api.channel.remove_user_from_channel.deleted,
  /// v4/v5 app code; UNVERIFIED for current releases, kept as the conservative choice); town-square
  /// refuses non-guests (400 api.channel.remove.default.app_error) before the membership lookup (404
  /// app.channel.get_member.missing.app_error); a guest left in no channel of the team leaves the team
  /// (server/channels/app/channel.go removeUserFromChannel: GetChannelMembersForUser(team) empty after the
  /// removal → RemoveTeamMember and postProcessTeamMemberLeave). The server counts archived channels too
  /// (store GetMembersForUser has no DeleteAt filter), as `channelIDs(of:inTeam:)` does; it also counts
  /// direct and group messages, which the sandbox does not have. Only removal runs the rule: a guest
  /// added to a team without a channel stays.
  func removeFromChannel(_ channel: ChannelRecord, _ user: UserRecord, remover: String) throws(APIError) {
    if channel.isArchived {
      throw APIError(
        400, "api.channel.remove_user_from_channel.deleted.app_error", "The channel has been archived or deleted.")
    }
    let guest = isGuest(user)
    if channel.name == "town-square" && !guest {
      throw APIError(400, "api.channel.remove.default.app_error", "Unable to leave the default channel town-square.")
    }
    guard org.channelMember(channel.id, user.id) != nil else { throw Self.channelMemberMissing }
    org.removeChannelMember(channel.id, user.id)
    post(
      remover == user.id ? "system_leave_channel" : "system_remove_from_channel", in: channel.id, user: user.id,
      actor: remover)
    if guest && org.channelIDs(of: user.id, inTeam: channel.teamID).isEmpty, let team = org.teams[channel.teamID],
      org.activeTeamMember(team.id, user.id) != nil
    {
      try leaveTeam(team, user, requestor: remover)
    }
  }
}
