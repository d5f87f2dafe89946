import RosterCore
import Testing

/// The membership rules: admins of teams and channels, and deactivated accounts still in them, from the
/// memberships plan reads; none of them without a membership read.
@Suite struct AuditMembershipRuleTests {
  static let now: Int64 = 1_750_000_000_000

  func report(memberships: LiveMemberships?) -> AuditReport {
    var admin = P.admin
    admin.mfaActive = true
    admin.updateAt = Self.now
    var live = LiveState(
      users: [admin, P.user("lead"), P.user("dev"), P.user("left", active: false)], tokens: [], acting: admin,
      readAt: Self.now)
    live.memberships = memberships
    return AuditReport.build(
      AuditInput(
        live: live, bots: [], posture: ServerPosture(), tokenCreatedAt: [:], manifest: nil,
        options: AuditOptions(inactiveDays: 36_500, now: Self.now)))
  }

  func rows(_ report: AuditReport, _ rule: AuditRule) -> [String] {
    report.findings.filter { $0.rule == rule }.map {
      "\($0.username) \($0.detail["team"]?.text ?? "")\($0.detail["channel"]?.text ?? "")"
    }
    .sorted()
  }

  @Test func adminsAndDeactivatedMembersOfTeamsAndChannels() {
    let team = LiveTeam(id: "team1", name: "eng")
    let channel = LiveChannel(id: "chan1", teamID: team.id, name: "incidents", type: "P")
    let memberships = LiveMemberships(
      teams: [team], channels: [channel],
      teamMembers: [
        LiveMember(containerID: team.id, userID: P.user("lead").id, schemeAdmin: true),
        LiveMember(containerID: team.id, userID: P.user("dev").id),
        LiveMember(containerID: team.id, userID: P.user("left").id, schemeAdmin: true),
      ],
      channelMembers: [
        LiveMember(containerID: channel.id, userID: P.user("dev").id, schemeAdmin: true),
        LiveMember(containerID: channel.id, userID: P.user("left").id),
      ])
    let r = report(memberships: memberships)
    #expect(rows(r, .teamAdmin) == ["lead eng"], "a plain member is no admin; a deactivated admin is told apart")
    #expect(rows(r, .channelAdmin) == ["dev eng/incidents"])
    #expect(rows(r, .deactivatedMember) == ["left eng", "left eng/incidents"])
    let left = r.findings.first { $0.rule == .deactivatedMember && $0.detail["scope"] == .string("team") }
    #expect(left?.severity == .low && left?.detail["scheme_admin"] == .bool(true))
    #expect(r.findings.first { $0.rule == .teamAdmin }?.severity == .info)
    #expect(!AuditRule.teamAdmin.isPrivilege, "team roles are not system privilege: folded like other rules")
  }

  @Test func nothingWithoutAMembershipRead() {
    let r = report(memberships: nil)
    #expect(r.count(.teamAdmin) + r.count(.channelAdmin) + r.count(.deactivatedMember) == 0)
  }
}
