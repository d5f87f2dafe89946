/// Making text that came from a manifest or a server safe to show a person.
///
/// Users edit their own nickname and position, and a hostile server can answer anything: raw escape
/// sequences in a plan would move the cursor, recolour or hide lines, or (OSC 52) write the clipboard,
/// and bidirectional overrides would make a reviewer read a different change from the one applied.
/// Every human output (text plan, Markdown, apply report, errors) passes values through here; the
/// JSON output keeps exact values, which JSON itself escapes.
public enum Display {
  /// C0 controls (tab included), DEL, C1 controls, and the Unicode bidirectional controls.
  public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00...0x1F, 0x7F...0x9F: return true
    case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
    default: return false
    }
  }

  /// The text with each unsafe character written as `\u{XXXX}`; unchanged when there is none.
  public static func safe(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
      if isUnsafe(scalar) {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        out += "\\u{" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}

/// Markdown that a value cannot break out of: pull-request comments render it.
public enum MarkdownText {
  /// An inline code span holding exactly `value` (unsafe characters shown as escapes), usable in a table
  /// cell: the fence is longer than any run of backticks inside, and `|` is escaped for the table.
  public static func code(_ value: String) -> String {
    let text = Display.safe(value).replacingEvery("|", with: "\\|")
    // Scalars, not Characters: "`" followed by a combining mark is one Character but still a backtick
    // to a Markdown renderer.
    var longest = 0
    var run = 0
    for scalar in text.unicodeScalars {
      run = scalar == "`" ? run + 1 : 0
      longest = max(longest, run)
    }
    let fence = String(repeating: "`", count: longest + 1)
    let edges = (text.unicodeScalars.first, text.unicodeScalars.last)
    let padded = edges.0 == "`" || edges.1 == "`" ? " \(text) " : text
    return fence + padded + fence
  }

  /// Prose with a value in it: characters Markdown or HTML would act on are escaped, so the words read
  /// as written and no link, image, heading, emphasis or tag can be made from a value.
  ///
  /// Mentions and bare links are made by GitHub and GitLab after Markdown, from the rendered text, so
  /// no Markdown escape stops them (an escaped `\@all` still pings). An invisible U+2060 WORD JOINER
  /// after `@`, before `://` and inside `www.` breaks their patterns while the words read the same: a
  /// username `all` in a pull-request comment does not notify the project, and `https://evil.example`
  /// is not a link. Code spans (`code`) need none of this: neither forge looks inside them.
  public static func text(_ value: String) -> String {
    var out = String.UnicodeScalarView()
    let scalars = Array(Display.safe(value).unicodeScalars)
    for (i, scalar) in scalars.enumerated() {
      let next = scalars[(i + 1)...].prefix(3).map { Character($0) }
      if scalar == ":" && next.starts(with: ["/", "/"]) { out.append(joiner) }
      if scalar == "." && i >= 3 && scalars[(i - 3)..<i].map({ Character($0).lowercased() }).joined() == "www" {
        out.append(joiner)
      }
      switch scalar {
      case "@":
        out.append(scalar)
        out.append(joiner)
      case "\\", "`", "*", "[", "]", "|", "!", "#":
        out.append("\\")
        out.append(scalar)
      case "<": out.append(contentsOf: "&lt;".unicodeScalars)
      case ">": out.append(contentsOf: "&gt;".unicodeScalars)
      case "&": out.append(contentsOf: "&amp;".unicodeScalars)
      default: out.append(scalar)
      }
    }
    return String(out)
  }

  private static let joiner: Unicode.Scalar = "\u{2060}"
}

extension Plan {
  /// The same plan with every string made safe for a terminal, for the text renderer.
  public var forDisplay: Plan {
    var copy = self
    copy.steps = steps.map { step in
      var step = step
      step.username = Display.safe(step.username)
      step.reason = step.reason.map(Display.safe)
      step.change = step.change.mapStrings(Display.safe)
      return step
    }
    copy.notes = notes.map { PlanNote($0.severity, $0.username.map(Display.safe), Display.safe($0.message)) }
    copy.gates = gates.map(Display.safe)
    copy.skippedUsers = skippedUsers.map(Display.safe)
    return copy
  }
}
