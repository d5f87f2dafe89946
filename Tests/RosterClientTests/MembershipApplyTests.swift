import RosterClient
import RosterCore
import Testing

/// Membership adds go in batches (one call per team batch of 256 and channel batch of 1,000), each
/// user's own result decides its step, admins are made admins after their add, and channel adds wait
/// for team adds (shared/design/memberships-server.md A4, A5 rules 6 and 10).
@Suite struct MembershipApplyTests {
  static let team = TeamRef(id: "team0000000000000000000000", name: "eng")
  static let channel = ChannelRef(id: "chan0000000000000000000000", team: "eng", name: "incidents")

  static func users(_ count: Int) -> [LiveUser] {
    (0..<count).map { i in
      let tail = String(i)
      return LiveUser(id: "u" + String(repeating: "0", count: 25 - tail.count) + tail, username: "user\(i)")
    }
  }

  func run(_ steps: [(Step, [Int])], on server: InMemoryServer) async -> [Int: StepOutcome] {
    await Applier(
      writer: server, plan: ApplierTests.plan(steps), passwords: [:], sink: nil, parallelism: 4, progress: nil
    ).run()
  }

  @Test func threeHundredTeamAddsAreTwoCallsAndChannelAddsOneMore() async {
    let users = Self.users(300)
    let server = InMemoryServer(users: users)
    var steps: [(Step, [Int])] = []
    for (i, user) in users.enumerated() {
      steps.append(
        (
          Step(.membership(.addTeamMember(team: Self.team, admin: i == 7)), username: user.username, userID: user.id),
          []
        ))
    }
    for user in users.prefix(10) {
      steps.append(
        (
          Step(
            .membership(.addChannelMember(channel: Self.channel, admin: false)), username: user.username,
            userID: user.id), []
        ))
    }
    let outcomes = await run(steps, on: server)
    #expect(outcomes.count == 310 && outcomes.values.allSatisfy(\.succeeded))
    let calls = await server.calls
    #expect(calls.filter { $0.hasPrefix("add_team_members") }.count == 2, "256 + 44")
    #expect(calls.filter { $0.hasPrefix("add_channel_members") }.count == 1)
    #expect(calls.filter { $0.hasPrefix("set_team_admin") } == ["set_team_admin \(Self.team.id) \(users[7].id) true"])
    // Team adds run before channel adds, whatever the step order.
    let lastTeam = calls.lastIndex { $0.hasPrefix("add_team_members") } ?? -1
    let firstChannel = calls.firstIndex { $0.hasPrefix("add_channel_members") } ?? -1
    #expect(lastTeam < firstChannel)
    #expect(await server.members[Self.team.id]?.count == 300)
  }

  @Test func aUserTheBatchRefusesFailsAloneAndItsChannelAddIsSkipped() async {
    let users = Self.users(3)
    let server = InMemoryServer(users: users)
    await server.refuse(users[1].id)
    let steps: [(Step, [Int])] =
      users.map {
        (Step(.membership(.addTeamMember(team: Self.team, admin: false)), username: $0.username, userID: $0.id), [])
      } + [
        (
          Step(
            .membership(.addChannelMember(channel: Self.channel, admin: false)), username: users[1].username,
            userID: users[1].id), [1]
        )
      ]
    let outcomes = await run(steps, on: server)
    #expect(outcomes[0]?.succeeded == true && outcomes[2]?.succeeded == true)
    #expect(outcomes[1]?.isFailure == true)
    guard case .skipped? = outcomes[3] else {
      Issue.record("the channel add of a user the team refused ran: \(String(describing: outcomes[3]))")
      return
    }
    #expect(await server.calls.filter { $0.hasPrefix("add_team_members") }.count == 1)
  }
}
