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
  static let cases: [PlannerCase] = guestAndCreateCases + updateAndTokenCases + safeguardCases

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
