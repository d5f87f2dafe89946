import RosterCore
import Testing

/// One planner case: a manifest fragment, a live server, and the steps and notes expected.
struct PlannerCase: CustomTestStringConvertible, Sendable {
  var name: String
  var yaml: String
  var users: [LiveUser] = []
  var tokens: [LiveToken]? = []
  var acting: LiveUser = P.admin
  var tokensEnabled: Bool? = true
  var force = false
  var steps: [String]
  var notes: [ExpectedNote] = []
  var gates = 0

  var testDescription: String { name }
}

@Suite struct PlannerTests {
  static let cases: [PlannerCase] = [
    // Guests (api4/user.go promoteGuestToUser / demoteUserToGuest; never PUT /roles for them)
    .init(
      name: "a guest declared a user is promoted, not given roles",
      yaml: "users:\n  - username: gus\n    roles: [system_user]\n", users: [P.user("gus", roles: "system_guest")],
      steps: ["promote_guest gus"]),
    .init(
      name: "a guest declared an admin is promoted, then given the rest",
      yaml: "users:\n  - username: gus\n    roles: [system_user, system_admin]\n",
      users: [P.user("gus", roles: "system_guest")], steps: ["promote_guest gus", "set_roles gus"]),
    .init(
      name: "a user declared a guest is demoted, with the license warning",
      yaml: "users:\n  - username: ursula\n    roles: [system_guest]\n", users: [P.user("ursula")],
      steps: ["demote_to_guest ursula"], notes: [.warning("needs a licensed server")]),
    .init(
      name: "a new guest is created, then demoted",
      yaml: "users:\n  - username: gina\n    email: g@example.com\n    password: ${PW}\n    roles: [system_guest]\n",
      steps: ["create_user gina", "demote_to_guest gina"], notes: [.warning("needs a licensed server")]),
    .init(
      name: "a guest with extra server roles is left to promotion",
      yaml: "users:\n  - username: gus\n    roles: [system_guest]\n",
      users: [P.user("gus", roles: "system_guest system_post_all")], steps: [],
      notes: [.warning("changes a guest's roles only by promoting")]),
    .init(
      name: "the acting user is never demoted", yaml: "users:\n  - username: admin\n    roles: [system_guest]\n",
      steps: [], notes: [.warning("not demoting the acting user")]),
    // Creating users
    .init(
      name: "create a new user", yaml: "users:\n  - username: alice\n    email: a@example.com\n    password: ${PW}\n",
      steps: ["create_user alice"]),
    .init(
      name: "created user with admin role gets a roles step after the create",
      yaml:
        "users:\n  - username: alice\n    email: a@example.com\n    password: ${PW}\n    roles: [system_user, system_admin]\n",
      steps: ["create_user alice", "set_roles alice"]),
    .init(
      name: "created user with only system_user needs no roles step",
      yaml: "users:\n  - username: alice\n    email: a@example.com\n    password: ${PW}\n    roles: [system_user]\n",
      steps: ["create_user alice"]),
    .init(
      name: "created user with tokens gets token steps, disabled ones disabled after creation",
      yaml:
        "users:\n  - username: alice\n    email: a@example.com\n    password: ${PW}\n    tokens:\n      - description: ci\n      - description: old\n        active: false\n",
      steps: ["create_user alice", "create_token alice ci", "create_token alice old", "disable_token alice old"]),
    .init(
      name: "declared inactive and absent is not created",
      yaml: "users:\n  - username: ghost\n    email: g@example.com\n    password: ${PW}\n    active: false\n", steps: []
    ),
    .init(
      name: "create without email is an error", yaml: "users:\n  - username: alice\n    password: ${PW}\n",
      steps: [], notes: [.error("cannot create: no email declared")]),
    .init(
      name: "create without password or sso is an error",
      yaml: "users:\n  - username: alice\n    email: a@example.com\n",
      steps: [], notes: [.error("declare a password, initial_password: generate, or an auth_service")]),
    .init(
      name: "create with a short password is an error",
      yaml: "users:\n  - username: alice\n    email: a@example.com\n    password: ${SHORT}\n",
      steps: [], notes: [.error("shorter than the server's minimum of 8")]),
    .init(
      name: "create with an email used by another user is an error",
      yaml: "users:\n  - username: alice\n    email: bob@example.com\n    password: ${PW}\n", users: [P.user("bob")],
      steps: [], notes: [.error("already used by bob")]),
    .init(
      name: "create sso user without password",
      yaml: "users:\n  - username: carol\n    email: c@example.com\n    auth_service: ldap\n    auth_data: carol\n",
      steps: ["create_user carol"]),
    .init(
      name: "create sso user without auth_data is an error",
      yaml: "users:\n  - username: carol\n    email: c@example.com\n    auth_service: ldap\n",
      steps: [], notes: [.error("needs auth_data")]),
    .init(
      // app/users/users.go CreateUser stores "en" instead; an update keeps any well-formed tag.
      name: "create with an untranslated locale sets it by a patch after the create",
      yaml: "users:\n  - username: alice\n    email: a@example.com\n    password: ${PW}\n    locale: da\n",
      steps: ["create_user alice", "patch_profile alice"],
      notes: [.warning("locale da has no translation on the server")]),
    .init(
      name: "username taken by a bot is an error", yaml: "users:\n  - username: bot\n    email: b@example.com\n",
      users: [P.user("bot", bot: true)], steps: [], notes: [.error("belongs to a bot")]),
    .init(
      name: "username of a remote user is an error", yaml: "users:\n  - username: far\n",
      users: [P.user("far", remote: true)], steps: [], notes: [.error("belongs to a remote user")]),
    // Converged and normalisation
    .init(
      name: "converged user plans nothing",
      yaml: "users:\n  - username: bob\n    email: bob@example.com\n    first_name: Bob\n    roles: [system_user]\n",
      users: [P.user("bob", first: "Bob")], steps: []),
    .init(
      name: "username case does not matter", yaml: "users:\n  - username: BOB\n    email: Bob@Example.com\n",
      users: [P.user("bob")], steps: []),
    .init(
      name: "email compared after trimming and lowercasing",
      yaml: "users:\n  - username: bob\n    email: ' BOB@example.com '\n",
      users: [P.user("bob")], steps: []),
    .init(
      name: "roles compared as a set, order and duplicates aside",
      yaml: "users:\n  - username: bob\n    roles: [system_admin, system_user]\n",
      users: [P.user("bob", roles: "system_user  system_admin")], steps: []),
    .init(
      name: "password is never diffed", yaml: "users:\n  - username: bob\n    password: ${PW}\n",
      users: [P.user("bob")], steps: []),
    .init(
      name: "absent fields stay unmanaged", yaml: "users:\n  - username: bob\n",
      users: [P.user("bob", first: "X", nickname: "Y", position: "Z", roles: "system_user system_admin")], steps: []),
    // Updating
    .init(
      name: "changed fields go in one patch",
      yaml: "users:\n  - username: bob\n    first_name: Robert\n    position: Lead\n",
      users: [P.user("bob", first: "Bob", position: "Dev")], steps: ["patch_profile bob"]),
    .init(
      name: "email change patches", yaml: "users:\n  - username: bob\n    email: robert@example.com\n",
      users: [P.user("bob")], steps: ["patch_profile bob"]),
    .init(
      name: "email change to another user's email is an error",
      yaml: "users:\n  - username: bob\n    email: carol@example.com\n",
      users: [P.user("bob"), P.user("carol")], steps: [], notes: [.error("already used by carol")]),
    .init(
      name: "roles change sets roles", yaml: "users:\n  - username: bob\n    roles: [system_user, system_admin]\n",
      users: [P.user("bob")], steps: ["set_roles bob"]),
    .init(
      name: "demotion sets roles", yaml: "users:\n  - username: bob\n    roles: [system_user]\n",
      users: [P.user("bob", roles: "system_user system_admin")], steps: ["set_roles bob"]),
    .init(
      name: "reactivation of a declared active user", yaml: "users:\n  - username: bob\n",
      users: [P.user("bob", active: false)], steps: ["reactivate_user bob"]),
    .init(
      name: "declared inactive deactivates", yaml: "users:\n  - username: bob\n    active: false\n",
      users: [P.user("bob")], steps: ["deactivate_user bob"]),
    .init(
      name: "inactive and declared inactive plans nothing", yaml: "users:\n  - username: bob\n    active: false\n",
      users: [P.user("bob", active: false)], steps: []),
    .init(
      name: "reactivated user is patched in the same plan", yaml: "users:\n  - username: bob\n    position: Back\n",
      users: [P.user("bob", active: false)], steps: ["reactivate_user bob", "patch_profile bob"]),
    // Ordering
    .init(
      name: "order is creates, reactivations, patches, roles, tokens, deactivations",
      yaml: """
        users:
          - username: zed
            active: false
          - username: yan
            position: New
          - username: xia
            roles: [system_user, system_admin]
          - username: wes
          - username: new
            email: new@example.com
            password: ${PW}
          - username: tok
            tokens:
              - description: t
        """,
      users: [P.user("zed"), P.user("yan"), P.user("xia"), P.user("wes", active: false), P.user("tok")],
      steps: [
        "create_user new", "reactivate_user wes", "patch_profile yan", "set_roles xia", "create_token tok t",
        "deactivate_user zed",
      ]),
    // Tokens
    .init(
      name: "missing token is created", yaml: "users:\n  - username: bob\n    tokens:\n      - description: ci\n",
      users: [P.user("bob")], steps: ["create_token bob ci"]),
    .init(
      name: "undeclared token is revoked", yaml: "users:\n  - username: bob\n    tokens: []\n",
      users: [P.user("bob")], tokens: [P.token("bob", "old")], steps: ["revoke_token bob old"]),
    .init(
      name: "absent tokens key leaves tokens alone", yaml: "users:\n  - username: bob\n",
      users: [P.user("bob")], tokens: [P.token("bob", "old")], steps: []),
    .init(
      name: "disabled token declared active is enabled",
      yaml: "users:\n  - username: bob\n    tokens:\n      - description: ci\n",
      users: [P.user("bob")], tokens: [P.token("bob", "ci", active: false)], steps: ["enable_token bob ci"]),
    .init(
      name: "active token declared inactive is disabled",
      yaml: "users:\n  - username: bob\n    tokens:\n      - description: ci\n        active: false\n",
      users: [P.user("bob")], tokens: [P.token("bob", "ci")], steps: ["disable_token bob ci"]),
    .init(
      name: "matching token plans nothing", yaml: "users:\n  - username: bob\n    tokens:\n      - description: ci\n",
      users: [P.user("bob")], tokens: [P.token("bob", "ci")], steps: []),
    .init(
      name: "two live tokens with one description is an error naming both",
      yaml: "users:\n  - username: bob\n    tokens:\n      - description: ci\n",
      users: [P.user("bob")],
      tokens: [
        P.token("bob", "ci", id: "tokenaaaaaaaaaaaaaaaaaaaaa"), P.token("bob", "ci", id: "tokenbbbbbbbbbbbbbbbbbbbbb"),
      ],
      steps: [], notes: [.error("tokenaaaaaaaaaaaaaaaaaaaaa, tokenbbbbbbbbbbbbbbbbbbbbb")]),
    .init(
      name: "token creation with tokens switched off is an error",
      yaml: "users:\n  - username: bob\n    tokens:\n      - description: ci\n",
      users: [P.user("bob")], tokensEnabled: false, steps: ["create_token bob ci"], notes: [.error("switched off")]),
    .init(
      name: "unreadable tokens are an error when managed", yaml: "users:\n  - username: bob\n    tokens: []\n",
      users: [P.user("bob")], tokens: nil, steps: [], notes: [.error("could not be read")]),
    // Unmanaged users
    .init(name: "unmanaged users are ignored by default", yaml: "users: []\n", users: [P.user("bob")], steps: []),
    .init(
      name: "unmanaged users are deactivated when asked",
      yaml: "settings:\n  unmanaged_users: deactivate\nusers:\n  - username: admin\n", users: [P.user("bob")],
      steps: ["deactivate_user bob"]),
    .init(
      name: "unmanaged bots are never deactivated",
      yaml: "settings:\n  unmanaged_users: deactivate\nusers:\n  - username: admin\n",
      users: [P.user("bot", bot: true)], steps: []),
    .init(
      name: "unmanaged protected users are never deactivated",
      yaml: "settings:\n  unmanaged_users: deactivate\n  protected_users: [Bob]\nusers:\n  - username: admin\n",
      users: [P.user("bob")], steps: []),
    .init(
      name: "unmanaged inactive users need nothing",
      yaml: "settings:\n  unmanaged_users: deactivate\nusers:\n  - username: admin\n",
      users: [P.user("bob", active: false)], steps: []),
    .init(
      name: "the acting user is never deactivated as unmanaged",
      yaml: "settings:\n  unmanaged_users: deactivate\nusers: []\n", steps: [],
      notes: [.warning("not deactivating the acting user")]),
    // Protection of the acting user and protected users
    .init(
      name: "the acting user is never deactivated", yaml: "users:\n  - username: admin\n    active: false\n",
      steps: [], notes: [.warning("never locks itself out")]),
    .init(
      name: "the acting user is never demoted", yaml: "users:\n  - username: admin\n    roles: [system_user]\n",
      steps: [], notes: [.warning("not removing system_admin")]),
    .init(
      name: "the acting user keeps its tokens", yaml: "users:\n  - username: admin\n    tokens: []\n",
      tokens: [LiveToken(id: "admintok00000000000000000a", userID: P.admin.id, description: "roster", isActive: true)],
      steps: [], notes: [.warning("not revoking token \"roster\"")]),
    .init(
      name: "the acting user can still be patched", yaml: "users:\n  - username: admin\n    position: Ops\n",
      steps: ["patch_profile admin"]),
    .init(
      name: "the acting user's own email needs its password, so it is left alone",
      yaml: "users:\n  - username: admin\n    email: new-admin@example.com\n    nickname: boss\n",
      steps: ["patch_profile admin"], notes: [.warning("requires its password")]),
    .init(
      name: "protected users are never touched",
      yaml: "settings:\n  protected_users: [bob]\nusers:\n  - username: bob\n    active: false\n    position: X\n",
      users: [P.user("bob")], steps: []),
    // Invariants and gates
    .init(
      name: "min_system_admins blocks a plan that would leave too few",
      yaml: "settings:\n  min_system_admins: 2\nusers:\n  - username: bob\n    roles: [system_user]\n",
      users: [P.user("bob", roles: "system_user system_admin")], steps: ["set_roles bob"],
      notes: [.error("1 active system admin would remain")]),
    .init(
      name: "min_system_admins counts admins created in the plan",
      yaml:
        "settings:\n  min_system_admins: 2\nusers:\n  - username: new\n    email: n@example.com\n    password: ${PW}\n    roles: [system_user, system_admin]\n",
      steps: ["create_user new", "set_roles new"]),
    .init(
      name: "min_system_admins counts admins the plan reactivates",
      yaml: "settings:\n  min_system_admins: 2\nusers:\n  - username: old\n",
      users: [P.user("old", roles: "system_user system_admin", active: false)], steps: ["reactivate_user old"]),
    .init(
      name: "deactivations above the threshold are gated",
      yaml: "settings:\n  unmanaged_users: deactivate\n  max_deactivations: 1\nusers:\n  - username: admin\n",
      users: [P.user("a1"), P.user("a2")], steps: ["deactivate_user a1", "deactivate_user a2"], gates: 1),
    .init(
      name: "--force lets mass deactivations through with a warning",
      yaml: "settings:\n  unmanaged_users: deactivate\n  max_deactivations: 1\nusers:\n  - username: admin\n",
      users: [P.user("a1"), P.user("a2")], force: true, steps: ["deactivate_user a1", "deactivate_user a2"],
      notes: [.warning("allowed by --force")]),
    .init(
      name: "percentage threshold never goes below three",
      yaml: "settings:\n  unmanaged_users: deactivate\nusers:\n  - username: admin\n",
      users: [P.user("a1"), P.user("a2"), P.user("a3")],
      steps: ["deactivate_user a1", "deactivate_user a2", "deactivate_user a3"]),
    .init(
      name: "percentage threshold gates a quarter of many users",
      yaml:
        "settings:\n  unmanaged_users: deactivate\n  max_deactivations: '10%'\nusers:\n  - username: admin\n  - username: k1\n  - username: k2\n  - username: k3\n  - username: k4\n  - username: k5\n  - username: k6\n  - username: k7\n  - username: k8\n  - username: k9\n",
      users: (1...9).map { P.user("k\($0)") } + [P.user("x1"), P.user("x2"), P.user("x3"), P.user("x4")],
      steps: ["deactivate_user x1", "deactivate_user x2", "deactivate_user x3", "deactivate_user x4"], gates: 1),
    // SSO classification
    .init(
      name: "oauth email change is dropped with a warning",
      yaml: "users:\n  - username: g\n    email: new@example.com\n",
      users: [P.user("g", auth: "gitlab")], steps: [], notes: [.warning("drops the change (will revert)")]),
    .init(
      name: "oauth name change is not actionable", yaml: "users:\n  - username: g\n    first_name: New\n",
      users: [P.user("g", auth: "google")], steps: [], notes: [.warning("refuses the change (409)")]),
    .init(
      name: "oauth nickname change is fine", yaml: "users:\n  - username: g\n    nickname: New\n",
      users: [P.user("g", auth: "google")], steps: ["patch_profile g"]),
    .init(
      name: "ldap email change is not actionable", yaml: "users:\n  - username: l\n    email: new@example.com\n",
      users: [P.user("l", auth: "ldap")], steps: [], notes: [.warning("refuses the change (400)")]),
    .init(
      name: "ldap position change will revert", yaml: "users:\n  - username: l\n    position: X\n",
      users: [P.user("l", auth: "ldap")], steps: [], notes: [.warning("directory sync overwrites it")]),
    .init(
      name: "ldap roles are still managed", yaml: "users:\n  - username: l\n    roles: [system_user, system_admin]\n",
      users: [P.user("l", auth: "ldap")], steps: ["set_roles l"]),
    .init(
      name: "changing how a user signs in is not actionable",
      yaml: "users:\n  - username: bob\n    auth_service: ldap\n",
      users: [P.user("bob")], steps: [], notes: [.warning("cannot change how an existing account signs in")]),
  ]

