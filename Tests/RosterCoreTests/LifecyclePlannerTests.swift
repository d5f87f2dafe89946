import RosterCore
import Testing

/// Day-2 changes: renames, targeted plans, field ownership, token rotation and onboarding.
@Suite struct LifecyclePlannerTests {
  static let cases: [PlannerCase] = [
    // Renames: PUT /users/{id}/patch with username (model/user.go UserPatch), never create + deactivate.
    .init(
      name: "a previous username on the server is renamed in place",
      yaml: "users:\n  - username: robin\n    previous_usernames: [rob]\n", users: [P.user("rob")],
      steps: ["rename_user robin"]),
    .init(
      name: "a rename carries the other profile changes in the same call",
      yaml: "users:\n  - username: robin\n    previous_usernames: [rob]\n    position: Lead\n",
      users: [P.user("rob")], steps: ["rename_user robin"]),
    .init(
      name: "when the new name exists (the declared person's email) the previous one is not renamed, with a warning",
      yaml: "users:\n  - username: robin\n    previous_usernames: [rob]\n    email: robin@example.com\n",
      users: [P.user("rob"), P.user("robin")], steps: [], notes: [.warning("still a separate active account")]),
    .init(
      name: "when the new name exists and no email says whose it is, it is not taken as the renamed account",
      yaml: "users:\n  - username: robin\n    previous_usernames: [rob]\n", users: [P.user("rob"), P.user("robin")],
      steps: [], notes: [.error("another account (id robin")]),
    .init(
      name: "a deactivated account holding the new name is never reactivated in place of the rename (unique index)",
      yaml:
        "settings:\n  unmanaged_users: deactivate\nusers:\n  - username: robin\n    previous_usernames: [rob]\n",
      users: [P.user("rob"), P.user("robin", active: false), P.admin], steps: [],
      notes: [
        .error("roster will not reactivate the old robin", "separate active account (id rob"),
        .warning("not deactivating the acting user"),
      ]),
    .init(
      name: "a new name someone else took (another email) is an error, not an update of their account",
      yaml: "users:\n  - username: robin\n    previous_usernames: [rob]\n    email: rob@example.com\n",
      users: [P.user("rob"), P.user("robin", email: "squatter@example.com")], steps: [],
      notes: [.error("another account (id robin")]),
    .init(
      name: "a create that meets an account with another email is an error (a squatted pending name)",
      yaml:
        "users:\n  - username: newhire\n    email: n@example.com\n    password: ${PW}\n    roles: [system_user, system_admin]\n",
      users: [P.user("newhire", email: "squatter@example.com")], steps: [],
      notes: [.error("declared to be created (it has password)")]),
    .init(
      name: "initial_password and send_password_reset are creation intent too",
      yaml:
        "users:\n  - username: newhire\n    email: n@example.com\n    initial_password: generate\n    send_password_reset: true\n",
      users: [P.user("newhire", email: "squatter@example.com")], steps: [],
      notes: [.error("(it has initial_password, send_password_reset)")]),
    .init(
      name: "a create that meets the same person (same email) is an update",
      yaml:
        "users:\n  - username: newhire\n    email: N@example.com\n    password: ${PW}\n    roles: [system_user, system_admin]\n",
      users: [P.user("newhire", email: "n@example.com")], steps: ["set_roles newhire"]),
    .init(
      name: "neither name on the server is a create",
      yaml:
        "users:\n  - username: robin\n    previous_usernames: [rob]\n    email: r@example.com\n    password: ${PW}\n",
      steps: ["create_user robin"]),
    .init(
      name: "an SSO account cannot be renamed (api.user.patch_user.login_provider_attribute_set.app_error)",
      yaml: "users:\n  - username: robin\n    previous_usernames: [rob]\n", users: [P.user("rob", auth: "saml")],
      steps: [], notes: [.error("refuses username changes")]),
    .init(
      name: "a renamed account is not unmanaged, so never deactivated",
      yaml:
        "settings:\n  unmanaged_users: deactivate\nusers:\n  - username: admin\n  - username: robin\n    previous_usernames: [rob]\n",
      users: [P.user("rob")], steps: ["rename_user robin"]),
    .init(
      name: "a renamed account's roles and tokens are planned against the same id",
      yaml:
        "users:\n  - username: robin\n    previous_usernames: [rob]\n    roles: [system_user, system_admin]\n    tokens:\n      - description: ci\n",
      users: [P.user("rob")], tokens: [P.token("rob", "old")],
      steps: ["rename_user robin", "set_roles robin", "create_token robin ci", "revoke_token robin old"]),
    // Email handovers (the server refuses a duplicate address at every moment: app.user.save.email_exists)
    .init(
      name: "an address another user gives up waits for that user's patch",
      yaml:
        "users:\n  - username: a\n    email: b@example.com\n  - username: b\n    email: new-b@example.com\n",
      users: [P.user("a"), P.user("b")], steps: ["patch_profile b", "patch_profile a"]),
    .init(
      name: "two users swapping addresses is refused with the reason",
      yaml: "users:\n  - username: a\n    email: b@example.com\n  - username: b\n    email: a@example.com\n",
      users: [P.user("a"), P.user("b")], steps: [],
      notes: [
        .error("cannot change email to b@example.com while b takes", "addresses cannot be swapped in one plan"),
        .error("cannot change email to a@example.com while a takes", "addresses cannot be swapped in one plan"),
      ]),
    .init(
      name: "an address its owner keeps is still an error",
      yaml: "users:\n  - username: a\n    email: b@example.com\n  - username: b\n",
      users: [P.user("a"), P.user("b")], steps: [], notes: [.error("already used by b")]),
    // Field ownership
    .init(
      name: "managed_fields leaves the other fields alone",
      yaml:
        "settings:\n  managed_fields: [email, roles]\nusers:\n  - username: bob\n    nickname: Bobby\n    roles: [system_user, system_admin]\n",
      users: [P.user("bob", nickname: "B")], steps: ["set_roles bob"]),
    .init(
      name: "ignore_fields on one user leaves that field alone",
      yaml: "users:\n  - username: bob\n    nickname: Bobby\n    position: Dev\n    ignore_fields: [nickname]\n",
      users: [P.user("bob", nickname: "B", position: "Ops")], steps: ["patch_profile bob"]),
    .init(
      name: "ignored tokens are not compared",
      yaml: "users:\n  - username: bob\n    tokens: []\n    ignore_fields: [tokens]\n", users: [P.user("bob")],
      tokens: [P.token("bob", "mine")], steps: []),
    .init(
      name: "an unmanaged field is still sent when the user is created",
      yaml:
        "settings:\n  managed_fields: [email]\nusers:\n  - username: nina\n    email: n@example.com\n    password: ${PW}\n    nickname: Nin\n",
      steps: ["create_user nina"]),
    // Onboarding
    .init(
      name: "initial_password: generate creates without a password variable",
      yaml: "users:\n  - username: nina\n    email: n@example.com\n    initial_password: generate\n",
      steps: ["create_user nina"]),
    .init(
      name: "send_password_reset follows the create",
      yaml:
        "users:\n  - username: nina\n    email: n@example.com\n    initial_password: generate\n    send_password_reset: true\n",
      steps: ["create_user nina", "send_password_reset nina"]),
    .init(
      name: "send_password_reset does nothing for an existing user",
      yaml: "users:\n  - username: nina\n    send_password_reset: true\n", users: [P.user("nina")], steps: []),
  ]

