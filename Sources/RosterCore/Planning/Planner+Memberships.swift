/// Team and channel memberships: for every user whose `teams` the manifest manages, the adds, admin
/// flags and removals that make the server match, by the server's rules
/// (shared/design/memberships-server.md A5): default channels are implicit, a team removal takes the
/// team's channels with it, group-constrained teams and channels and archived channels are never
/// changed, and the acting user is never removed from anything.
extension PlanBuilder {
  mutating func planMemberships() {
    guard let server = live.memberships else { return }
    let index = MembershipIndex(server)
    for spec in manifest.users {
      guard let declared = spec.teams, !accounts.isProtected(spec.username) else { continue }
      let live = accounts.byName[spec.username] ?? accounts.renameSource(spec)?.1
      if let live, !live.isManageable { continue }  // reported with the account
      let created = steps.first { $0.kind == .createUser && $0.username == spec.username }?.index
      guard live != nil || created != nil else { continue }
      let member = MemberContext(
        name: spec.username, userID: live?.id, created: created,
        guest: spec.roles.map { $0 == ["system_guest"] } ?? live?.isGuest ?? false,
        email: spec.email ?? live?.email ?? "",
        acting: live.map { accounts.isActing($0) || accounts.ownsActingBot($0) } ?? false)
      for (teamName, wanted) in declared.sorted(by: { $0.key < $1.key }) {
        planTeam(teamName, wanted, member, index)
      }
      if let id = live?.id { planTeamRemovals(keeping: Set(declared.keys), member, id, index) }
    }
    planRegistryRemovals(index)
    checkGuestLastChannels(index)
  }

  /// MaxUsersPerTeam: the server refuses the member past it (app/team.go joinUserToTeam,
  /// app.team.join_user_to_team.max_accounts.app_error), so a plan that would pass it is an error now
  /// rather than a half-applied batch. Removals in the same plan run after the adds and free nothing.
  /// Run on the kept steps, after `--only`: users it leaves out were not read and look absent.
  mutating func checkTeamHeadroom() {
    guard let server = live.memberships else { return }
    let index = MembershipIndex(server)
    var adds: [String: (name: String, count: Int)] = [:]
    for step in steps {
      guard case .addTeamMember(let team, _)? = step.membershipChange else { continue }
      adds[team.id, default: (team.name, 0)].count += 1
    }
    let limit = index.settings.maxUsersPerTeam
    for (id, planned) in adds.sorted(by: { $0.value.name < $1.value.name }) {
      guard let members = index.memberships.memberCounts[id], members + planned.count > limit else { continue }
      fail(
        nil,
        "team \(planned.name) has \(members) members and the plan adds \(planned.count); the server's MaxUsersPerTeam is \(limit) "
          + "(app.team.join_user_to_team.max_accounts.app_error)")
    }
  }

