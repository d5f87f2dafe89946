import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// Golden files for the three plan formats, over a fixed plan that uses every step kind.
/// RECORD_SNAPSHOTS=1 rewrites them and fails, so a new snapshot is always reviewed.
@Suite struct RendererTests {
  static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

  /// The planner's plan below, and one step of every membership and bot kind.
  static var plan: Plan {
    var plan = usersAndTokens
    let create = plan.steps.first { $0.kind == .createUser && $0.username == "alice" }?.index ?? 0
    let dave = plan.steps.first { $0.username == "dave" }?.userID
    let bob = plan.steps.first { $0.username == "bob" }?.userID
    let eng = TeamRef(id: "team0000000000000000000eng", name: "eng")
    let incidents = ChannelRef(id: "chan000000000000000000inc", team: "eng", name: "incidents")
    let memberships: [(MembershipChange, String, String?, [Int])] = [
      (.addTeamMember(team: eng, admin: true), "alice", nil, [create]),
      (.addChannelMember(channel: incidents, admin: false), "alice", nil, [create]),
      (.setTeamMemberRoles(team: eng, admin: false), "bob", bob, []),
      (.setChannelMemberRoles(channel: incidents, admin: true), "bob", bob, []),
      (
        .removeChannelMember(channel: ChannelRef(id: "chan000000000000000000ops", team: "ops", name: "pager")), "dave",
        dave, []
      ),
      (.removeTeamMember(team: eng, cascade: 3), "dave", dave, []),
    ]
    let deactivations = plan.steps.filter { $0.kind == .deactivateUser }
    plan.steps.removeAll { $0.kind == .deactivateUser }
    for (change, name, id, after) in memberships {
      var step = Step(.membership(change), username: name, userID: id)
      step.dependsOn = after
      plan.steps.append(step)
    }
    let firstBot = plan.steps.count
    let bots: [(BotChange, String, String?, [Int])] = [
      (.createBot(displayName: "CI", description: "deploys | ships"), "ci-bot", nil, []),
      (.assignBot(from: "admin", to: "alice", ownerID: nil), "ci-bot", nil, [firstBot]),
      (.enableBot, "old-bot", "bot0000000000000000000old", []),
      (
        .updateBot([FieldChange(field: "description", old: "legacy", new: "retired")]), "old-bot",
        "bot0000000000000000000old", []
      ),
      (.disableBot, "stray-bot", "bot000000000000000000stray", []),
    ]
    for (change, name, id, after) in bots {
      var step = Step(.bot(change), username: name, userID: id)
      step.dependsOn = after
      plan.steps.append(step)
    }
    // settings.owner adopting an account: the props as read, plus the marker.
    plan.steps.append(
      Step(.user(.markOwner(props: ["theme": "dark", OwnerMarker.key: "eng"])), username: "bob", userID: bob))
    plan.steps += deactivations
    for i in plan.steps.indices { plan.steps[i].index = i }
    return plan
  }

  static var usersAndTokens: Plan {
    P.plan(
      """
      settings:
        unmanaged_users: deactivate
        max_deactivations: 5
      users:
        - username: admin
        - username: alice
          email: alice@example.com
          first_name: Alice
          password: ${PW}
          roles: [system_user, system_admin]
          tokens:
            - description: ci-deploy
        - username: bob
          position: "Lead | Ops"
          tokens:
            - description: backup
              active: false
            - description: monitoring
        - username: carol
        - username: gina
          email: gina@new.example.com
        - username: gus
          roles: [system_user]
        - username: ursula
          roles: [system_guest]
        - username: rita
          previous_usernames: [ruth]
          position: Ops
        - username: nora
          email: nora@example.com
          initial_password: generate
          send_password_reset: true
      """,
      users: [
        P.user("bob", position: "Dev"), P.user("carol", active: false), P.user("dave"), P.user("gina", auth: "gitlab"),
        P.user("gus", roles: "system_guest"), P.user("ursula"), P.user("ruth"),
      ],
      tokens: [P.token("bob", "backup"), P.token("bob", "monitoring", active: false), P.token("bob", "stale")])
  }

  func compare(_ actual: String, _ name: String) throws {
    let url = Self.snapshots.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
      try actual.write(to: url, atomically: true, encoding: .utf8)
      Issue.record("recorded \(name); review it and run again without RECORD_SNAPSHOTS")
      return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(actual == expected, "\(name) differs from its snapshot")
  }