  @Test func thereAreAtLeastFiftyCases() { #expect(Self.cases.count >= 50) }

  @Test(arguments: cases)
  func plans(_ c: PlannerCase) {
    let plan = P.plan(
      c.yaml, users: c.users, tokens: c.tokens, acting: c.acting, tokensEnabled: c.tokensEnabled, force: c.force)
    #expect(P.lines(plan) == c.steps)
    P.expectNotes(plan, c.notes)
    #expect(plan.gates.count == c.gates, "\(plan.gates)")
  }

  @Test func dependenciesPointAtTheCreate() {
    let plan = P.plan(
      "users:\n  - username: alice\n    email: a@example.com\n    password: ${PW}\n    roles: [system_user, system_admin]\n    tokens:\n      - description: ci\n        active: false\n"
    )
    #expect(
      P.lines(plan) == ["create_user alice", "set_roles alice", "create_token alice ci", "disable_token alice ci"])
    #expect(plan.steps[1].dependsOn == [0])
    #expect(plan.steps[2].dependsOn == [0])
    #expect(plan.steps[3].dependsOn == [2])
    #expect(plan.steps[1].rolesAfter == ["system_user", "system_admin"], "one canonical order")
  }

  @Test func patchCarriesOnlyChangedFieldsWithOldAndNew() async throws {
    let plan = P.plan(
      "users:\n  - username: bob\n    first_name: Bob\n    last_name: New\n",
      users: [P.user("bob", first: "Bob", last: "Old")])
    let step = try #require(plan.steps.first)
    #expect(step.changes == [FieldChange(field: "last_name", old: "Old", new: "New")])
  }