  @Test(arguments: cases)
  func plans(_ c: PlannerCase) {
    let plan = P.plan(c.yaml, users: c.users, tokens: c.tokens, acting: c.acting, force: c.force)
    #expect(P.lines(plan) == c.steps)
    P.expectNotes(plan, c.notes)
  }

  @Test func aRenameIsOnePatchWithTheUsernameFirstAndKeepsTheID() throws {
    let plan = P.plan(
      "users:\n  - username: Robin\n    previous_usernames: [Rob]\n    position: Lead\n", users: [P.user("rob")])
    let step = try #require(plan.steps.first)
    #expect(step.userID == P.user("rob").id)
    #expect(step.renamedFrom == "rob")
    #expect(step.changes.map(\.field) == ["username", "position"])
    #expect(step.changes.first?.new == "robin")
  }

  @Test func anEmailHandoverDependsOnThePatchThatFreesTheAddress() throws {
    let plan = P.plan(
      "users:\n  - username: a\n    email: b@example.com\n  - username: b\n    email: new-b@example.com\n",
      users: [P.user("a"), P.user("b")])
    let a = try #require(plan.steps.first { $0.username == "a" })
    let b = try #require(plan.steps.first { $0.username == "b" })
    #expect(a.dependsOn == [b.index])
  }

  @Test func twoUsersCannotClaimOnePreviousName() {
    let yaml =
      "version: 1\nusers:\n  - username: a\n    previous_usernames: [old]\n  - username: b\n    previous_usernames: [old]\n"
    let result = ManifestLoader.load([ManifestFile(name: "t.yaml", bytes: Array(yaml.utf8))], env: [:])
    #expect(result.manifest == nil)
    #expect(result.diagnostics.contains { $0.message.contains("one account cannot become two") })
  }

  @Test func aPreviousNameThatIsDeclaredIsAnError() {
    let yaml = "version: 1\nusers:\n  - username: a\n    previous_usernames: [b]\n  - username: b\n"
    let result = ManifestLoader.load([ManifestFile(name: "t.yaml", bytes: Array(yaml.utf8))], env: [:])
    #expect(result.diagnostics.contains { $0.severity == .error && $0.message.contains("is declared as a user") })
  }

  @Test func generatedPasswordsMeetTheStrictestPolicy() {
    let policy = PasswordPolicy(minimumLength: 40, lowercase: true, uppercase: true, number: true, symbol: true)
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<200 {
      let password = PasswordGenerator.generate(for: policy, using: &rng)
      #expect(policy.problem(password) == nil, "\(password.count) bytes")
      #expect(password.utf8.count == 40)
    }
    let impossible = P.plan(
      "users:\n  - username: nina\n    email: n@example.com\n    initial_password: generate\n",
      policy: PasswordPolicy(minimumLength: 80))
    #expect(impossible.errors.contains { $0.message.contains("above its maximum") })
  }
}
