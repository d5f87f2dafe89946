import RosterCore
import Testing

/// --only: a partial plan keeps the targeted users' steps, computes gates on them, and says what it cut off.
extension LifecyclePlannerTests {
  static let messy = """
    settings:
      max_deactivations: 1
    users:
      - username: admin
      - username: alice
        active: false
      - username: bob
        active: false
      - username: carol
        email: carol@b.example.com
    """

  @Test func onlyKeepsTheTargetedStepsAndComputesGatesOnThem() {
    let users = [P.user("alice"), P.user("bob"), P.user("carol"), P.user("dave", email: "carol@b.example.com")]
    let whole = P.plan(Self.messy, users: users)
    #expect(!whole.gates.isEmpty && !whole.errors.isEmpty)
    var options = PlanOptions()
    options.only = ["alice"]
    let partial = P.plan(Self.messy, users: users, options: options)
    #expect(P.lines(partial) == ["deactivate_user alice"])
    #expect(partial.gates.isEmpty && partial.errors.isEmpty, "\(partial.gates) \(partial.errors)")
    #expect(partial.warnings.contains { $0.username == "carol" && $0.message.contains("not targeted by --only") })
    #expect(partial.only == ["alice"])
    #expect(partial.headline.contains("Partial plan"))
  }

  @Test func onlyMatchesAPreviousUsername() {
    var options = PlanOptions()
    options.only = ["rob"]
    let plan = P.plan(
      "users:\n  - username: robin\n    previous_usernames: [rob]\n  - username: zed\n    nickname: Z\n",
      users: [P.user("rob"), P.user("zed")], options: options)
    #expect(P.lines(plan) == ["rename_user robin"])
  }

  @Test func onlyAnUnknownNameIsAnError() {
    var options = PlanOptions()
    options.only = ["nobody"]
    let plan = P.plan("users:\n  - username: admin\n", options: options)
    P.expectNotes(plan, [.error("--only nobody: no such user")])
  }

  @Test func onlyReportsAHandoverItCutsOff() {
    var options = PlanOptions()
    options.only = ["a"]
    let plan = P.plan(
      "users:\n  - username: a\n    email: b@example.com\n  - username: b\n    email: new-b@example.com\n",
      users: [P.user("a"), P.user("b")], options: options)
    P.expectNotes(plan, [.error("add --only b")])
  }

  @Test func onlyTurnsOtherUsersLoadErrorsIntoWarnings() {
    let yaml = "version: 1\nusers:\n  - username: a\n    email: not-an-email\n  - username: b\n    nickname: B\n"
    let file = ManifestFile(name: "t.yaml", bytes: Array(yaml.utf8))
    #expect(ManifestLoader.load([file], env: [:]).manifest == nil)
    let targeted = ManifestLoader.load([file], env: [:], only: ["b"])
    #expect(targeted.manifest?.users.map(\.username) == ["b"])
    #expect(targeted.diagnostics.contains { $0.severity == .warning && $0.message.contains("not targeted by --only") })
    #expect(ManifestLoader.load([file], env: [:], only: ["a"]).manifest == nil)
  }
}
