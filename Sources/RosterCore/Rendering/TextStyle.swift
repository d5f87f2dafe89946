/// ANSI styling for terminal text, shared by the plan and the audit: colour only when the caller says
/// so (a terminal without NO_COLOR, or `--color always`); otherwise the text is left plain.
public struct TextStyle: Sendable {
  public var color: Bool

  public init(color: Bool) { self.color = color }

  /// `text` in the SGR `code` ("1;31" bold red, "33" yellow, ...), reset after.
  public func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
}
