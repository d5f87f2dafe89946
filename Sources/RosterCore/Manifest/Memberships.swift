public import RosterYAML

/// One user's declared membership of one team (`users[].teams.<name>`).
///
/// Teams and channels are keyed by `name`, the URL slug, never the display name (not unique on the
/// server). The one role is `admin` (`scheme_admin`); roles are compared as the scheme flags, never as
/// the server's computed `roles` string.
public struct TeamMembershipSpec: Sendable, Equatable {
  /// `[]` a plain member, `[admin]` a team admin; nil when the admin flag is not managed (the key is absent).
  public var roles: [String]?
  /// The channels of this team the user is in, each with its roles (`[]` or `[admin]`); nil when the
  /// user's channels in this team are not managed, `[:]` for only the default channels.
  public var channels: [String: [String]]?
  /// Where the team's key is, for diagnostics.
  public var mark: Mark
  /// Where each channel's key is, for diagnostics.
  public var channelMarks: [String: Mark] = [:]

  public init(roles: [String]? = nil, channels: [String: [String]]? = nil, mark: Mark) {
    self.roles = roles
    self.channels = channels
    self.mark = mark
  }

  public var isAdmin: Bool? { roles.map { $0.contains(MembershipRole.admin) } }

  public static func == (a: TeamMembershipSpec, b: TeamMembershipSpec) -> Bool {
    a.roles == b.roles && a.channels == b.channels
  }
}

public enum MembershipRole {
  /// `scheme_admin`: team admin in a team, channel admin in a channel.
  public static let admin = "admin"
  public static let all: Set<String> = [admin]
}

/// Who else may be in a team or channel: members nobody declares are left alone (the default) or removed.
public enum UnmanagedMembersPolicy: String, Sendable, CaseIterable {
  case ignore, remove
}

/// The top-level `teams:` registry: scope and policy only, never member lists.
public struct TeamPolicy: Sendable, Equatable {
  public var unmanagedMembers: UnmanagedMembersPolicy = .ignore
  public var channels: [String: ChannelPolicy] = [:]
  public var mark: Mark

  public init(mark: Mark) { self.mark = mark }

  public static func == (a: TeamPolicy, b: TeamPolicy) -> Bool {
    a.unmanagedMembers == b.unmanagedMembers && a.channels == b.channels
  }
}

public struct ChannelPolicy: Sendable, Equatable {
  public var unmanagedMembers: UnmanagedMembersPolicy = .ignore
  public var mark: Mark

  public init(unmanagedMembers: UnmanagedMembersPolicy = .ignore, mark: Mark) {
    self.unmanagedMembers = unmanagedMembers
    self.mark = mark
  }

  public static func == (a: ChannelPolicy, b: ChannelPolicy) -> Bool { a.unmanagedMembers == b.unmanagedMembers }
}
