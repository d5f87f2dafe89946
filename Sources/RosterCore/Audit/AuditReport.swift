/// The audit of one server: findings by rule and an inventory of accounts, tokens and bots. Pure: built
/// from what was read (`AuditInput`), no I/O and no clock of its own, so every rule is testable alone.
public struct AuditReport: Sendable, Equatable {
  public var findings: [AuditFinding]
  public var users: [AuditUserRow]
  public var tokens: [AuditTokenRow]
  public var bots: [AuditBotRow]
  public var posture: ServerPosture?
  public var options: AuditOptions
  /// Whether a manifest was given: the manifest rules ran.
  public var withManifest: Bool

  /// Builds the report: every rule, findings ordered by severity (highest first), rule, then username.
  public static func build(_ input: AuditInput) -> AuditReport {
    var builder = AuditBuilder(input)
    builder.privilegeFindings()
    builder.tokenFindings()
    builder.botFindings()
    builder.accountFindings()
    builder.membershipFindings()
    if let manifest = input.manifest { builder.manifestFindings(manifest) }
    let order = Dictionary(uniqueKeysWithValues: AuditRule.allCases.enumerated().map { ($1, $0) })
    let findings = builder.findings.enumerated().sorted { a, b in
      let (x, y) = (a.element, b.element)
      if x.severity != y.severity { return x.severity > y.severity }
      if x.rule != y.rule { return order[x.rule, default: 0] < order[y.rule, default: 0] }
      if x.username != y.username { return x.username < y.username }
      return a.offset < b.offset
    }.map(\.element)
    return AuditReport(
      findings: findings, users: builder.userRows(), tokens: builder.tokenRows, bots: builder.botRows,
      posture: input.posture, options: input.options, withManifest: input.manifest != nil)
  }

  /// Findings at or above `severity`: what `--fail-on` counts.
  public func findings(atLeast severity: AuditSeverity) -> [AuditFinding] {
    findings.filter { $0.severity >= severity }
  }

  public func count(_ rule: AuditRule) -> Int { findings.count { $0.rule == rule } }
  public func count(_ severity: AuditSeverity) -> Int { findings.count { $0.severity == severity } }

  /// The inventory's totals, as `summary` in the JSON.
  public var totals: [(String, Int)] {
    [
      ("users", users.count), ("active", users.count(where: \.active)),
      ("deactivated", users.count { !$0.active }), ("humans", users.count { !$0.isBot && !$0.isRemote }),
      ("bots", users.count(where: \.isBot)), ("remote", users.count(where: \.isRemote)),
      ("guests", users.count { $0.isGuest && $0.active }),
      ("admins", users.count { $0.active && $0.roles.contains(where: Privilege.isAdminRole) }),
      ("tokens", tokens.count), ("tokens_active", tokens.count(where: \.isActive)),
      ("tokens_age_unknown", tokens.count { $0.createdAt == nil }),
    ]
  }

  /// "3 high, 5 medium, 0 low, 12 info findings".
  public var severitySentence: String {
    AuditSeverity.allCases.reversed().map { "\(count($0)) \($0.rawValue)" }.joined(separator: ", ")
      + " finding\(findings.count == 1 ? "" : "s")"
  }
}

/// The mutable work of one audit: indexes over what was read, and the findings so far.
struct AuditBuilder {
  let input: AuditInput
  let live: LiveState
  let usersByID: [String: LiveUser]
  let tokensByUser: [String: [LiveToken]]
  let botsByID: [String: LiveBot]
  var findings: [AuditFinding] = []
  var tokenRows: [AuditTokenRow] = []
  var botRows: [AuditBotRow] = []
  /// Lowercased usernames the manifest claims (declared and renamed); nil without a manifest.
  var claimed: Set<String>?

  static let day: Int64 = 86_400_000

  init(_ input: AuditInput) {
    self.input = input
    live = input.live
    usersByID = Dictionary(live.users.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    tokensByUser = Dictionary(grouping: live.tokens ?? [], by: \.userID)
    botsByID = Dictionary((input.bots ?? []).map { ($0.userID, $0) }, uniquingKeysWith: { a, _ in a })
    // Protected users are named by the manifest too: roster leaves them alone on purpose.
    if let manifest = input.manifest {
      claimed = PlanBuilder(manifest: manifest, live: live).claimedNames().union(manifest.settings.protectedUsers)
    }
  }

  mutating func add(
    _ rule: AuditRule, _ user: LiveUser, _ message: String, _ detail: [String: AuditValue],
    severity: AuditSeverity? = nil
  ) {
    findings.append(
      AuditFinding(rule, severity: severity, username: user.username, userID: user.id, message: message, detail: detail)
    )
  }

  /// human, bot or remote: the three kinds of account the rules tell apart.
  static func kind(_ user: LiveUser) -> String { user.isBot ? "bot" : user.isRemote ? "remote" : "human" }

  /// How the account signs in: `password` for email accounts, the SSO service otherwise. Bots never sign
  /// in (api.user.login.bot_login_forbidden.app_error); they act with tokens only.
  static func authMethod(_ user: LiveUser) -> String {
    user.isBot ? "bot (tokens only)" : user.authService.isEmpty ? "password" : user.authService
  }

  /// A bot's owner in words: the username, or the bare id when no account has it.
  func ownerName(_ ownerID: String) -> String { usersByID[ownerID]?.username ?? ownerID }

  func userRows() -> [AuditUserRow] {
    live.users.sorted { $0.username < $1.username }.map { user in
      let tokens = tokensByUser[user.id] ?? []
      return AuditUserRow(
        username: user.username, id: user.id, active: user.isActive, authService: user.authService,
        roles: user.roles.split(separator: " ").map(String.init), isBot: user.isBot, isRemote: user.isRemote,
        isGuest: user.isGuest, owner: botsByID[user.id].map { ownerName($0.ownerID) }, mfaActive: user.mfaActive,
        tokensActive: tokens.count(where: \.isActive), tokensTotal: tokens.count,
        inManifest: claimed.map { $0.contains(ServerRules.normalizeUsername(user.username)) }, updateAt: user.updateAt,
        deleteAt: user.deleteAt)
    }
  }
}
