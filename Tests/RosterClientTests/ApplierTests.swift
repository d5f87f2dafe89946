import Foundation
import RosterClient
import RosterCore
import Testing

/// The applier's policy on an in-memory server, with failures scripted rather than drawn at random:
/// phase order, dependents skipped, no destructive step after a failure, ambiguous creates, sink failures.
@Suite struct ApplierTests {
  static let admin = LiveUser(id: "admin0000000000000000000000", username: "admin", roles: "system_admin system_user")
  static let bob = LiveUser(id: "bob00000000000000000000000", username: "bob", firstName: "Bob")
  static let carol = LiveUser(id: "carol000000000000000000000", username: "carol", deleteAt: 5)
  static let dave = LiveUser(id: "dave0000000000000000000000", username: "dave")
  static let oldToken = LiveToken(id: "tok00000000000000000000000", userID: bob.id, description: "old", isActive: true)

  /// Numbers the steps in order; `after` lists each step's dependencies by position.
  static func plan(_ entries: [(Step, [Int])]) -> Plan {
    var steps: [Step] = []
    for (position, (step, after)) in entries.enumerated() {
      var step = step
      step.index = position
      step.dependsOn = after
      steps.append(step)
    }
    return Plan(steps: steps)
  }

  static let createAlice = Step(
    .user(
      .createUser(
        fields: [
          FieldChange(field: "username", old: nil, new: "alice"),
          FieldChange(field: "email", old: nil, new: "a@example.com"),
        ],
        password: .reference("${PW}"))),
    username: "alice", userID: nil)

  /// Every kind, in the planner's order.
  static let everyKind = plan([
    (createAlice, []),
    (Step(.user(.reactivateUser), username: "carol", userID: carol.id), []),
    (
      Step(
        .user(.patchProfile([FieldChange(field: "first_name", old: "Bob", new: "Robert")])), username: "bob",
        userID: bob.id),
      []
    ),
    (
      Step(
        .user(.setRoles(before: ["system_user"], after: ["system_user", "system_admin"])), username: "alice",
        userID: nil),
      [0]
    ),
    (Step(.token(.createToken(description: "ci")), username: "alice", userID: nil), [0]),
    (Step(.token(.revokeToken(description: "old", tokenID: oldToken.id)), username: "bob", userID: bob.id), []),
    (Step(.user(.deactivateUser), username: "dave", userID: dave.id), []),
  ])

  func run(
    _ plan: Plan, on server: InMemoryServer, sink: (any SecretStore)? = MemorySecretStore(), parallelism: Int = 1
  ) async -> [Int: StepOutcome] {
    await Applier(
      writer: server, plan: plan, passwords: ["alice": "alice-password"], sink: sink, parallelism: parallelism,
      progress: nil
    )
    .run()
  }

  func freshServer() -> InMemoryServer {
    InMemoryServer(users: [Self.admin, Self.bob, Self.carol, Self.dave], tokens: [Self.oldToken])
  }

