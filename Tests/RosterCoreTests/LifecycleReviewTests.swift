import RosterCore
import Testing

/// Cases from a review of the day-2 change.
@Suite struct LifecycleReviewTests {
  @Test func aLongChainOfMovedAddressesIsOrderedAndALastHolderBreaksItAll() {
    let n = 3_000
    var yaml = "users:\n"
    // Names end in x: P.user pads names with zeros into ids, and c1 and c10 would share one.
    for i in 0..<n { yaml += "  - username: c\(i)x\n    email: c\(i + 1)x@example.com\n" }
    let users = (0...n).map { P.user("c\($0)x") }
    let plan = P.plan(yaml + "  - username: c\(n)x\n    email: free@example.com\n", users: users)
    #expect(plan.errors.isEmpty && plan.steps.count == n + 1, "\(plan.errors.prefix(3)) \(plan.steps.count)")
    var done = Set<Int>()
    for step in plan.steps {
      #expect(step.dependsOn.allSatisfy(done.contains), "\(step.username) runs before the address is free")
      done.insert(step.index)
    }
    let kept = P.plan(yaml, users: users)  // c(n) keeps its address: no link can move
    #expect(kept.steps.isEmpty && kept.errors.count == n)
  }

  @Test func onlyTheOldNameTargetsEveryStepOfTheRenamedAccount() {
    var options = PlanOptions()
    options.only = ["rob"]
    let plan = P.plan(
      "users:\n  - username: robin\n    previous_usernames: [rob]\n    roles: [system_user]\n    active: false\n",
      users: [P.user("rob", roles: "system_user system_admin")], options: options)
    #expect(P.lines(plan) == ["rename_user robin", "set_roles robin", "deactivate_user robin"])
  }

  @Test func aRequiredAdminNamedByItsOldNameIsStillRequired() {
    let plan = P.plan(
      "settings:\n  required_admins: [rob]\nusers:\n  - username: robin\n    previous_usernames: [rob]\n    roles: [system_user]\n",
      users: [P.user("rob", roles: "system_user system_admin")])
    P.expectNotes(plan, [.error("is in required_admins")])
  }

  @Test func aPreviousNameThatIsStillASeparateAccountIsUnmanaged() {
    let plan = P.plan(
      "settings:\n  unmanaged_users: deactivate\n  max_deactivations: 100%\nusers:\n  - username: admin\n  - username: u8\n    email: u8@example.com\n    previous_usernames: [carol]\n",
      users: [P.user("u8"), P.user("carol")])
    #expect(P.lines(plan) == ["deactivate_user carol"])
  }

  @Test func onlyCannotRenameOntoADroppedEntrysName() {
    let yaml = "version: 1\nusers:\n  - username: u3\n    typo: 1\n  - username: robin\n    previous_usernames: [u3]\n"
    let result = ManifestLoader.load([ManifestFile(name: "t.yaml", bytes: Array(yaml.utf8))], env: [:], only: ["robin"])
    #expect(result.manifest == nil)
    #expect(result.diagnostics.contains { $0.severity == .error && $0.message.contains("is declared as a user") })
  }

  @Test func aSavedPlanCannotRelabelARevokeOrMailAStranger() throws {
    let bob = P.user("bob")
    let ci = P.token("bob", "ci", id: "tokci")
    let live = LiveState(
      users: [P.admin, bob], tokens: [ci, P.token("bob", "deploy", id: "tokdeploy")], acting: P.admin)
    var revoke = Step(.token(.revokeToken(description: "deploy", tokenID: "tokci")), username: "bob", userID: bob.id)
    revoke.index = 0
    let problems = Safety.stepProblems([revoke], live: live, protectedUsers: [])
    #expect(problems.contains { $0.contains("is described \"ci\", not \"deploy\"") }, "\(problems)")
    let mailed = try PlanFileTests.problem { _, steps in
      PlanFileTests.setChange(
        &steps[PlanFileTests.position(of: "send_password_reset", in: steps)], "email", "carol@example.com")
    }
    #expect(mailed?.contains("send_password_reset must follow the create") == true, "\(mailed ?? "loaded")")
  }
}
