import RosterCore
import Testing

/// Each audit rule on a hand-built server: what trips it, and what does not.
@Suite struct AuditRuleTests {
  static let day: Int64 = 86_400_000
  static let now: Int64 = 1_750_000_000_000

  func report(
    _ users: [LiveUser], tokens: [LiveToken] = [], bots: [LiveBot]? = [], posture: ServerPosture? = ServerPosture(),
    created: [String: Int64] = [:], manifest: String? = nil
  ) -> AuditReport {
    var all = users.map { u -> LiveUser in
      var u = u
      u.updateAt = Self.now - Self.day
      return u
    }
    if !all.contains(where: { $0.id == P.admin.id }) {
      var admin = P.admin
      admin.mfaActive = true
      admin.updateAt = Self.now
      all.append(admin)
    }
    let live = LiveState(users: all, tokens: tokens, acting: P.admin, readAt: Self.now)
    return AuditReport.build(
      AuditInput(
        live: live, bots: bots, posture: posture, tokenCreatedAt: created,
        manifest: manifest.map { P.manifest("version: 1\n" + $0) }, options: AuditOptions(now: Self.now)))
  }

  func names(_ report: AuditReport, _ rule: AuditRule) -> [String] {
    report.findings.filter { $0.rule == rule }.map(\.username).sorted()
  }

  @Test func privilegeRules() {
    var mfa = P.user("withmfa", roles: "system_user system_admin")
    mfa.mfaActive = true
    let r = report([
      P.user("plain"), mfa, P.user("sso", roles: "system_admin system_user", auth: "gitlab"),
      P.user("reader", roles: "system_user system_read_only_admin"),
      P.user("bot", roles: "system_user system_post_all", bot: true),
      P.user("old", roles: "system_admin system_user", active: false),
    ])
    #expect(names(r, .systemAdmin) == ["admin", "sso", "withmfa"], "active holders only")
    #expect(names(r, .delegatedAdmin) == ["bot", "reader"])
    #expect(names(r, .botWithAdminRole) == ["bot"])
    #expect(r.findings.first { $0.rule == .botWithAdminRole }?.severity == .high)
    #expect(names(r, .adminWithoutMFA) == ["reader"], "not with MFA, not SSO, not a bot, not deactivated")
    #expect(
      r.findings.first { $0.rule == .systemAdmin && $0.username == "sso" }?.detail["auth_method"] == .string("gitlab"))
  }

  @Test func botRulesNameOwnersAndFindMissingOnes() {
    let owner = P.user("owner")
    let left = P.user("left", active: false)
    let bots = [
      LiveBot(userID: P.user("fine").id, username: "fine", ownerID: owner.id),
      LiveBot(userID: P.user("orphan").id, username: "orphan", ownerID: left.id),
      LiveBot(userID: P.user("ghost").id, username: "ghost", ownerID: "zzzzzzzzzzzzzzzzzzzzzzzzzz"),
      LiveBot(userID: P.user("disabled").id, username: "disabled", ownerID: left.id, deleteAt: 3),
      LiveBot(userID: P.user("boss").id, username: "boss", ownerID: owner.id),
    ]
    let users = [
      owner, left, P.user("fine", bot: true), P.user("orphan", bot: true), P.user("ghost", bot: true),
      P.user("disabled", bot: true), P.user("boss", roles: "system_user system_admin", bot: true),
    ]
    let r = report(users, tokens: [P.token("boss", "ci")], bots: bots)
    #expect(names(r, .orphanedBot) == ["ghost", "orphan"], "a disabled bot cannot act")
    let ghost = r.findings.first { $0.username == "ghost" && $0.rule == .orphanedBot }
    #expect(ghost?.detail["owner_state"] == .string("missing"))
    let boss = r.findings.first { $0.rule == .botWithAdminRole }
    #expect(boss?.detail["owner_username"] == .string("owner"))
    #expect(boss?.detail["tokens_active"] == .int(1))
    #expect(r.users.first { $0.username == "boss" }?.owner == "owner")
    #expect(r.bots.first { $0.username == "orphan" }?.ownerState == .deactivated)
  }

  @Test func tokenRules() {
    let users = [P.user("gone", active: false), P.user("dev")]
    let tokens = [
      P.token("gone", "laptop"), P.token("gone", "disabled", active: false),
      P.token("dev", "old", id: "oldtoken000000000000000000"), P.token("dev", "new", id: "newtoken000000000000000000"),
      LiveToken(
        id: "expiring00000000000000000", userID: P.user("dev").id, description: "e", isActive: true,
        expiresAt: Self.now + Self.day),
    ]
    let created = [
      "oldtoken000000000000000000": Self.now - 200 * Self.day, "newtoken000000000000000000": Self.now - Self.day,
    ]
    let r = report(users, tokens: tokens, created: created)
    #expect(
      r.findings.filter { $0.rule == .tokenOfDeactivatedUser }.map { $0.detail["description"] } == [.string("laptop")])
    let expiry = r.findings.filter { $0.rule == .tokenWithoutExpiry }
    #expect(expiry.count == 3 && expiry.allSatisfy { $0.severity == .low }, "no lifetime policy: low")
    let ages = r.findings.filter { $0.rule == .tokenAge }
    #expect(ages.first { $0.detail["description"] == .string("old") }?.detail["age_days"] == .int(200))
    #expect(ages.first { $0.detail["description"] == .string("old") }?.severity == .medium)
    #expect(!ages.contains { $0.detail["description"] == .string("new") }, "younger than the limit")
    #expect(ages.first { $0.detail["description"] == .string("laptop") }?.detail["age"] == .string("unknown"))
    #expect(ages.first { $0.detail["description"] == .string("laptop") }?.severity == .info)
    let policy = report(users, tokens: tokens, posture: ServerPosture(maximumTokenLifetimeDays: 30))
    #expect(policy.findings.filter { $0.rule == .tokenWithoutExpiry }.allSatisfy { $0.severity == .medium })
    #expect(r.tokens.first { $0.id == "oldtoken000000000000000000" }?.ageDays == 200)
  }

  @Test func accountRulesUseUpdateAtAsABound() {
    var sleepy = P.user("sleepy")
    sleepy.updateAt = Self.now - 100 * Self.day
    let live = LiveState(
      users: [sleepy, P.user("guest", roles: "system_guest"), P.user("bot", bot: true), P.admin], acting: P.admin,
      readAt: Self.now)
    var users = live.users
    users[2].updateAt = Self.now - 300 * Self.day
    users[1].updateAt = Self.now
    users[3].updateAt = Self.now
    let r = AuditReport.build(
      AuditInput(
        live: LiveState(users: users, acting: P.admin, readAt: Self.now), bots: [], posture: nil,
        options: AuditOptions(inactiveDays: 90, now: Self.now)))
    #expect(names(r, .noLoginSince) == ["sleepy"], "bots never sign in")
    #expect(r.findings.first { $0.rule == .noLoginSince }?.detail["days_since_update"] == .int(100))
    #expect(names(r, .guestAccount) == ["guest"])
  }

  @Test func manifestRules() {
    let r = report(
      [
        P.user("alice", position: "Engineer"), P.user("mallory"), P.user("bot", bot: true), P.user("far", remote: true),
      ],
      manifest: """
        settings:
          protected_users: [admin]
        users:
          - username: alice
            position: Lead
          - username: newbie
            email: n@example.com
            password: ${PW}
        """)
    #expect(names(r, .unmanagedAccount) == ["bot", "far", "mallory"])
    #expect(r.findings.first { $0.username == "far" }?.detail["kind"] == .string("remote"))
    #expect(names(r, .declaredNotOnServer) == ["newbie"])
    let drift = r.findings.filter { $0.rule == .drift }
    #expect(drift.count == 1)
    #expect(
      drift.first?.detail == [
        "field": .string("position"), "manifest": .string("Lead"), "server": .string("Engineer"),
        "step": .string("patch_profile"),
      ])
    #expect(r.users.first { $0.username == "mallory" }?.inManifest == false)
    #expect(report([P.user("x")]).users.first?.inManifest == nil, "no manifest, no answer")
    #expect(!report([P.user("x")]).findings.contains { $0.rule == .unmanagedAccount })
  }

  @Test func findingsAreOrderedBySeverityAndFailOnCounts() {
    let r = report([P.user("bot", roles: "system_user system_admin", bot: true), P.user("g", roles: "system_guest")])
    #expect(r.findings.first?.severity == .high)
    #expect(zip(r.findings, r.findings.dropFirst()).allSatisfy { $0.severity >= $1.severity })
    #expect(r.findings(atLeast: .high).count == 1)
    #expect(r.findings(atLeast: .info).count == r.findings.count)
  }
}

