import RosterCore
import Testing

/// Builders for planner tests: a manifest from YAML text and a live state from short descriptions.
enum P {
  static let admin = LiveUser(
    id: "admin0000000000000000000000", username: "admin", email: "admin@example.com",
    roles: "system_admin system_user", updateAt: 1)

  static func manifest(_ yaml: String, env: [String: String] = ["PW": "long-enough-pw", "SHORT": "abc"]) -> Manifest {
    let result = ManifestLoader.load([ManifestFile(name: "t.yaml", bytes: Array(yaml.utf8))], env: env)
    guard let manifest = result.manifest else {
      Issue.record("manifest did not load: \(result.diagnostics)")
      return Manifest()
    }
    return manifest
  }

  static func user(
    _ name: String, email: String? = nil, first: String = "", last: String = "", nickname: String = "",
    position: String = "", locale: String = "en", roles: String = "system_user", auth: String = "",
    active: Bool = true, bot: Bool = false, remote: Bool = false
  ) -> LiveUser {
    LiveUser(
      id: (name + String(repeating: "0", count: 26)).prefix(26).description, username: name,
      email: email ?? "\(name)@example.com", firstName: first, lastName: last, nickname: nickname, position: position,
      locale: locale, roles: roles, authService: auth, deleteAt: active ? 0 : 5, updateAt: 2, isBot: bot,
      isRemote: remote)
  }

  static func token(_ user: String, _ description: String, active: Bool = true, id: String? = nil) -> LiveToken {
    LiveToken(
      id: id ?? "t" + description.filter(\.isLetter).prefix(10) + user, userID: self.user(user).id,
      description: description, isActive: active)
  }

  static func plan(
    _ yaml: String, users: [LiveUser] = [], tokens: [LiveToken]? = [], acting: LiveUser = admin,
    tokensEnabled: Bool? = true, force: Bool = false, options: PlanOptions? = nil, readAt: Int64? = nil,
    policy: PasswordPolicy? = nil
  ) -> Plan {
    var all = users
    if !all.contains(where: { $0.id == acting.id }) { all.append(acting) }
    let live = LiveState(
      users: all, tokens: tokens, acting: acting, accessTokensEnabled: tokensEnabled, passwordPolicy: policy,
      readAt: readAt)
    return Planner.plan(manifest("version: 1\n" + yaml), live: live, options: options ?? PlanOptions(force: force))
  }

  /// `kind username [token]`, one per step, in plan order.
  static func lines(_ plan: Plan) -> [String] {
    plan.steps.map { step in
      [step.kind.rawValue, step.username, step.tokenDescription].compactMap { $0 }.joined(separator: " ")
    }
  }
}

/// A note a planner test expects: its severity and words from its message (messages are long, and
/// say more than a test needs to name).
struct ExpectedNote: Sendable, CustomStringConvertible {
  var severity: PlanNote.Severity
  var words: [String]

  static func error(_ words: String...) -> Self { Self(severity: .error, words: words) }
  static func warning(_ words: String...) -> Self { Self(severity: .warning, words: words) }

  func matches(_ note: PlanNote) -> Bool {
    note.severity == severity && words.allSatisfy { note.message.contains($0) }
  }

  var description: String { "\(severity.rawValue): \(words.joined(separator: " … "))" }
}

extension P {
  /// Pairs each expected note with a distinct note of the plan of its severity holding its words; what
  /// is left on either side. Both empty: the plan holds exactly the expected notes, no more.
  static func unmatched(_ notes: [PlanNote], _ expected: [ExpectedNote]) -> (
    missing: [ExpectedNote], unexpected: [PlanNote]
  ) {
    var left = notes
    var missing: [ExpectedNote] = []
    for note in expected {
      if let i = left.firstIndex(where: note.matches) {
        left.remove(at: i)
      } else {
        missing.append(note)
      }
    }
    return (missing, left)
  }

  /// Records an issue unless the plan's notes are exactly `expected`, severities included.
  static func expectNotes(
    _ plan: Plan, _ expected: [ExpectedNote], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let (missing, unexpected) = unmatched(plan.notes, expected)
    #expect(
      missing.isEmpty && unexpected.isEmpty,
      "missing \(missing); unexpected \(unexpected.map { "\($0.severity.rawValue): \($0)" })",
      sourceLocation: sourceLocation)
  }
}
