import Foundation
import RosterCore
import Testing

/// Privilege is every admin role, privilege changes come first and are gated, and the gates measure
/// what they guard (issue: safety and the real server, points 1, 3 and 8).
@Suite struct PrivilegeGateTests {
  static func names(_ prefix: String, _ count: Int) -> [String] { (1...count).map { "\(prefix)\($0)" } }

  /// 8 of 9 admins demoted in a 109-user roster: 10% of managed users (10) let it through; 10% of
  /// today's 9 admins (at least 1) does not.
  @Test func adminRemovalsAreMeasuredAgainstTodaysAdmins() {
    let admins = Self.names("boss", 8).map { P.user($0, roles: "system_admin system_user") }
    let users = Self.names("user", 100).map { P.user($0) }
    var yaml = "users:\n  - username: admin\n"
    yaml += Self.names("boss", 8).map { "  - username: \($0)\n    roles: [system_user]\n" }.joined()
    yaml += Self.names("user", 100).map { "  - username: \($0)\n" }.joined()
    let plan = P.plan(yaml, users: admins + users)
    #expect(
      plan.gates.contains {
        $0.hasPrefix("8 system_admin removals exceed max_admin_removals (10% of 9 active system admins = 1)")
      }, "\(plan.gates)")
  }

  @Test func disablingTokensCountsLikeRevoking() {
    let names = Self.names("u", 4)
    var yaml = "users:\n"
    yaml += names.map { "  - username: \($0)\n    tokens:\n      - description: ci\n        active: false\n" }.joined()
    let plan = P.plan(yaml, users: names.map { P.user($0) }, tokens: names.map { P.token($0, "ci") })
    #expect(P.lines(plan).filter { $0.hasPrefix("disable_token") }.count == 4)
    #expect(plan.gates.contains { $0.hasPrefix("4 token revocations exceed max_token_revocations") }, "\(plan.gates)")
  }

  /// A rotation takes the old secret away from whoever uses it: it counts. Replacing a token whose secret
  /// never reached the sink (roster's own record of an interrupted apply) does not.
  @Test func rotationsCountButRecoveringAnInterruptedApplyDoesNot() {
    let names = Self.names("u", 4)
    let yaml = "users:\n" + names.map { "  - username: \($0)\n    tokens:\n      - description: ci\n" }.joined()
    let keys = Set(names.map { TokenKey(username: $0, description: "ci") })
    var rotate = PlanOptions()
    rotate.replaceTokens = keys
    let rotated = P.plan(
      yaml, users: names.map { P.user($0) }, tokens: names.map { P.token($0, "ci") }, options: rotate)
    #expect(rotated.gates.contains { $0.hasPrefix("4 token revocations") }, "\(rotated.gates)")
    let recovering = P.plan(
      yaml, users: names.map { P.user($0) }, tokens: names.map { P.token($0, "ci") },
      options: PlanOptions(orphanedTokens: keys))
    #expect(P.lines(recovering).filter { $0.hasPrefix("revoke_token") }.count == 4)
    #expect(recovering.gates.isEmpty, "\(recovering.gates)")
  }

  @Test func everyAdminRoleIsPrivilege() {
    for role in [
      "system_admin", "system_manager", "system_user_manager", "system_read_only_admin",
      "system_user_access_token", "system_post_all", "system_post_all_public", "system_some_future_role",
    ] {
      #expect(Privilege.isAdminRole(role), "\(role)")
    }
    #expect(!Privilege.isAdminRole("system_user") && !Privilege.isAdminRole("system_guest"))
  }

  /// An email change of an account holding any admin role is a privilege change, listed first in text
  /// and JSON, and gated.
  @Test func anAdminsEmailChangeIsAPrivilegeChangeShownFirstAndGated() throws {
    let minter = P.user("minter", roles: "system_user system_user_access_token")
    let poster = P.user("poster", roles: "system_user system_post_all")
    let yaml =
      "users:\n  - username: minter\n    email: attacker@example.com\n  - username: poster\n    email: p2@example.com\n"
      + "  - username: carol\n    roles: [system_user, system_manager]\n"
    let plan = P.plan(yaml, users: [minter, poster, P.user("carol")])
    let what = plan.privilegeChanges.map { "\($0.step.username) \($0.what)" }
    #expect(what.contains("minter changes an admin's email (minter@example.com → attacker@example.com)"), "\(what)")
    #expect(what.contains("carol grants system_manager"), "\(what)")
    #expect(
      plan.gates.contains {
        $0.hasPrefix("2 identity or token changes of admins exceed max_privileged_identity_changes")
      }, "\(plan.gates)")
    let text = PlanTextRenderer(color: false).render(plan, requests: nil)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[2] == "Privilege changes:", "\(text)")
    let json = PlanDocument(plan: plan, server: nil, acting: nil, requests: nil).json()
    #expect(json.contains("\"what\" : \"grants system_manager\""), "\(json)")
  }

  /// Padding a pull request with creates cannot push a privilege change out of a capped comment, and
  /// creates are gated.
  @Test func paddingCannotHideAPrivilegeChange() {
    let admin2 = P.user("boss", roles: "system_admin system_user")
    var yaml = "users:\n  - username: boss\n    email: new-owner@example.com\n"
    for i in 0..<400 { yaml += "  - username: pad\(i)\n    email: pad\(i)@example.com\n    password: ${PW}\n" }
    let plan = P.plan(yaml, users: [admin2])
    #expect(plan.gates.contains { $0.hasPrefix("400 user creations exceed max_creates") }, "\(plan.gates)")
    let markdown = PlanMarkdownRenderer.render(plan, requests: nil, limit: 4_000)
    #expect(markdown.count <= 6_000)
    #expect(markdown.contains("changes an admin's email"), "\(markdown.prefix(2_000))")
  }

  /// Roster never deactivates the owner of the bot it runs as: the server disables a deactivated user's
  /// bots (app/user.go userDeactivated -> app/bot.go disableUserBots) and the bot's token with them.
  @Test func theActingBotsOwnerIsNeverDeactivated() {
    let bot = LiveUser(
      id: "ci0000000000000000000000bt", username: "ci-bot", roles: "system_admin system_user", isBot: true)
    let owner = P.user("olivia", roles: "system_admin system_user")
    var live = LiveState(users: [bot, owner, P.admin, P.user("x")], tokens: [], acting: bot)
    live.actingBotOwnerID = owner.id
    let declared = Planner.plan(
      P.manifest("version: 1\nusers:\n  - username: olivia\n    active: false\n  - username: admin\n  - username: x\n"),
      live: live)
    #expect(declared.errors.contains { $0.message.contains("owns the bot ci-bot that roster runs as") })
    #expect(!declared.steps.contains { $0.kind == .deactivateUser })
    let unmanaged = Planner.plan(
      P.manifest(
        "version: 1\nsettings:\n  unmanaged_users: deactivate\nusers:\n  - username: admin\n  - username: x\n"),
      live: live, options: PlanOptions(force: true))
    #expect(unmanaged.errors.contains { $0.username == "olivia" }, "\(unmanaged.notes)")
    var step = Step(.user(.deactivateUser), username: "olivia", userID: owner.id)
    step.index = 0
    #expect(Safety.stepProblems([step], live: live, protectedUsers: []).contains { $0.contains("owns the bot") })
  }

  @Test func theActingUserIsNeverRenamed() {
    let plan = P.plan("users:\n  - username: root\n    previous_usernames: [admin]\n")
    #expect(plan.errors.contains { $0.message.contains("it is the acting user") }, "\(plan.notes)")
    #expect(plan.steps.isEmpty)
  }

  /// Every threshold recorded, strictly read; older files still read; apply's flags only tighten.
  @Test func savedSafetySettingsRoundTripAndOnlyTighten() throws {
    var limits = OperatorLimits(thresholds: [.adminRemovals: .count(2)], minSystemAdmins: 2)
    limits.protectedUsers = ["ops"]
    var settings = Settings()
    settings.limits[.creates] = .percent(5)
    settings.requiredAdmins = ["root"]
    let recorded = SafetySettings(settings, limits: limits)
    let data = try JSONEncoder().encode(recorded)
    let back = try JSONDecoder().decode(SafetySettings.self, from: data)
    #expect(back == recorded)
    #expect(back.thresholds[.creates] == [.percent(30), .percent(5)] && back.protectedUsers == ["ops"])
    let old = #"{"protected_users":["a"],"max_deactivations":"3","min_system_admins":1}"#
    let older = try JSONDecoder().decode(SafetySettings.self, from: Data(old.utf8))
    #expect(older.thresholds[.deactivations] == [.count(3)])
    let unknown = #"{"protected_users":[],"min_system_admins":1,"thresholds":{"max_everything":["100%"]}}"#
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(SafetySettings.self, from: Data(unknown.utf8)) }
    let atApply = SafetySettings.forSavedPlan(
      recorded: back, limits: OperatorLimits(thresholds: [.adminRemovals: .percent(100)], minSystemAdmins: 1))
    #expect(atApply.thresholds[.adminRemovals] == [.percent(100), .count(2)], "the recorded 2 still holds")
    #expect(atApply.minSystemAdmins == 2 && atApply.requiredAdmins == ["root"])
  }
}

