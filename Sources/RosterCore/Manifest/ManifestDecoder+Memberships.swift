import RosterYAML

private typealias Membership = ManifestKey.Membership

/// The kinds of name a membership key is, for the server's rule and the messages.
enum SlugKind: String {
  case team, channel

  func problem(_ name: String) -> String? {
    switch self {
    case .team: ServerRules.teamNameProblem(name)
    case .channel: ServerRules.channelNameProblem(name)
    }
  }
}

extension ManifestDecoder {
  /// A user's (or `defaults`') `teams:`: by team name, `[roles]` or `{ roles, channels }`. `{}` is a user in
  /// no team; a team left out is one the user leaves, so a channel of it cannot be declared at all.
  mutating func readTeams(_ node: Node) -> [String: TeamMembershipSpec]? {
    let field = ManifestKey.User.teams.key
    guard let pairs = namedMapping(node, field: field, of: "team names") else { return nil }
    var teams: [String: TeamMembershipSpec] = [:]
    var ok = true
    for pair in pairs {
      guard let name = slug(pair.key, .team), let spec = readMembership(pair.value, team: name, mark: pair.key.mark)
      else {
        ok = false
        continue
      }
      teams[name] = spec
    }
    return ok ? teams : nil
  }

  /// `ops: [admin]` is shorthand for `ops: { roles: [admin] }`; the mapping form may leave out roles (the
  /// admin flag is not managed) and channels (the user's channels in the team are not managed).
  mutating func readMembership(_ node: Node, team: String, mark: Mark) -> TeamMembershipSpec? {
    let field = "team \(team)"
    switch node.kind {
    case .sequence:
      guard let roles = membershipRoles(node, field: field) else { return nil }
      return TeamMembershipSpec(roles: roles, mark: mark)
    case .mapping:
      guard let fields = reader.mapping(node, field: field, keys: Membership.allCases) else { return nil }
      var spec = TeamMembershipSpec(mark: mark)
      var ok = true
      if let pair = fields[.roles] {
        spec.roles = membershipRoles(pair.value, field: "roles of team \(team)")
        ok = spec.roles != nil
      }
      if let pair = fields[.channels] {
        if let (channels, marks) = readChannels(pair.value, team: team) {
          spec.channels = channels
          spec.channelMarks = marks
        } else {
          ok = false
        }
      }
      return ok ? spec : nil
    case .scalar:
      reader.error(
        node.mark,
        "\(field) takes a list of roles ([] or [admin]) or a mapping with roles and channels ({} for a plain membership), found \(ScalarReader.describe(node))"
      )
      return nil
    }
  }

  /// `channels:` of a user's team: by channel name, a list of roles. Default channels (town-square,
  /// off-topic) may be listed to set the role there; leaving them out removes no one from them.
  mutating func readChannels(_ node: Node, team: String) -> ([String: [String]], [String: Mark])? {
    guard let pairs = namedMapping(node, field: "channels of team \(team)", of: "channel names") else { return nil }
    var channels: [String: [String]] = [:]
    var marks: [String: Mark] = [:]
    var ok = true
    for pair in pairs {
      guard let name = slug(pair.key, .channel) else {
        ok = false
        continue
      }
      let field = "channel \(name) of team \(team)"
      guard case .sequence = pair.value.kind else {
        reader.error(
          pair.value.mark,
          "\(field) takes a list of roles ([] or [admin]), found \(ScalarReader.describe(pair.value))")
        ok = false
        continue
      }
      guard let roles = membershipRoles(pair.value, field: field) else {
        ok = false
        continue
      }
      channels[name] = roles
      marks[name] = pair.key.mark
    }
    return ok ? (channels, marks) : nil
  }

  /// A team's or channel's roles: `[]` a plain member, `[admin]` its admin (`scheme_admin`).
  mutating func membershipRoles(_ node: Node, field: String) -> [String]? {
    guard let items = reader.stringList(node, field: field) else { return nil }
    guard case .sequence(let nodes) = node.kind, nodes.count == items.count else { return nil }
    var roles: Set<String> = []
    var ok = true
    for (role, mark) in items {
      guard MembershipRole.all.contains(role) else {
        var message =
          "unknown role \"\(role)\" in \(field); the one team and channel role is \(MembershipRole.admin), and [] is a plain member"
        let known = Array(MembershipRole.all)
        if let guess = Suggest.closest(to: role, in: known).map({ "\"\($0)\"" }) ?? Self.schemeRoleHint(role) {
          message += "; did you mean \(guess)?"
        }
        reader.error(mark, message)
        ok = false
        continue
      }
      if !roles.insert(role).inserted {
        reader.warning(mark, "role \(role) is listed twice in \(field); roles are a set")
      }
    }
    return ok ? roles.sorted() : nil
  }

  /// The server's own role names for a team or channel, for the did-you-mean.
  static func schemeRoleHint(_ role: String) -> String? {
    if role.hasSuffix("admin") { return "\"\(MembershipRole.admin)\"" }
    if role.hasSuffix("user") || role.hasSuffix("member") { return "[] (a plain member)" }
    return nil
  }

  /// A mapping keyed by names, checked to be a mapping.
  mutating func namedMapping(_ node: Node, field: String, of what: String) -> [Pair]? {
    guard case .mapping(let pairs) = node.kind else {
      reader.error(node.mark, "\(field) must be a mapping of \(what), found \(ScalarReader.describe(node))")
      return nil
    }
    return pairs
  }

  /// A team or channel name as written: the URL name, checked by the server's rules.
  mutating func slug(_ key: Node, _ kind: SlugKind) -> String? {
    guard let name = reader.string(key, field: "a \(kind.rawValue) name") else { return nil }
    if let problem = kind.problem(name) {
      reader.error(key.mark, problem)
      return nil
    }
    return name
  }
}