  /// One declared team of one user: the add or the admin flag, then the channels.
  private mutating func planTeam(
    _ teamName: String, _ wanted: TeamMembershipSpec, _ member: MemberContext, _ index: MembershipIndex
  ) {
    // The schemeRoles call roster sends makes a member a user (rule 11): a guest is never given a role.
    let wantsAdmin =
      wanted.isAdmin == true || wanted.channels?.values.contains { $0.contains(MembershipRole.admin) } == true
    if member.guest && wantsAdmin {
      fail(member.name, "is a guest on the server: a guest cannot be admin of team \(teamName) or its channels")
      return
    }
    guard let team = index.team(named: teamName) else {
      fail(member.name, "team \(teamName) does not exist on the server" + index.suggestTeam(teamName))
      return
    }
    let ref = TeamRef(id: team.id, name: team.name)
    let current = member.userID.flatMap { index.teamMember(team.id, $0) }
    var teamAdd: Int?
    if current == nil {
      if team.groupConstrained {
        fail(
          member.name,
          "team \(teamName) is group-constrained: its members come from synced groups; roster does not add to it")
        return
      }
      if let refusal = index.domainRefusal(team, email: member.email, guest: member.guest) {
        fail(member.name, "cannot join team \(teamName): \(refusal)")
        return
      }
      teamAdd = add(
        Step(
          .membership(.addTeamMember(team: ref, admin: wanted.isAdmin ?? false)), username: member.name,
          userID: member.userID),
        after: member.created.map { [$0] } ?? [])
    } else if let admin = wanted.isAdmin, let current, admin != current.schemeAdmin, !member.acting || admin {
      add(
        Step(.membership(.setTeamMemberRoles(team: ref, admin: admin)), username: member.name, userID: member.userID),
        after: member.created.map { [$0] } ?? [])
    }
    guard let channels = wanted.channels else { return }
    // A step for a user this plan creates names that create among its dependencies (the plan file's rule).
    let before = (member.created.map { [$0] } ?? []) + (teamAdd.map { [$0] } ?? [])
    let joined = member.userID.map { index.channelMembers(of: $0, in: team.id) } ?? [:]
    for (channelName, roles) in channels.sorted(by: { $0.key < $1.key }) {
      guard let channel = index.channel(team.id, channelName) else {
        fail(
          member.name,
          "channel \(teamName)/\(channelName) does not exist on the server" + index.suggestChannel(team.id, channelName)
        )
        continue
      }
      let cref = ChannelRef(id: channel.id, team: teamName, name: channelName)
      if channel.deleteAt != 0 {
        fail(member.name, "channel \(teamName)/\(channelName) is archived; roster changes no memberships there")
        continue
      }
      let admin = roles.contains(MembershipRole.admin)
      let autoJoined = teamAdd != nil && !member.guest && index.settings.defaultChannels.contains(channelName)
      if let row = joined[channel.id] {
        if row.schemeAdmin != admin && (!member.acting || admin) {
          add(
            Step(
              .membership(.setChannelMemberRoles(channel: cref, admin: admin)), username: member.name,
              userID: member.userID),
            after: before)
        }
      } else if channel.groupConstrained {
        fail(member.name, "channel \(teamName)/\(channelName) is group-constrained; roster does not add to it")
      } else if autoJoined {
        // Joining the team joins its default channels (app/teams JoinDefaultChannels): only the flag is left.
        if admin {
          add(
            Step(
              .membership(.setChannelMemberRoles(channel: cref, admin: true)), username: member.name,
              userID: member.userID),
            after: before)
        }
      } else {
        add(
          Step(
            .membership(.addChannelMember(channel: cref, admin: admin)), username: member.name, userID: member.userID),
          after: before)
      }
    }
    guard !member.acting, let id = member.userID else { return }
    for (channelID, _) in joined.sorted(by: { $0.key < $1.key }) {
      guard let channel = index.channelsByID[channelID], channels[channel.name] == nil else { continue }
      if channel.deleteAt != 0 || channel.groupConstrained { continue }
      if !member.guest && index.settings.defaultChannels.contains(channel.name) { continue }
      add(
        Step(
          .membership(.removeChannelMember(channel: ChannelRef(id: channel.id, team: teamName, name: channel.name))),
          username: member.name, userID: id))
    }
  }

  /// Teams the user is in and no longer declares: left, with the channels the server takes with them.
  private mutating func planTeamRemovals(
    keeping: Set<String>, _ member: MemberContext, _ id: String, _ index: MembershipIndex
  ) {
    for row in index.teamRows(of: id) {
      guard let team = index.teamsByID[row.containerID], team.deleteAt == 0, !keeping.contains(team.name) else {
        continue
      }
      if member.acting {
        warn(member.name, "not removing the acting user from team \(team.name) (roster never locks itself out)")
        continue
      }
      if team.groupConstrained {
        warn(member.name, "team \(team.name) is group-constrained: its members come from synced groups; not removed")
        continue
      }
      let cascade = index.channelMembers(of: id, in: team.id).count
      add(
        Step(
          .membership(.removeTeamMember(team: TeamRef(id: team.id, name: team.name), cascade: cascade)),
          username: member.name, userID: id))
    }
  }
}

/// The user a membership step is for.
struct MemberContext {
  var name: String
  var userID: String?
  /// The step that creates the user, when this plan does.
  var created: Int?
  var guest: Bool
  var email: String
  var acting: Bool
}
