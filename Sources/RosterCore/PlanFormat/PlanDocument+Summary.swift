extension PlanDocument {
  /// The counts a reader sees first (`summary` in the JSON); derived from the steps when written.
  public struct Summary: Sendable, Codable, Equatable {
    public var create: Int
    public var update: Int
    public var deactivate: Int
    public var tokensCreate: Int
    public var tokensRevoke: Int
    public var tokensEnable: Int
    public var tokensDisable: Int
    public var rename: Int
    public var passwordResets: Int
    public var membershipsAdd: Int
    public var membershipsRemove: Int
    public var membershipsRoles: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
      case create, update, deactivate, rename
      case passwordResets = "password_resets"
      case membershipsAdd = "memberships_add"
      case membershipsRemove = "memberships_remove"
      case membershipsRoles = "memberships_roles"
      case tokensCreate = "tokens_create"
      case tokensRevoke = "tokens_revoke"
      case tokensEnable = "tokens_enable"
      case tokensDisable = "tokens_disable"
    }

    public init(from decoder: any Decoder) throws {
      try decoder.allowOnly(CodingKeys.self)
      let c = try decoder.container(keyedBy: CodingKeys.self)
      create = try c.decode(Int.self, forKey: .create)
      update = try c.decode(Int.self, forKey: .update)
      deactivate = try c.decode(Int.self, forKey: .deactivate)
      tokensCreate = try c.decode(Int.self, forKey: .tokensCreate)
      tokensRevoke = try c.decode(Int.self, forKey: .tokensRevoke)
      tokensEnable = try c.decode(Int.self, forKey: .tokensEnable)
      tokensDisable = try c.decode(Int.self, forKey: .tokensDisable)
      // Added in a later release: files from before read as none.
      rename = try c.decodeIfPresent(Int.self, forKey: .rename) ?? 0
      passwordResets = try c.decodeIfPresent(Int.self, forKey: .passwordResets) ?? 0
      membershipsAdd = try c.decodeIfPresent(Int.self, forKey: .membershipsAdd) ?? 0
      membershipsRemove = try c.decodeIfPresent(Int.self, forKey: .membershipsRemove) ?? 0
      membershipsRoles = try c.decodeIfPresent(Int.self, forKey: .membershipsRoles) ?? 0
    }

    init(_ plan: Plan) {
      create = plan.count(.createUser)
      update = plan.usersToUpdate
      deactivate = plan.count(.deactivateUser)
      tokensCreate = plan.count(.createToken)
      tokensRevoke = plan.count(.revokeToken)
      tokensEnable = plan.count(.enableToken)
      tokensDisable = plan.count(.disableToken)
      rename = plan.count(.renameUser)
      passwordResets = plan.count(.sendPasswordReset)
      membershipsAdd = plan.count(.addTeamMember) + plan.count(.addChannelMember)
      membershipsRemove = plan.steps.reduce(0) { $0 + $1.membershipsRemoved }
      membershipsRoles = plan.count(.setTeamMemberRoles) + plan.count(.setChannelMemberRoles)
    }
  }
}
