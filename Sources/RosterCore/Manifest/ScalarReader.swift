import RosterYAML

/// Reads typed values out of YAML nodes with the manifest's deliberate rules: strings are taken as
/// written (a plain `no` stays "no"), and booleans are only ever `true` or `false`, never YAML 1.1's
/// `yes`/`no`/`on`/`off`, which have surprised too many people in string fields.
struct ScalarReader {
  private(set) var diagnostics = Diagnostics()

  private static let yaml11Booleans: Set<String> = [
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
    "on", "On", "ON", "off", "Off", "OFF",
  ]

  /// Whether a plain scalar reads as null. Compared, not hashed: a set's hashing of every short value
  /// of a large roster ("Last") showed in its profile.
  static func isNull(_ text: String) -> Bool {
    // Every spelling is empty or starts with "~", "n" or "N": most values are settled by that byte.
    guard text.utf8.count <= 4, let first = text.utf8.first else { return text.isEmpty }
    guard first == UInt8(ascii: "~") || first == UInt8(ascii: "n") || first == UInt8(ascii: "N") else { return false }
    switch text {
    case "", "~", "null", "Null", "NULL": return true
    default: return false
    }
  }

  mutating func error(_ mark: Mark, _ message: String) { diagnostics.error(mark, message) }
  mutating func warning(_ mark: Mark, _ message: String) { diagnostics.warning(mark, message) }
  mutating func demoteErrors(from start: Int, note: String) { diagnostics.demoteErrors(from: start, note: note) }
  mutating func moveToEnd(_ range: Range<Int>) { diagnostics.moveToEnd(range) }

  static func describe(_ node: Node) -> String { node.scalar.map(describe) ?? node.kindName }

  static func describe(_ scalar: Scalar) -> String {
    if scalar.style.isPlain && isNull(scalar.text) { return "null" }
    if scalar.style.isPlain && Int(scalar.text) != nil { return "the number \(scalar.text)" }
    return "\"\(scalar.text)\""
  }

  /// The node as a scalar; a list or a mapping gets "`field` must be `what`, found a list".
  private mutating func scalar(_ node: Node, field: String, mustBe what: String) -> Scalar? {
    guard let scalar = node.scalar else {
      error(node.mark, "\(field) must be \(what), found \(node.kindName)")
      return nil
    }
    return scalar
  }

  mutating func string(_ node: Node, field: String) -> String? {
    scalar(node, field: field, mustBe: "a string").flatMap { string($0, field: field) }
  }

  mutating func string(_ scalar: Scalar, field: String) -> String? {
    if scalar.style.isPlain && Self.isNull(scalar.text) {
      error(scalar.mark, "\(field) must be a string, found null")
      return nil
    }
    return scalar.text
  }

  mutating func bool(_ node: Node, field: String) -> Bool? {
    scalar(node, field: field, mustBe: "true or false").flatMap { bool($0, field: field) }
  }

  mutating func bool(_ scalar: Scalar, field: String) -> Bool? {
    let text = scalar.text
    if scalar.style.isPlain {
      switch text {
      case "true", "True", "TRUE": return true
      case "false", "False", "FALSE": return false
      default:
        if Self.yaml11Booleans.contains(text) {
          error(
            scalar.mark,
            "\(field) must be true or false; \"\(text)\" is only a boolean in YAML 1.1, write true or false")
          return nil
        }
      }
    }
    error(scalar.mark, "\(field) must be true or false, found \(Self.describe(scalar))")
    return nil
  }

  mutating func integer(_ node: Node, field: String) -> Int? {
    if case .scalar(let text, let style) = node.kind, style.isPlain, let value = Int(text) {
      return value
    }
    error(node.mark, "\(field) must be an integer, found \(Self.describe(node))")
    return nil
  }

  mutating func sequence(_ node: Node, field: String) -> [Node]? {
    if case .sequence(let items) = node.kind { return items }
    error(node.mark, "\(field) must be a list, found \(Self.describe(node))")
    return nil
  }

  mutating func stringList(_ node: Node, field: String) -> [(String, Mark)]? {
    guard let items = sequence(node, field: field) else { return nil }
    return items.compactMap { item in string(item, field: "each of \(field)").map { ($0, item.mark) } }
  }

  /// The pairs of a mapping, one slot for each of `keys` (nil when not written); unknown keys get an
  /// error with a suggestion.
  mutating func mapping(_ node: Node, field: String, keys: [String]) -> [Pair?]? {
    guard case .mapping(let pairs) = node.kind else {
      error(node.mark, "\(field) must be a mapping, found \(Self.describe(node))")
      return nil
    }
    var result = [Pair?](repeating: nil, count: keys.count)
    for pair in pairs {
      let key = pair.keyText ?? ""
      if let index = keys.firstIndex(of: key) {
        result[index] = pair
      } else {
        unknownKey(key, at: pair.key.mark, in: field, keys: keys)
      }
    }
    return result
  }

  mutating func unknownKey(_ key: String, at mark: Mark, in field: String, keys: [String]) {
    var message = "unknown key \"\(key)\" in \(field)"
    if let guess = Suggest.closest(to: key, in: keys) { message += "; did you mean \"\(guess)\"?" }
    error(mark, message)
  }
}

/// "Did you mean" for mistyped keys: the closest known key within a small edit distance.
enum Suggest {
  static func closest(to word: String, in candidates: [String]) -> String? {
    // The distance costs length × length: a 100 KB key is no typo of a 20-character one.
    guard word.utf8.count <= 64 else { return nil }
    let scored = candidates.map { ($0, distance(word.lowercased(), $0)) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    return best.1 <= max(2, word.count / 3) ? best.0 : nil
  }

  static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...max(b.count, 1) where j <= b.count {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}