  @Test func text() async throws {
    try compare(PlanTextRenderer(color: false).render(Self.plan, requests: 7), "plan.txt")
  }

  @Test func textColourOnlyWhenAsked() {
    #expect(!PlanTextRenderer(color: false).render(Self.plan, requests: 7).contains("\u{1B}["))
    #expect(PlanTextRenderer(color: true).render(Self.plan, requests: 7).contains("\u{1B}[32m"))
  }

  @Test func markdown() async throws {
    try compare(PlanMarkdownRenderer.render(Self.plan, requests: 7), "plan.md")
  }

  @Test func json() async throws {
    try compare(
      PlanDocument(plan: Self.plan, server: "http://127.0.0.1:8065", acting: P.admin, requests: 7).json(), "plan.json")
  }

  @Test func jsonMatchesTheCommittedSchema() async throws {
    let schema = Self.snapshots.appendingPathComponent("../../../schemas/plan.schema.json").standardized
    let check = try SchemaCheck(schema: try Data(contentsOf: schema))
    let live = LiveState(users: [P.admin, P.user("bob")], tokens: [], acting: P.admin)
    let manifest = P.manifest("version: 1\nusers:\n  - username: bob\n    position: X\n    tokens: []\n")
    let saved = PlanDocument(
      plan: Self.plan, server: "x", acting: P.admin, requests: 1,
      fingerprints: Fingerprints.compute(manifest: manifest, live: live, plan: Self.plan))
    for document in [saved.json(), PlanDocument(plan: Plan(), server: nil, acting: nil, requests: nil).json()] {
      #expect(try check.problems(in: Data(document.utf8)) == [])
    }
    #expect(try check.problems(in: Data(#"{"format_version":"0","steps":[]}"#.utf8)).count >= 4, "the checker can fail")
  }

  @Test func savedPlanRoundTrips() async throws {
    let document = PlanDocument(plan: Self.plan, server: "s", acting: P.admin, requests: 3)
    #expect(try PlanDocument.decode(Data(document.json().utf8)) == document)
  }

  @Test func markdownNamesServerAndActingUserAndStaysUnderTheCommentLimit() {
    var steps: [Step] = []
    for i in 0..<3_000 {
      var step = Step(
        .user(.patchProfile([FieldChange(field: "position", old: "Engineer", new: "Senior engineer \(i)")])),
        username: "user\(i)", userID: "u\(i)")
      step.index = i
      steps.append(step)
    }
    var admin = Step(
      .user(.setRoles(before: ["system_user", "system_admin"], after: ["system_user"])), username: "boss", userID: "b")
    admin.index = steps.count
    steps.append(admin)
    let plan = Plan(steps: steps, notes: [PlanNote(.warning, "x", "something to read")])
    let text = PlanMarkdownRenderer.render(plan, requests: 20, server: "https://chat.example.com", acting: "ci-bot")
    #expect(text.count <= PlanMarkdownRenderer.defaultLimit)
    #expect(text.contains("Server `https://chat.example.com`, acting as `ci-bot`."))
    #expect(text.contains("#### Privilege changes\n\n- `boss` removes system_admin"), "outside any fold")
    #expect(text.contains("Cut to fit a comment") && text.contains("of 3001 changes are not shown"))
    #expect(text.contains("**Plan: 0 to create, 3001 to update"), "the summary is kept")
  }

  /// GitHub and GitLab turn `@name`, `user@host` and bare URLs in rendered text into mentions and links,
  /// whatever Markdown escapes were used; a value from the server or a manifest must do neither.
  @Test func mentionsAndBareLinksInMarkdownProseAreNeutralised() {
    let hostile = "@all ping @channel, see https://evil.example/x or WWW.evil.example or mail me@evil.example"
    let prose = MarkdownText.text(hostile)
    for live in ["@all", "@channel", "https://", "WWW.", "me@evil"] {
      #expect(!prose.contains(live), "\(live) survives in \(prose)")
    }
    #expect(prose.replacingOccurrences(of: "\u{2060}", with: "") == hostile, "the words read as written")
    let plan = Plan(steps: [], notes: [PlanNote(.warning, "all", "user @all: see https://evil.example")])
    let markdown = PlanMarkdownRenderer.render(plan, requests: 1, server: "https://chat.example.com", acting: "ci")
    #expect(!markdown.contains("@all") && !markdown.contains("https://evil"), "\(markdown)")
  }
}
