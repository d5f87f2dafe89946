/// Terraform-like text: changes grouped by user, field-level `old → new`, `+ ~ -` markers, a summary.
public struct PlanTextRenderer: Sendable {
  public var color: Bool

  public init(color: Bool) { self.color = color }

  private func paint(_ text: String, _ code: String) -> String { TextStyle(color: color).paint(text, code) }

  static func marker(_ step: Step) -> String { step.change.resource.effect.marker }

  private func colored(_ step: Step, _ text: String) -> String {
    switch step.change.resource.effect {
    case .add: paint(text, "32")
    case .remove: paint(text, "31")
    case .change: paint(text, "33")
    }
  }

  static func quoted(_ value: String?) -> String {
    guard let value else { return "(none)" }
    var out = "\""
    for ch in value {
      switch ch {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      default: out.append(ch)
      }
    }
    return out + "\""
  }

  static func roles(_ list: [String]?) -> String { "[" + (list ?? []).joined(separator: ", ") + "]" }

  /// The step's headline in its effect's colour, and the detail lines under it.
  func lines(for step: Step) -> [String] {
    let entry = step.change.resource.text(step)
    return [colored(step, "  \(Self.marker(step)) \(entry.headline)") + entry.plain] + entry.details
  }

  /// The privilege changes, first in every rendering: a reviewer must not find them among the rest.
  func privilegeLines(_ plan: Plan) -> [String] {
    let changes = plan.privilegeChanges
    guard !changes.isEmpty else { return [] }
    return [paint("Privilege changes:", "1;35")] + changes.map { "  ! \($0.step.username) \($0.what)" }
  }

  /// `--quiet`: errors, gates, privilege changes and the summary only.
  public func renderQuiet(_ plan: Plan) -> String {
    let plan = plan.forDisplay
    var out = plan.errors.map { "\(paint("Error:", "1;31")) \($0)" }
    out += plan.gates.map { "\(paint("Blocked:", "1;31")) \($0)" }
    out += privilegeLines(plan)
    out += plan.notCompared.map { "\(paint("Not compared:", "1;33")) \($0)" }
    out.append(paint(plan.summary, "1"))
    return out.joined(separator: "\n") + "\n"
  }

  /// The whole plan; `requests` is how many reads built it.
  public func render(_ plan: Plan, requests: Int?) -> String {
    let plan = plan.forDisplay
    var out: [String] = []
    out.append(plan.headline)
    let privileges = privilegeLines(plan)
    if !privileges.isEmpty { out += [""] + privileges }
    if !plan.steps.isEmpty {
      var order: [String] = []
      var byUser: [String: [Step]] = [:]
      for step in plan.steps {
        if byUser[step.username] == nil { order.append(step.username) }
        byUser[step.username, default: []].append(step)
      }
      for user in order {
        out.append("")
        for step in byUser[user] ?? [] { out.append(contentsOf: lines(for: step)) }
      }
    }
    let memberships = MembershipSummary.lines(plan)
    if !memberships.isEmpty { out += ["", "Memberships by team and channel:"] + memberships }
    if !plan.notes.isEmpty {
      out.append("")
      for note in plan.notes {
        let label = note.severity == .error ? paint("Error:", "1;31") : paint("Warning:", "1;33")
        out.append("\(label) \(note)")
      }
      if let line = plan.erroredUsersLine { out.append(line) }
    }
    if !plan.pendingRevokes.isEmpty {
      out += ["", "Pending, not changes of this plan (the first apply from that time on revokes them):"]
      out += plan.pendingRevokes.map { "  \($0.sentence)" }
    }
    if !plan.skippedUsers.isEmpty {
      out += ["", "Skipped (--skip-errored): \(plan.skippedUsers.joined(separator: ", "))."]
    }
    if !plan.notCompared.isEmpty {
      out += ["", paint("Not compared (--read-only: this token could not read them):", "1;33")]
      out += plan.notCompared.map { "  ? \($0)" }
    }
    if plan.count(.deactivateUser) > 0 { out += ["", Plan.deactivationEffects] }
    for gate in plan.gates {
      out.append("")
      out.append("\(paint("Blocked:", "1;31")) \(gate)")
    }
    out.append("")
    out.append(paint(plan.summary, "1"))
    if let unmanaged = plan.unmanaged { out.append(unmanaged.sentence + ".") }
    if let requests { out.append("Read the server in \(requests) request\(requests == 1 ? "" : "s").") }
    return out.joined(separator: "\n") + "\n"
  }
}

extension String {
  func padding(_ width: Int) -> String {
    count >= width ? self + ":" : self + ":" + String(repeating: " ", count: width - count)
  }
}
