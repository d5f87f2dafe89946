import RosterCore
import Testing

/// `plan --read-only`: what a token's permissions let it see (model/role.go defaults: system_user holds
/// view_members; system_admin everything), and the plan's narrowing to that.
@Suite struct ReadSightTests {
  static let reader = P.user("reader", roles: "system_user")

  func plan(_ yaml: String, sight: ReadSight, users: [LiveUser], bots: [LiveBot]? = nil) -> Plan {
    var live = LiveState(users: users + [Self.reader], tokens: nil, acting: Self.reader, accessTokensEnabled: true)
    live.sight = sight
    live.bots = bots
    return Planner.plan(P.manifest("version: 1\n" + yaml), live: live)
  }

  @Test func permissionsDecideWhatIsSeen() {
    let user = ReadSight(
      permissions: ["view_members", "list_public_teams"], showEmailAddress: true, showFullName: false)
    #expect(user.everyUser && user.emails && !user.fullNames && !user.authServices)
    #expect(!user.othersTokens && !user.bots && !user.memberships && !user.isWhole)
    let admin = ReadSight(permissions: ["manage_system"], showEmailAddress: false, showFullName: false)
    #expect(admin.isWhole)
    let narrow = ReadSight(permissions: [], showEmailAddress: nil, showFullName: nil)
    #expect(!narrow.everyUser && !narrow.emails && !narrow.fullNames)
  }

  @Test func withoutViewMembersNoAccountIsCompared() {
    let sight = ReadSight(permissions: [], showEmailAddress: true, showFullName: true)
    let plan = plan(
      "settings:\n  unmanaged_users: deactivate\nusers:\n  - username: alice\n    position: Lead\n", sight: sight,
      users: [])
    #expect(plan.steps.isEmpty)
    #expect(plan.notCompared.count == 1 && plan.notCompared[0].contains("view_members"), "\(plan.notCompared)")
    #expect(plan.headline.hasPrefix("No changes in what this token could read"))
  }

  @Test func unreadBotsAndMembershipsAreNamedNotPlanned() {
    let sight = ReadSight(permissions: ["view_members"], showEmailAddress: true, showFullName: true)
    let yaml = """
      settings:
        unmanaged_bots: disable
      users:
        - username: alice
          teams:
            eng: {}
      bots:
        - username: deploy-bot

      """
    let plan = plan(yaml, sight: sight, users: [P.admin, P.user("alice")])
    #expect(plan.steps.isEmpty, "\(P.lines(plan))")
    #expect(plan.errors.isEmpty, "\(plan.errors)")
    #expect(plan.notCompared.contains { $0.hasPrefix("bots (1 declared)") }, "\(plan.notCompared)")
    #expect(plan.notCompared.contains { $0.hasPrefix("team and channel memberships (of 1 account") })
  }

  @Test func hiddenFieldsShowNoChangeButAreNamed() {
    let sight = ReadSight(permissions: ["view_members"], showEmailAddress: false, showFullName: false)
    // As the server answers such a caller: address and names blank.
    let alice = P.user("alice", email: "", first: "", position: "Old")
    let plan = plan(
      "users:\n  - username: alice\n    email: alice@example.com\n    first_name: Alice\n    position: Lead\n",
      sight: sight, users: [alice])
    #expect(P.lines(plan) == ["patch_profile alice"], "\(P.lines(plan))")
    #expect(plan.steps.first?.changes.map(\.field) == ["position"])
    #expect(plan.notCompared.contains { $0.hasPrefix("email of 1 account") }, "\(plan.notCompared)")
    #expect(plan.notCompared.contains { $0.hasPrefix("first and last name of 1 account") })
  }

  static let ordinary = ReadSight(permissions: ["view_members"], showEmailAddress: false, showFullName: true)

  /// carol was deactivated by hand and keeps an active token: the admin's plan disables it
  /// (on_deactivate: disable_tokens), the read-only plan cannot see it and says so, with no steps.
  @Test func anAlreadyInactiveAccountsTokensAreNamed() {
    let carol = P.user("carol", email: "", active: false)
    let plan = plan("users:\n  - username: carol\n    active: false\n", sight: Self.ordinary, users: [P.admin, carol])
    #expect(plan.steps.isEmpty, "\(P.lines(plan))")
    #expect(plan.notCompared.contains { $0.hasPrefix("what on_deactivate does") }, "\(plan.notCompared)")
    #expect(plan.readOnly && !plan.headline.hasPrefix("No changes."))
  }

  /// A scope on email domains cannot be judged with hidden addresses: unmanaged accounts are not
  /// deactivated on a guess, and the plan says why.
  @Test func aScopeOnHiddenFieldsLeavesUnmanagedAccountsUncompared() {
    let yaml = """
      settings:
        unmanaged_users: deactivate
        scope:
          email_domains: [eng.example.com]
      users:
        - username: alice
          email: alice@eng.example.com

      """
    let users = [P.admin, P.user("alice", email: ""), P.user("stray", email: "")]
    let plan = plan(yaml, sight: Self.ordinary, users: users)
    #expect(plan.steps.isEmpty, "\(P.lines(plan))")
    #expect(plan.errors.isEmpty, "\(plan.errors)")
    #expect(plan.notCompared.contains { $0.contains("settings.scope") && $0.contains("email_domains") })
  }

  /// A declaration written to create an account that meets an existing one: with the address hidden,
  /// roster cannot tell whether it is the declared person, and says so rather than updating silently.
  @Test func aCreateMeetingAnAccountWithAHiddenAddressIsNamed() {
    let yaml = "users:\n  - username: alice\n    email: alice@example.com\n    initial_password: generate\n"
    let met = plan(yaml, sight: Self.ordinary, users: [P.admin, P.user("alice", email: "")])
    #expect(met.notCompared.contains { $0.hasPrefix("1 account declared to be created") }, "\(met.notCompared)")
    let fresh = self.plan(yaml, sight: Self.ordinary, users: [P.admin])
    #expect(P.lines(fresh).first == "create_user alice", "\(P.lines(fresh))")
    #expect(fresh.notCompared.contains { $0.hasPrefix("1 account to create: whether their addresses are free") })
  }

  @Test func aTeamsRegistryAloneIsNamed() {
    let yaml = "teams:\n  eng:\n    unmanaged_members: remove\nusers:\n  - username: alice\n"
    let plan = plan(yaml, sight: Self.ordinary, users: [P.admin, P.user("alice")])
    #expect(plan.notCompared.contains { $0.hasPrefix("team and channel memberships") }, "\(plan.notCompared)")
  }
}
