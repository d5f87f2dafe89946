import RosterYAML

/// Reads typed values out of YAML nodes with the manifest's deliberate rules: strings are taken as
/// written (a plain `no` stays "no"), and booleans are only ever `true` or `false`, never YAML 1.1's
/// `yes`/`no`/`on`/`off`, which have surprised too many people in string fields.
struct ScalarReader {
  private(set) var diagnostics = Diagnostics()

  private static let nulls: Set<String> = ["", "~", "null", "Null", "NULL"]
  private static let yaml11Booleans: Set<String> = [
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
    "on", "On", "ON", "off", "Off", "OFF",
  ]

  /// Whether a plain scalar reads as null. Most values are longer than any null spelling, which is
  /// checked first: hashing every value of a large roster for this showed in its profile.
  static func isNull(_ text: String) -> Bool { text.utf8.count <= 4 && nulls.contains(text) }

  mutating func error(_ mark: Mark, _ message: String) { diagnostics.error(mark, message) }
  mutating func warning(_ mark: Mark, _ message: String) { diagnostics.warning(mark, message) }
  mutating func demoteErrors(from start: Int, note: String) { diagnostics.demoteErrors(from: start, note: note) }
  mutating func moveToEnd(_ range: Range<Int>) { diagnostics.moveToEnd(range) }

  static func describe(_ node: Node) -> String {
    guard case .scalar(let text, let style) = node.kind else { return node.kindName }
    if style.isPlain && isNull(text) && node.tag == nil { return "null" }
    if style.isPlain && node.tag == nil && Int(text) != nil { return "the number \(text)" }
    return "\"\(text)\""
  }

  mutating func string(_ node: Node, field: String) -> String? {
    guard case .scalar(let text, let style) = node.kind else {
      error(node.mark, "\(field) must be a string, found \(node.kindName)")
      return nil
    }
    if style.isPlain && node.tag == nil && Self.isNull(text) {
      error(node.mark, "\(field) must be a string, found null")
      return nil
    }
    return text
  }

  mutating func bool(_ node: Node, field: String) -> Bool? {
    if case .scalar(let text, let style) = node.kind, style.isPlain {
      switch text {
      case "true", "True", "TRUE": return true
      case "false", "False", "FALSE": return false
      default:
        if Self.yaml11Booleans.contains(text) {
          error(
            node.mark, "\(field) must be true or false; \"\(text)\" is only a boolean in YAML 1.1, write true or false")
          return nil
        }
      }
    }
    error(node.mark, "\(field) must be true or false, found \(Self.describe(node))")
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