  @Test func passwordsAppearOnlyAsReferences() async throws {
    let plan = P.plan("users:\n  - username: alice\n    email: a@example.com\n    password: ${PW}\n")
    #expect(plan.steps.first?.passwordReference == "${PW}")
    let json = PlanDocument(plan: plan, server: nil, acting: nil, requests: nil).json()
    #expect(!json.contains("long-enough-pw"))
  }

  @Test func summaryCountsEachKind() {
    let plan = P.plan(
      "settings:\n  unmanaged_users: deactivate\nusers:\n  - username: admin\n  - username: n\n    email: n@example.com\n    password: ${PW}\n  - username: u\n    position: X\n    tokens:\n      - description: new\n",
      users: [P.user("u"), P.user("gone")], tokens: [P.token("u", "old")])
    #expect(plan.summary == "Plan: 1 to create, 1 to update, 1 to deactivate, 1 token to create, 1 to revoke.")
  }

  @Test func aRotationRevokesOnlyAfterTheCreatesOfThatUser() {
    // Create before destroy: a failed create leaves the old token working.
    let plan = P.plan(
      "users:\n  - username: bob\n    tokens:\n      - description: new\n",
      users: [P.user("bob")], tokens: [P.token("bob", "old")])
    let create = plan.steps.first { $0.kind == .createToken }
    let revoke = plan.steps.first { $0.kind == .revokeToken }
    #expect(create != nil && revoke != nil)
    #expect(revoke?.dependsOn == [create?.index ?? -1])
  }
}