  @Test func phasesRunInOrderAndLaterStepsUseTheCreatedUsersID() async {
    let server = freshServer()
    let outcomes = await run(Self.everyKind, on: server)
    #expect(outcomes.values.allSatisfy { $0.succeeded })
    let calls = await server.calls
    #expect(
      calls == [
        "create_user alice", "set_active carol true", "patch_user bob", "set_roles alice", "create_token alice ci",
        "revoke_token \(Self.oldToken.id)", "set_active dave false",
      ])
    #expect(await server.named("alice")?.roles == "system_user system_admin")
    #expect(await server.named("bob")?.firstName == "Robert")
  }

  @Test func aGeneratedPasswordIsInTheSinkBeforeTheCreateAndTheResetFollows() async {
    let server = freshServer()
    await server.script("create_user nina", .loseAnswer)
    let create = Step(
      .user(
        .createUser(
          fields: [
            FieldChange(field: "username", old: nil, new: "nina"),
            FieldChange(field: "email", old: nil, new: "n@x.org"),
          ], password: .generated)), username: "nina", userID: nil)
    let reset = Step(.user(.sendPasswordReset(email: "n@x.org")), username: "nina", userID: nil)
    let sink = MemorySecretStore()
    let outcomes = await Applier(
      writer: server, plan: Self.plan([(create, []), (reset, [0])]), passwords: ["nina": "Generated-1!"], sink: sink,
      parallelism: 1, progress: nil
    ).run()
    #expect(outcomes.values.allSatisfy { $0.succeeded }, "\(outcomes)")
    #expect(sink.passwords == ["nina": "Generated-1!"], "kept although the create's answer was lost")
    #expect(await server.calls == ["create_user nina", "find_user nina", "send_password_reset n@x.org"])
    let noSink = await Applier(
      writer: freshServer(), plan: Self.plan([(create, [])]), passwords: ["nina": "Generated-1!"], sink: nil,
      parallelism: 1, progress: nil
    ).run()
    if case .failed(.noSink)? = noSink[0] {} else { Issue.record("a generated password needs a sink: \(noSink)") }
  }

  @Test func aRenameIsOnePatchWithTheNewUsername() async {
    let server = freshServer()
    let rename = Step(
      .user(
        .renameUser([
          FieldChange(field: "username", old: "bob", new: "robert"),
          FieldChange(field: "first_name", old: "Bob", new: "Robert"),
        ])), username: "robert", userID: Self.bob.id)
    let outcomes = await run(Self.plan([(rename, [])]), on: server)
    #expect(outcomes[0]?.succeeded == true)
    #expect(await server.calls == ["patch_user bob"])
    #expect(await server.named("robert")?.id == Self.bob.id)
    #expect(await server.named("robert")?.firstName == "Robert")
  }

  @Test func aFailedCreateSkipsItsDependentsAndIndependentWorkGoesOn() async {
    let server = freshServer()
    await server.script("create_user alice", .refuse(400))
    let outcomes = await run(Self.everyKind, on: server)
    #expect(outcomes[0]?.isFailure == true)
    guard case .skipped(let why)? = outcomes[3] else {
      Issue.record("roles of the uncreated user should be skipped: \(String(describing: outcomes[3]))")
      return
    }
    #expect(why == "a step it depends on did not succeed")
    if case .skipped? = outcomes[4] {} else { Issue.record("token of the uncreated user should be skipped") }
    #expect(outcomes[1]?.succeeded == true && outcomes[2]?.succeeded == true, "independent steps still run")
    let calls = await server.calls
    #expect(!calls.contains { $0.hasPrefix("set_roles") || $0.hasPrefix("create_token") })
  }

  @Test func noDestructiveStepStartsAfterAFailure() async {
    let server = freshServer()
    await server.script("patch_user bob", .refuse(500))
    let outcomes = await run(Self.everyKind, on: server)
    #expect(outcomes[2]?.isFailure == true)
    for index in [5, 6] {
      guard case .skipped(let why)? = outcomes[index] else {
        Issue.record("step \(index) should not start")
        continue
      }
      #expect(why.contains("no destructive step runs"))
    }
    let calls = await server.calls
    #expect(!calls.contains { $0.hasPrefix("revoke_token") || $0 == "set_active dave false" })
    #expect(await server.liveTokens(of: "bob").count == 1, "the old token was not revoked")
  }

  @Test func aFailureKeepsTheServersAnswer() async {
    let server = freshServer()
    await server.script("patch_user bob", .refuse(403))
    let outcomes = await run(Self.everyKind, on: server)
    guard case .failed(.api(let failure))? = outcomes[2] else {
      Issue.record("expected the API failure, got \(String(describing: outcomes[2]))")
      return
    }
    #expect(failure.status == 403 && failure.id == "scripted" && !failure.ambiguous)
  }

  @Test func aUserCreatedBehindALostAnswerIsAdoptedNotCreatedTwice() async {
    let server = freshServer()
    await server.script("create_user alice", .loseAnswer)
    let outcomes = await run(Self.everyKind, on: server)
    guard case .done(let note?)? = outcomes[0] else {
      Issue.record("expected done with a note, got \(String(describing: outcomes[0]))")
      return
    }
    #expect(note.contains("answer was lost"))
    let calls = await server.calls
    #expect(calls.count { $0 == "create_user alice" } == 1, "re-read instead of creating again")
    #expect(calls.contains("find_user alice"))
    #expect(outcomes[3]?.succeeded == true && outcomes[4]?.succeeded == true, "dependents use the adopted user's id")
  }

  @Test func aTokenCreatedBehindALostAnswerIsRevokedAndCreatedAgain() async throws {
    let server = freshServer()
    let sink = MemorySecretStore()
    await server.script("create_token alice ci", .loseAnswer)
    let outcomes = await run(Self.everyKind, on: server, sink: sink)
    #expect(outcomes[4]?.succeeded == true)
    let live = await server.liveTokens(of: "alice")
    #expect(live.count == 1, "the orphan whose secret nobody holds was revoked")
    let token = try #require(live.first)
    #expect(sink.secrets == [token.id: "secret-of-" + token.id], "the live token's secret is in the sink, and only it")
  }

  @Test func anIntentIsNotedBeforeTheCreate() async {
    let server = freshServer()
    let sink = MemorySecretStore()
    _ = await run(Self.everyKind, on: server, sink: sink)
    #expect(sink.intents == ["alice/ci"])
    let blocked = freshServer()
    let outcomes = await run(Self.everyKind, on: blocked, sink: MemorySecretStore(failing: .intents))
    guard case .failed(.sinkFailed)? = outcomes[4] else {
      Issue.record("no create without a noted intent: \(String(describing: outcomes[4]))")
      return
    }
    #expect(!(await blocked.calls).contains { $0.hasPrefix("create_token") })
    if case .skipped(let why)? = outcomes[5] {
      #expect(why.contains("secrets file failed"))
    } else {
      Issue.record("nothing starts after the sink failed")
    }
  }

  @Test func aTokenWhoseSecretCannotBeKeptIsRevoked() async {
    let server = freshServer()
    let outcomes = await run(Self.everyKind, on: server, sink: MemorySecretStore(failing: .records))
    guard case .failed(.sinkFailed)? = outcomes[4] else {
      Issue.record("expected a sink failure, got \(String(describing: outcomes[4]))")
      return
    }
    #expect(await server.liveTokens(of: "alice").isEmpty, "no usable token is left without its secret")
    if case .skipped? = outcomes[5] {} else { Issue.record("no revoke after a failure") }
  }

  @Test func aTokenIsNeverCreatedWithoutASink() async {
    let server = freshServer()
    let outcomes = await run(Self.everyKind, on: server, sink: nil)
    guard case .failed(.noSink)? = outcomes[4] else {
      Issue.record("expected no sink, got \(String(describing: outcomes[4]))")
      return
    }
    #expect(!(await server.calls).contains { $0.hasPrefix("create_token") })
  }

  @Test func parallelRunsReachTheSameState() async {
    let server = freshServer()
    let outcomes = await run(Self.everyKind, on: server, parallelism: 8)
    #expect(outcomes.count == 7 && outcomes.values.allSatisfy { $0.succeeded })
    #expect(await server.named("dave")?.isActive == false)
    #expect(await server.named("carol")?.isActive == true)
  }
}
