public import RosterYAML

/// One finding about the input, printed the way compilers print them so editors and CI can jump to it.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
  public enum Severity: String, Sendable { case error, warning }

  public var severity: Severity
  public var mark: Mark
  public var message: String

  public init(_ severity: Severity, _ mark: Mark, _ message: String) {
    self.severity = severity
    self.mark = mark
    self.message = message
  }

  public var description: String { "\(mark): \(severity.rawValue): \(message)" }
}

/// Collects diagnostics so that validation reports every problem at once instead of the first.
public struct Diagnostics: Sendable {
  public private(set) var all: [Diagnostic] = []

  public init() {}

  public mutating func error(_ mark: Mark, _ message: String) {
    all.append(Diagnostic(.error, mark, Self.shortened(message)))
  }
  public mutating func warning(_ mark: Mark, _ message: String) {
    all.append(Diagnostic(.warning, mark, Self.shortened(message)))
  }

  /// Messages quote the offending value; a 70 KB username need not be printed whole to be found.
  static let maxMessage = 400

  static func shortened(_ message: String) -> String {
    guard message.unicodeScalars.count > maxMessage else { return message }
    let kept = String(String.UnicodeScalarView(message.unicodeScalars.prefix(maxMessage)))
    return kept + "… (\(message.unicodeScalars.count - maxMessage) more characters)"
  }
  public mutating func append(contentsOf other: [Diagnostic]) { all.append(contentsOf: other) }

  /// Moves the diagnostics in `range` after all the others, keeping each group's order.
  mutating func moveToEnd(_ range: Range<Int>) {
    guard !range.isEmpty, range.upperBound < all.count else { return }
    let moved = Array(all[range])
    all.removeSubrange(range)
    all.append(contentsOf: moved)
  }

  /// Turns the errors from position `start` on into warnings: problems of users `--only` does not
  /// target must not block an urgent change to another user.
  public mutating func demoteErrors(from start: Int, note: String) {
    for i in all.indices.dropFirst(start) where all[i].severity == .error {
      all[i].severity = .warning
      all[i].message += note
    }
  }

  public var count: Int { all.count }

  public var hasErrors: Bool { all.contains { $0.severity == .error } }
  public var errors: [Diagnostic] { all.filter { $0.severity == .error } }

  /// In file order, errors and warnings interleaved, as a reader walks the file.
  public var sorted: [Diagnostic] {
    all.enumerated().sorted { ($0.element.mark, $0.offset) < ($1.element.mark, $1.offset) }.map(\.element)
  }
}
