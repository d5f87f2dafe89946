/// A team as the sandbox stores it (server/public/model/team.go Team). Its own type: nothing is shared
/// with the client.
struct TeamRecord: Sendable {
  var id: String
  var createAt: Int64
  var updateAt: Int64
  var deleteAt: Int64 = 0
  var displayName: String
  var name: String
  var description = ""
  var email = ""
  /// `allow_open_invite`; `type` is derived from it ("O" open, "I" invite only), as
  /// model/team.go syncTypeAndAllowOpenInvite keeps the two in step.
  var allowOpenInvite = false
  var allowedDomains = ""
  var inviteID: String
  var schemeID: String?
  /// A pointer in the model: `null` until set.
  var groupConstrained: Bool?

  var type: String { allowOpenInvite ? "O" : "I" }
  var isGroupConstrained: Bool { groupConstrained == true }

  /// model/team.go Team, field order as the server sends it; `sanitized` blanks email and invite_id as
  /// app/team.go SanitizeTeam does for callers without manage_team.
  func json(sanitized: Bool) -> JSONValue {
    .object([
      ("id", .string(id)), ("create_at", .int(createAt)), ("update_at", .int(updateAt)),
      ("delete_at", .int(deleteAt)), ("display_name", .string(displayName)), ("name", .string(name)),
      ("description", .string(description)), ("email", .string(sanitized ? "" : email)),
      ("type", .string(type)), ("company_name", .string("")), ("allowed_domains", .string(allowedDomains)),
      ("invite_id", .string(sanitized ? "" : inviteID)), ("allow_open_invite", .bool(allowOpenInvite)),
      ("scheme_id", schemeID.map(JSONValue.string) ?? .null),
      ("group_constrained", groupConstrained.map(JSONValue.bool) ?? .null), ("policy_id", .null),
      ("cloud_limits_archived", .bool(false)),
    ])
  }
}

/// A public or private channel (server/public/model/channel.go Channel). DM and GM channels are not
/// emulated: they belong to no team and roster never touches them.
struct ChannelRecord: Sendable {
  var id: String
  var teamID: String
  /// "O" public or "P" private.
  var type: String
  var name: String
  var displayName: String
  var createAt: Int64
  var updateAt: Int64
  var deleteAt: Int64 = 0
  var creatorID = ""
  var schemeID: String?
  var groupConstrained: Bool?

  var isArchived: Bool { deleteAt != 0 }
  var isGroupConstrained: Bool { groupConstrained == true }

  /// model/channel.go Channel; with `team`, the ChannelWithTeamData extension GET /channels sends.
  func json(team: TeamRecord? = nil) -> JSONValue {
    var pairs: [(String, JSONValue)] = [
      ("id", .string(id)), ("create_at", .int(createAt)), ("update_at", .int(updateAt)),
      ("delete_at", .int(deleteAt)), ("team_id", .string(teamID)), ("type", .string(type)),
      ("display_name", .string(displayName)), ("name", .string(name)), ("header", .string("")),
      ("purpose", .string("")), ("last_post_at", .int(0)), ("total_msg_count", .int(0)),
      ("extra_update_at", .int(0)), ("creator_id", .string(creatorID)),
      ("scheme_id", schemeID.map(JSONValue.string) ?? .null), ("props", .null),
      ("group_constrained", groupConstrained.map(JSONValue.bool) ?? .null), ("shared", .bool(false)),
      ("total_msg_count_root", .int(0)), ("policy_id", .null), ("last_root_post_at", .int(0)),
    ]
    if let team {
      pairs += [
        ("team_display_name", .string(team.displayName)), ("team_name", .string(team.name)),
        ("team_update_at", .int(team.updateAt)),
      ]
    }
    return .object(pairs)
  }
}

/// The scheme flags shared by team and channel members. Roles are compared by these booleans plus
/// explicit roles, never by the computed `roles` string (shared/design/memberships-server.md A1).
struct SchemeFlags: Sendable, Equatable {
  var guest = false
  var user = true
  var admin = false
  var explicitRoles = ""

  /// The flags a new member gets: guests `scheme_guest`, everyone else `scheme_user`
  /// (app/teams JoinUserToTeam; app/channel.go addUserToChannel).
  static func fresh(guest: Bool) -> SchemeFlags { SchemeFlags(guest: guest, user: !guest) }

  /// store/sqlstore team_store.go / channel_store.go ToModel: explicit roles first, then the scheme's
  /// implied roles (`<kind>_guest`, `<kind>_user`, `<kind>_admin`) for the default scheme.
  func roles(_ kind: String) -> String {
    var out = explicitRoles.split(separator: " ").map(String.init)
    if guest { out.append(kind + "_guest") }
    if user { out.append(kind + "_user") }
    if admin { out.append(kind + "_admin") }
    return out.joined(separator: " ")
  }
}

/// A team membership row. Removal keeps the row with `delete_at` set (app/teams RemoveTeamMember).
struct TeamMemberRecord: Sendable {
  var teamID: String
  var userID: String
  var flags: SchemeFlags
  var deleteAt: Int64 = 0

  var isActive: Bool { deleteAt == 0 }

  /// model/team_member.go TeamMember.
  var json: JSONValue {
    .object([
      ("team_id", .string(teamID)), ("user_id", .string(userID)), ("roles", .string(flags.roles("team"))),
      ("delete_at", .int(deleteAt)), ("scheme_guest", .bool(flags.guest)), ("scheme_user", .bool(flags.user)),
      ("scheme_admin", .bool(flags.admin)), ("explicit_roles", .string(flags.explicitRoles)),
    ])
  }
}

/// A channel membership row; removal deletes it (app/channel.go removeUserFromChannel).
struct ChannelMemberRecord: Sendable {
  var channelID: String
  var userID: String
  var flags: SchemeFlags
  var lastUpdateAt: Int64

  /// model/channel_member.go ChannelMember; `team` adds ChannelMemberWithTeamData's fields. Notify props
  /// are model.GetDefaultChannelNotifyProps; the counters stay 0 as the sandbox has no posts to count.
  func json(team: TeamRecord? = nil) -> JSONValue {
    let notify: [(String, JSONValue)] = [
      ("channel_auto_follow_threads", .string("off")), ("desktop", .string("default")),
      ("email", .string("default")), ("ignore_channel_mentions", .string("default")),
      ("mark_unread", .string("all")), ("push", .string("default")),
    ]
    var pairs: [(String, JSONValue)] = [
      ("channel_id", .string(channelID)), ("user_id", .string(userID)), ("roles", .string(flags.roles("channel"))),
      ("last_viewed_at", .int(0)), ("msg_count", .int(0)), ("mention_count", .int(0)),
      ("mention_count_root", .int(0)), ("urgent_mention_count", .int(0)), ("msg_count_root", .int(0)),
      ("notify_props", .object(notify)), ("last_update_at", .int(lastUpdateAt)),
      ("scheme_guest", .bool(flags.guest)), ("scheme_user", .bool(flags.user)), ("scheme_admin", .bool(flags.admin)),
      ("explicit_roles", .string(flags.explicitRoles)),
    ]
    if let team {
      pairs += [
        ("team_display_name", .string(team.displayName)), ("team_name", .string(team.name)),
        ("team_update_at", .int(team.updateAt)),
      ]
    }
    return .object(pairs)
  }
}

/// A system message the server would have posted (model/post.go PostType*), kept only to be counted by
/// tests through `GET /sandbox/posts`.
struct SystemPost: Sendable {
  var type: String
  var channelID: String
  var userID: String
  var actorID: String
}