@Suite struct AuditCSVTests {
  @Test func quotingFollowsRFC4180() {
    #expect(AuditCSV.cell("plain") == "plain")
    #expect(AuditCSV.cell("a,b") == "\"a,b\"")
    #expect(AuditCSV.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(AuditCSV.cell("two\nlines") == "\"two\nlines\"")
    #expect(AuditCSV.cell("cr\r\nlf") == "\"cr\r\nlf\"")
    #expect(AuditCSV.cell("") == "")
  }

  @Test func formulasAreNeutralised() {
    for evil in ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"] {
      let cell = AuditCSV.cell(evil)
      let unquoted = cell.hasPrefix("\"") ? String(cell.dropFirst()) : cell
      #expect(unquoted.hasPrefix("'"), "\(evil.debugDescription) -> \(cell.debugDescription)")
    }
    #expect(AuditCSV.cell("=a,b") == "\"'=a,b\"")
    #expect(AuditCSV.cell("a=b") == "a=b", "only a leading trigger is a formula")
  }

  @Test func rowsEndInCRLFAndColumnsAreStable() {
    let live = LiveState(users: [P.admin, P.user("=cmd", position: "x")], acting: P.admin, readAt: 1)
    let r = AuditReport.build(AuditInput(live: live, bots: [], posture: nil, options: AuditOptions(now: 1)))
    let users = AuditCSV.users(r)
    #expect(users.hasPrefix(AuditCSV.userColumns.joined(separator: ",") + "\r\n"))
    #expect(users.contains("\r\n'=cmd,"))
    #expect(users.split(separator: "\r\n").count == 3)
    #expect(AuditCSV.findings(r).hasPrefix("rule,severity,username,user_id,message,detail\r\n"))
  }
}
