/// How membership changes read: in the text plan, the Markdown comment, apply's progress, and the
/// privilege changes (team and channel admins) every rendering shows first.
extension MembershipChange: ResourceChange {
  /// `team eng`, `channel eng/incidents`.
  var place: String {
    switch self {
    case .addTeamMember(let t, _), .removeTeamMember(let t, _), .setTeamMemberRoles(let t, _): "team \(t.name)"
    case .addChannelMember(let c, _), .removeChannelMember(let c), .setChannelMemberRoles(let c, _):
      "channel \(c.path)"
    }
  }

  private var adminWord: String {
    if case .addTeamMember = self { return "team admin" }
    if case .setTeamMemberRoles = self { return "team admin" }
    return "channel admin"
  }

  func text(_ step: Step) -> TextEntry {
    let name = step.username
    switch self {
    case .addTeamMember(_, let admin), .addChannelMember(_, let admin):
      return TextEntry(headline: "add \(name) to \(place)" + (admin ? " (admin)" : ""))
    case .removeTeamMember(_, let cascade):
      let also = cascade == 0 ? "" : " (also leaves \(cascade) channel membership\(cascade == 1 ? "" : "s"))"
      return TextEntry(headline: "remove \(name) from \(place)" + also)
    case .removeChannelMember: return TextEntry(headline: "remove \(name) from \(place)")
    case .setTeamMemberRoles(_, let admin), .setChannelMemberRoles(_, let admin):
      return TextEntry(
        headline: "set roles of \(name) in \(place)", details: ["      admin \(!admin) → \(admin)"])
    }
  }

  func markdownDetails(_ step: Step) -> String {
    let code = MarkdownText.code
    switch self {
    case .addTeamMember(let t, let admin): return "team \(code(t.name))" + (admin ? " as admin" : "")
    case .addChannelMember(let c, let admin): return "channel \(code(c.path))" + (admin ? " as admin" : "")
    case .removeTeamMember(let t, let cascade):
      return "team \(code(t.name))" + (cascade == 0 ? "" : ", and \(cascade) channel memberships with it")
    case .removeChannelMember(let c): return "channel \(code(c.path))"
    case .setTeamMemberRoles(let t, let admin): return "team \(code(t.name)): admin \(!admin) → \(admin)"
    case .setChannelMemberRoles(let c, let admin): return "channel \(code(c.path)): admin \(!admin) → \(admin)"
    }
  }

  func markdownTitle(_ step: Step) -> String {
    let verb = kind.rawValue.prefix { $0 != "_" }
    return "\(verb) \(MarkdownText.code(step.username)) \(verb == "remove" ? "from" : "in") \(MarkdownText.text(place))"
  }

  func label(_ step: Step) -> String {
    switch self {
    case .addTeamMember, .addChannelMember: "add \(step.username) to \(place)"
    case .removeTeamMember, .removeChannelMember: "remove \(step.username) from \(place)"
    case .setTeamMemberRoles, .setChannelMemberRoles: "roles of \(step.username) in \(place)"
    }
  }

  /// Team and channel admins manage their members and settings: granting or removing the role is a
  /// privilege change, as is adding someone as an admin.
  func privilegeChange(_ step: Step, admin: Bool) -> String? {
    switch self {
    case .addTeamMember(_, true), .addChannelMember(_, true): return "joins \(place) as \(adminWord)"
    case .setTeamMemberRoles(_, let granted), .setChannelMemberRoles(_, let granted):
      return granted ? "becomes \(adminWord) of \(place)" : "is no longer \(adminWord) of \(place)"
    default: return nil
    }
  }
}
