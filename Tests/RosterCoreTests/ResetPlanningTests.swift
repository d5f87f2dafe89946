import Foundation
import RosterCore
import Testing

/// A password reset the server could not mail (app/user.go SendPasswordReset, 500
/// api.user.send_password_reset.send.app_error) is planned again for the existing account, to its
/// current address; a saved plan may carry such a reset only to the address the server holds.
@Suite struct ResetPlanningTests {
  static let yaml = "users:\n  - username: nina\n    email: nina@example.com\n    send_password_reset: true\n"

  func options(_ pending: Set<String>) -> PlanOptions {
    var options = PlanOptions()
    options.pendingResets = pending
    return options
  }

  @Test func aPendingResetIsPlannedAgainToTheCurrentAddress() {
    let nina = P.user("nina", email: "Nina@Example.com")
    let plan = P.plan(Self.yaml, users: [nina], options: options(["nina"]))
    #expect(P.lines(plan) == ["send_password_reset nina"])
    #expect(plan.steps.first?.userID == nina.id)
    guard case .user(.sendPasswordReset(let email))? = plan.steps.first?.change else { return }
    #expect(email == "nina@example.com")
    #expect(P.plan(Self.yaml, users: [nina]).steps.isEmpty, "nothing pending, nothing sent")
  }

  @Test func aResetIsNotAskedAgainForAnAccountThatCannotReceiveIt() {
    for nina in [P.user("nina", active: false), P.user("nina", auth: "gitlab")] {
      let plan = P.plan(Self.yaml, users: [nina], options: options(["nina"]))
      #expect(plan.steps.allSatisfy { $0.kind != .sendPasswordReset })
    }
    let undeclared = "users:\n  - username: nina\n    email: nina@example.com\n"
    #expect(P.plan(undeclared, users: [P.user("nina")], options: options(["nina"])).steps.isEmpty)
  }

  @Test func aSavedResetMustGoToTheAccountsOwnAddress() {
    let nina = P.user("nina")
    let live = LiveState(users: [P.admin, nina], tokens: [], acting: P.admin)
    func step(_ email: String, _ id: String) -> Step {
      Step(.user(.sendPasswordReset(email: email)), username: "nina", userID: id)
    }
    #expect(ResetCheck.problems([step("NINA@example.com", nina.id)], live: live).isEmpty)
    let elsewhere = ResetCheck.problems([step("attacker@evil.example", nina.id)], live: live)
    #expect(elsewhere.first?.contains("is not the account's address") == true, "\(elsewhere)")
    let admin = ResetCheck.problems([step(P.admin.email, P.admin.id)], live: live)
    #expect(admin.contains { $0.contains("acting user") }, "\(admin)")
    let gone = LiveState(users: [P.admin, P.user("nina", active: false)], tokens: [], acting: P.admin)
    #expect(ResetCheck.problems([step(nina.email, nina.id)], live: gone).contains { $0.contains("deactivated") })
  }

  @Test func aSavedPlanMayCarryAResetForAnExistingAccountByID() throws {
    let reset = { (steps: [[String: Any]]) in PlanFileTests.position(of: "send_password_reset", in: steps) }
    let existing = try PlanFileTests.problem { _, steps in
      steps[reset(steps)]["user_id"] = P.user("nina").id
      steps[reset(steps)]["depends_on"] = [Int]()
    }
    #expect(existing == nil)
    let both = try PlanFileTests.problem { _, steps in steps[reset(steps)]["user_id"] = P.user("nina").id }
    #expect(both?.contains("send_password_reset must follow the create") == true, "\(both ?? "loaded")")
    let readdressed = try PlanFileTests.problem { _, steps in
      PlanFileTests.setChange(&steps[reset(steps)], "email", "x@evil.example")
    }
    #expect(readdressed?.contains("send_password_reset must follow the create") == true, "\(readdressed ?? "loaded")")
  }
}
