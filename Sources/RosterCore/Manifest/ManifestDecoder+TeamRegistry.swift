import RosterYAML

private typealias RegistryTeam = ManifestKey.RegistryTeam
private typealias RegistryChannel = ManifestKey.RegistryChannel

extension ManifestDecoder {
  /// The top-level `teams:` registry: scope and `unmanaged_members` policies, never member lists. Any
  /// file may add teams to it; a team declared in two places is an error naming both.
  mutating func readRegistry(_ pair: Pair) {
    let field = ManifestKey.Top.teams.key
    guard let pairs = namedMapping(pair.value, field: field, of: "team names") else { return }
    for entry in pairs {
      guard let name = slug(entry.key, .team) else { continue }
      if let first = registry[name] {
        reader.error(entry.key.mark, "team \(name) is declared twice in \(field); the first is at \(first.mark)")
        continue
      }
      guard let fields = reader.mapping(entry.value, field: "team \(name)", keys: RegistryTeam.allCases) else {
        continue
      }
      var policy = TeamPolicy(mark: entry.key.mark)
      if let p = fields[.unmanagedMembers], let value = unmanagedMembers(p.value) { policy.unmanagedMembers = value }
      if let p = fields[.channels] { policy.channels = registryChannels(p.value, team: name) }
      registry[name] = policy
    }
  }

  mutating func registryChannels(_ node: Node, team: String) -> [String: ChannelPolicy] {
    var channels: [String: ChannelPolicy] = [:]
    guard let pairs = namedMapping(node, field: "channels of team \(team)", of: "channel names") else { return [:] }
    for entry in pairs {
      guard let name = slug(entry.key, .channel),
        let fields = reader.mapping(
          entry.value, field: "channel \(name) of team \(team)", keys: RegistryChannel.allCases)
      else { continue }
      var policy = ChannelPolicy(mark: entry.key.mark)
      if let p = fields[.unmanagedMembers], let value = unmanagedMembers(p.value) {
        // app/channel.go removeUserFromChannel: no one but a guest leaves town-square (api.channel.remove.default.app_error).
        if value == .remove && name == ServerRules.defaultChannels[0] {
          reader.error(
            p.value.mark,
            "\(name) cannot have unmanaged_members: remove; the server removes no one but guests from it (members leave it only with the team)"
          )
          continue
        }
        policy.unmanagedMembers = value
      }
      channels[name] = policy
    }
    return channels
  }

  mutating func unmanagedMembers(_ node: Node) -> UnmanagedMembersPolicy? {
    let key = RegistryTeam.unmanagedMembers.key
    guard let text = reader.string(node, field: key) else { return nil }
    guard let policy = UnmanagedMembersPolicy(rawValue: text) else {
      reader.error(node.mark, "\(key) must be \"ignore\" or \"remove\", found \"\(text)\"")
      return nil
    }
    return policy
  }

  /// What a user's roles decide about its memberships, once `defaults` may have given either: a guest is
  /// never a team or channel admin, and declares a channel in each of its teams (guests join no default
  /// channels, and the server takes a guest out of a team with its last channel there). Returns whether
  /// the user passed; outside `--only` a problem is a warning and the caller leaves the user out.
  mutating func checkGuestMemberships(_ spec: UserSpec, _ info: DeclaredUser.Info) -> Bool {
    guard spec.roles == ["system_guest"], let teams = spec.teams else { return true }
    let targeted = isTargeted(spec)
    let inherited = !info.declared.contains(.teams)
    var ok = true
    func report(_ mark: Mark, _ team: String, _ message: String) {
      ok = false
      // Teams from defaults are at defaults; the user's own entry is the place to fix.
      let at = inherited ? info.entryMark : mark
      let text = inherited ? message + " (team \(team) comes from defaults at \(mark))" : message
      if targeted { reader.error(at, text) } else { reader.warning(at, text + ManifestDecoder.untargeted) }
    }
    for (team, membership) in teams.sorted(by: { $0.key < $1.key }) {
      if membership.isAdmin == true {
        report(
          membership.mark, team,
          "guest \(spec.username) cannot be an admin of team \(team); guests are plain members only (promote the account first to make it an admin)"
        )
      }
      guard let channels = membership.channels, !channels.isEmpty else {
        report(
          membership.mark, team,
          "guest \(spec.username) must declare at least one channel in team \(team): guests join no default channels, and the server removes a guest from a team with its last channel"
        )
        continue
      }
      for (channel, roles) in channels.sorted(by: { $0.key < $1.key }) where roles.contains(MembershipRole.admin) {
        report(
          membership.channelMarks[channel] ?? membership.mark, team,
          "guest \(spec.username) cannot be an admin of channel \(channel) in team \(team); guests are plain members only (promote the account first to make it an admin)"
        )
      }
    }
    return ok
  }
}
