/// Terraform-like text: changes grouped by user, field-level `old → new`, `+ ~ -` markers, a summary.
public struct PlanTextRenderer: Sendable {
  public var color: Bool

  public init(color: Bool) { self.color = color }

  private func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

  static func marker(_ kind: StepKind) -> String {
    switch kind {
    case .createUser, .createToken: return "+"
    case .deactivateUser, .revokeToken: return "-"
    default: return "~"
    }
  }

  private func colored(_ kind: StepKind, _ text: String) -> String {
    switch Self.marker(kind) {
    case "+": return paint(text, "32")
    case "-": return paint(text, "31")
    default: return paint(text, "33")
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

  /// One line per step headline, and the field lines under it.
  func lines(for step: Step) -> [String] {
    let m = Self.marker(step.kind)
    switch step.kind {
    case .createUser:
      var out = [colored(step.kind, "  \(m) create user \(step.username)")]
      let width = (step.changes.map(\.field.count) + [8]).max() ?? 8
      for change in step.changes {
        out.append("      \(change.field.padding(width)) \(Self.quoted(change.new))")
      }
      if let reference = step.passwordReference {
        let shown = Template.references(in: reference) ? "(from \(reference))" : "(literal in the manifest)"
        out.append("      \("password".padding(width)) \(shown)")
      } else if step.generatesPassword {
        out.append("      \("password".padding(width)) (generated; written to the token sink, never shown)")
      }
      return out
    case .reactivateUser:
      return [colored(step.kind, "  \(m) reactivate user \(step.username)")]
    case .promoteGuest:
      return [colored(step.kind, "  \(m) promote guest \(step.username) to a user")]
    case .demoteToGuest:
      return [colored(step.kind, "  \(m) demote \(step.username) to a guest")]
    case .patchProfile:
      var out = [colored(step.kind, "  \(m) update user \(step.username)")]
      let width = step.changes.map(\.field.count).max() ?? 0
      for change in step.changes {
        out.append("      \(change.field.padding(width)) \(Self.quoted(change.old)) → \(Self.quoted(change.new))")
      }
      return out
    case .renameUser:
      var out = [colored(step.kind, "  \(m) rename user \(step.renamedFrom ?? "") → \(step.username)")]
      let rest = step.changes.filter { $0.field != "username" }
      let width = rest.map(\.field.count).max() ?? 0
      for change in rest {
        out.append("      \(change.field.padding(width)) \(Self.quoted(change.old)) → \(Self.quoted(change.new))")
      }
      return out
    case .sendPasswordReset:
      if case .sendPasswordReset(let email) = step.change {
        return [colored(step.kind, "  \(m) send password reset to \(step.username) (\(email))")]
      }
      return []
    case .setRoles:
      return [
        colored(step.kind, "  \(m) set roles of \(step.username)"),
        "      roles \(Self.roles(step.rolesBefore)) → \(Self.roles(step.rolesAfter))",
      ]
    case .createToken:
      return [colored(step.kind, "  \(m) create token \(Self.quoted(step.tokenDescription)) for \(step.username)")]
    case .enableToken, .disableToken:
      let verb = step.kind == .enableToken ? "enable" : "disable"
      return [colored(step.kind, "  \(m) \(verb) token \(Self.quoted(step.tokenDescription)) of \(step.username)")]
    case .revokeToken:
      return [
        colored(
          step.kind,
          "  \(m) revoke token \(Self.quoted(step.tokenDescription)) of \(step.username) (\(step.tokenID ?? ""))"
            + (step.reason.map { ": \($0)" } ?? ""))
      ]
    case .deactivateUser:
      return [colored(step.kind, "  \(m) deactivate user \(step.username)") + (step.reason.map { " (\($0))" } ?? "")]
    }
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
    if !plan.notes.isEmpty {
      out.append("")
      for note in plan.notes {
        let label = note.severity == .error ? paint("Error:", "1;31") : paint("Warning:", "1;33")
        out.append("\(label) \(note)")
      }
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
