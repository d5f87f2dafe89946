/// The registry's `unmanaged_members: remove`: members of a team or channel that nobody declares are
/// removed. Only where the whole member list was read, and never the acting user (or the human who owns
/// the bot roster runs as), a protected user, or a bot or remote user nobody declares.
extension PlanBuilder {
  mutating func planRegistryRemovals(_ index: MembershipIndex) {
    // By every name a declared user goes by: an account mid-rename still has its previous name.
    let specs = Dictionary(
      manifest.users.flatMap { spec in spec.names.map { ($0, spec) } }, uniquingKeysWith: { a, _ in a })
    let rowUsers = Set(index.memberships.teamMembers.map(\.userID) + index.memberships.channelMembers.map(\.userID))
    var users: [String: LiveUser] = [:]
    for user in live.users where rowUsers.contains(user.id) { users[user.id] = user }
    for (teamName, policy) in manifest.teams.sorted(by: { $0.key < $1.key }) {
      guard let team = index.team(named: teamName) else {
        fail(nil, "teams.\(teamName): there is no such team on the server" + index.suggestTeam(teamName))
        continue
      }
      if policy.unmanagedMembers == .remove && index.complete.contains(team.id) && !team.groupConstrained {
        for row in index.memberships.teamMembers where row.containerID == team.id {
          guard let user = users[row.userID], removable(user, specs) else { continue }
          let spec = specs[ServerRules.normalizeUsername(user.username)]
          if spec?.teams != nil { continue }  // planned per user
          let cascade = index.channelMembers(of: user.id, in: team.id).count
          add(
            Step(
              .membership(.removeTeamMember(team: TeamRef(id: team.id, name: team.name), cascade: cascade)),
              username: user.username, userID: user.id, reason: "not declared; unmanaged_members: remove"))
        }
      }
      for (channelName, channelPolicy) in policy.channels.sorted(by: { $0.key < $1.key })
      where channelPolicy.unmanagedMembers == .remove {
        guard let channel = index.channel(team.id, channelName), channel.deleteAt == 0 else {
          fail(nil, "teams.\(teamName).channels.\(channelName): there is no such channel on the server")
          continue
        }
        guard index.complete.contains(channel.id), !channel.groupConstrained else { continue }
        for row in index.memberships.channelMembers where row.containerID == channel.id {
          guard let user = users[row.userID], removable(user, specs) else { continue }
          if !user.isGuest && index.settings.defaultChannels.contains(channelName) { continue }
          let spec = specs[ServerRules.normalizeUsername(user.username)]
          if spec?.teams?[teamName]?.channels != nil || spec?.teams.map({ $0[teamName] == nil }) == true { continue }
          if leavesTeam(user.id, team.id) { continue }  // the team removal takes the channel with it
          add(
            Step(
              .membership(.removeChannelMember(channel: ChannelRef(id: channel.id, team: teamName, name: channelName))),
              username: user.username, userID: user.id, reason: "not declared; unmanaged_members: remove"))
        }
      }
    }
  }

  private func removable(_ user: LiveUser, _ specs: [String: UserSpec]) -> Bool {
    let name = ServerRules.normalizeUsername(user.username)
    if accounts.isActing(user) || accounts.ownsActingBot(user) || accounts.isProtected(name) { return false }
    return user.isManageable || specs[name] != nil
  }

  private func leavesTeam(_ userID: String, _ teamID: String) -> Bool {
    steps.contains {
      if case .removeTeamMember(let team, _)? = $0.membershipChange {
        team.id == teamID && $0.userID == userID
      } else {
        false
      }
    }
  }
}