/// Findings of a review of the saved-plan checks: what an edited file could hide, and gates that miss
/// a kind of privilege.
@Suite struct SavedPlanReviewTests {
  static func step(_ change: Change, _ user: LiveUser?, name: String, index: Int, after: [Int] = []) -> Step {
    var step = Step(change, username: name, userID: user?.id)
    step.index = index
    step.dependsOn = after
    return step
  }

  /// `roles_before` must be the account's live roles: otherwise "roles [admin] → [admin]" hides a grant
  /// from the gates and the reviewer.
  @Test func rolesBeforeMustBeTheServersRoles() {
    let bob = P.user("bob")
    let live = LiveState(users: [bob, P.admin], acting: P.admin)
    let disguised = Self.step(
      .user(.setRoles(before: ["system_user", "system_admin"], after: ["system_user", "system_admin"])), bob,
      name: "bob",
      index: 0)
    #expect(Safety.stepProblems([disguised], live: live, protectedUsers: []).contains { $0.contains("roles_before") })
    let honest = Self.step(
      .user(.setRoles(before: ["system_user"], after: ["system_user", "system_admin"])), bob, name: "bob", index: 0)
    #expect(Safety.stepProblems([honest], live: live, protectedUsers: []).isEmpty)
    let create = Self.step(
      .user(
        .createUser(
          fields: [.init(field: "username", old: nil, new: "eve"), .init(field: "email", old: nil, new: "e@x.io")],
          password: .generated)),
      nil, name: "eve", index: 0)
    let afterCreate = Self.step(
      .user(.setRoles(before: ["system_user", "system_admin"], after: ["system_user", "system_admin"])), nil,
      name: "eve",
      index: 1, after: [0])
    #expect(
      Safety.stepProblems([create, afterCreate], live: live, protectedUsers: []).contains {
        $0.contains("roles_before")
      })
  }

  /// The planner's own roles after a promotion start from the promoted roles, and pass.
  @Test func aPromotedGuestsRolesPass() {
    let guest = P.user("gus", roles: "system_guest")
    let plan = P.plan("users:\n  - username: gus\n    roles: [system_user, system_post_all]\n", users: [guest])
    #expect(P.lines(plan) == ["promote_guest gus", "set_roles gus"])
    let live = LiveState(users: [guest, P.admin], acting: P.admin)
    #expect(Safety.stepProblems(plan.steps, live: live, protectedUsers: []).isEmpty)
  }

  @Test func reactivatingAnAdminIsAGrant() {
    let names = PrivilegeGateTests.names("old", 3)
    let users = names.map { P.user($0, roles: "system_admin system_user", active: false) }
    let yaml = "users:\n  - username: admin\n" + names.map { "  - username: \($0)\n" }.joined()
    let plan = P.plan(yaml, users: users)
    #expect(plan.gates.contains { $0.hasPrefix("3 admin role grants exceed max_admin_grants") }, "\(plan.gates)")
  }

  /// A token minted or switched back on for an admin is a privilege change; a rotation's create is not
  /// (the user already holds a working token with that description), and recovering an admin's
  /// interrupted token needs no --force.
  @Test func adminTokenCreatesCountButRotationsAndRecoveryDoNot() {
    let admins = ["b1", "b2"].map { P.user($0, roles: "system_admin system_user") }
    let minted = P.plan(
      "users:\n" + ["b1", "b2"].map { "  - username: \($0)\n    tokens:\n      - description: ci\n" }.joined(),
      users: admins)
    #expect(minted.gates.contains { $0.hasPrefix("2 identity or token changes of admins") }, "\(minted.gates)")
    #expect(minted.privilegeChanges.contains { $0.what == "creates a token for an admin (ci)" })
    let keys = Set(["b1", "b2"].map { TokenKey(username: $0, description: "ci") })
    let recovered = P.plan(
      "users:\n" + ["b1", "b2"].map { "  - username: \($0)\n    tokens:\n      - description: ci\n" }.joined(),
      users: admins, tokens: ["b1", "b2"].map { P.token($0, "ci") }, options: PlanOptions(orphanedTokens: keys))
    #expect(P.lines(recovered).filter { $0.hasPrefix("revoke_token") }.count == 2)
    #expect(recovered.gates.isEmpty, "\(recovered.gates)")
  }

  @Test func aRequiredAdminGrantedWhileDeactivatedIsStillMissing() {
    let sleeper = P.user("sleeper", active: false)
    let grant = Self.step(
      .user(.setRoles(before: ["system_user"], after: ["system_user", "system_admin"])), sleeper, name: "sleeper",
      index: 0)
    let live = LiveState(users: [P.admin, sleeper], tokens: [], acting: P.admin)
    let missing = Safety.requiredAdminsMissing(
      live.applying([grant]), required: ["sleeper"], account: { $0 == "sleeper" ? sleeper : nil })
    #expect(missing == ["sleeper"])
  }
}
