import Foundation
@testable import RosterClient
import RosterCore
import Testing

/// Apply's policy as a library: what stops it before any write, and how a run ends.
@Suite struct ApplySessionTests {
  let reader = ServerReader(
    transport: ScriptedTransport(), options: ConnectionOptions(baseURL: "http://test", token: "t"))

  func prepared(_ plan: Plan, problems: [String] = []) -> PreparedApply {
    PreparedApply(plan: plan, passwords: ["alice": "alice-password"]) { _ in problems }
  }

  func run(
    _ session: ApplySession, _ plan: Plan, server: InMemoryServer, approval: Approval = .approved,
    problems: [String] = []
  ) async -> ApplyResult {
    await session.run(prepared(plan, problems: problems), writer: server, reader: reader, progress: nil) { approval }
  }

  static let withoutTokens = ApplierTests.plan([
    (
      Step(
        .user(.patchProfile([FieldChange(field: "first_name", old: "Bob", new: "Robert")])), username: "bob",
        userID: ApplierTests.bob.id), []
    )
  ])

  func server() -> InMemoryServer { InMemoryServer(users: [ApplierTests.admin, ApplierTests.bob]) }

  @Test func planErrorsStopBeforeAnyWrite() async {
    var plan = Self.withoutTokens
    plan.notes = [PlanNote(.error, "x", "cannot create")]
    let server = server()
    guard case .planHasErrors = await run(ApplySession(), plan, server: server) else {
      Issue.record("expected plan errors")
      return
    }
    #expect(await server.calls.isEmpty)
  }

  @Test func gatesRefuseUnlessForced() async {
    var plan = Self.withoutTokens
    plan.gates = ["too many deactivations"]
    let server = server()
    guard case .gated(let gates) = await run(ApplySession(), plan, server: server) else {
      Issue.record("expected a gate")
      return
    }
    #expect(gates == ["too many deactivations"])
    #expect(await server.calls.isEmpty)
    guard case .applied(_, let problems) = await run(ApplySession(force: true), plan, server: server) else {
      Issue.record("--force lifts the gate")
      return
    }
    #expect(problems == [])
  }

  @Test func tokensNeedASink() async {
    let server = server()
    guard case .missingSink = await run(ApplySession(), ApplierTests.everyKind, server: server) else {
      Issue.record("expected a missing sink")
      return
    }
    #expect(await server.calls.isEmpty)
  }

  @Test func aDeclinedOrUnattendedRunWritesNothing() async {
    let server = server()
    if case .declined = await run(ApplySession(), Self.withoutTokens, server: server, approval: .declined) {
    } else {
      Issue.record("expected declined")
    }
    if case .unattended = await run(ApplySession(), Self.withoutTokens, server: server, approval: .unattended) {
    } else {
      Issue.record("expected unattended")
    }
    #expect(await server.calls.isEmpty)
  }

  @Test func verificationProblemsComeBackWithTheReport() async {
    let server = server()
    let result = await run(ApplySession(), Self.withoutTokens, server: server, problems: ["bob: first_name is \"Bob\""])
    guard case .applied(let report, let problems) = result else {
      Issue.record("expected applied")
      return
    }
    #expect(report.done == 1 && problems == ["bob: first_name is \"Bob\""])
    guard case .applied(_, nil) = await run(ApplySession(verify: false), Self.withoutTokens, server: server) else {
      Issue.record("no verification when switched off")
      return
    }
  }

  @Test func failuresEndIncomplete() async {
    let server = server()
    await server.script("patch_user bob", .refuse(400))
    guard case .incomplete(let report) = await run(ApplySession(), Self.withoutTokens, server: server) else {
      Issue.record("expected incomplete")
      return
    }
    #expect(report.failed == 1 && report.done == 0)
  }

  @Test func anEmptyPlanIsNothingToDo() async {
    guard case .nothingToDo = await run(ApplySession(), Plan(), server: server()) else {
      Issue.record("expected nothing to do")
      return
    }
  }

  @Test func anActiveCallThatAnsweredOKButDidNothingIsNamedAsSuch() {
    // api4/user.go updateUserActive sets c.Err without returning: 200, and the user is unchanged.
    let step = Step(.user(.deactivateUser), username: "dave", userID: ApplierTests.dave.id)
    #expect(
      PreparedApply.notTakenEffect(step)
        == "dave: deactivate_user did not take effect, although the server answered 200")
    let patch = Step(
      .user(.patchProfile([FieldChange(field: "position", old: "a", new: "b")])), username: "dave", userID: "x")
    #expect(PreparedApply.notTakenEffect(patch) == "still planned: patch_profile dave")
  }
}
