/// `${VAR}` expansion from the environment, with `$${` as the escape for a literal `${`.
public enum Template {
  public struct Unset: Error, Equatable, Sendable {
    public var name: String
    /// Offset in characters of the `$` that starts the reference, for the error's column.
    public var offset: Int
  }

  /// Expands every `${NAME}`; the first unset name is an error.
  public static func expand(_ text: String, env: [String: String]) -> Result<String, Unset> {
    // Nearly every field holds no `$` at all: skip the character walk for those.
    if !text.utf8.contains(UInt8(ascii: "$")) { return .success(text) }
    var out = ""
    let chars = Array(text)
    var i = 0
    while i < chars.count {
      if chars[i] == "$", i + 2 < chars.count, chars[i + 1] == "$", chars[i + 2] == "{" {
        out += "${"
        i += 3
        continue
      }
      if chars[i] == "$", i + 1 < chars.count, chars[i + 1] == "{",
        let close = chars[(i + 2)...].firstIndex(of: "}")
      {
        let name = String(chars[(i + 2)..<close])
        guard let value = env[name] else { return .failure(Unset(name: name, offset: i)) }
        out += value
        i = close + 1
        continue
      }
      out.append(chars[i])
      i += 1
    }
    return .success(out)
  }

  /// Whether the text refers to the environment at all (a literal secret does not).
  public static func references(in text: String) -> Bool { firstReference(in: text) != nil }

  /// The character offset of the first `${` that is not the escape `$${`; nil when there is none.
  public static func firstReference(in text: String) -> Int? {
    guard text.utf8.contains(UInt8(ascii: "$")) else { return nil }
    let chars = Array(text)
    var i = 0
    while i < chars.count {
      if chars[i] == "$", i + 2 < chars.count, chars[i + 1] == "$", chars[i + 2] == "{" {
        i += 3
        continue
      }
      if chars[i] == "$", i + 1 < chars.count, chars[i + 1] == "{" { return i }
      i += 1
    }
    return nil
  }

  /// The value of a field that may not refer to the environment: `$${` becomes `${`, nothing else.
  public static func literal(_ text: String) -> String {
    guard text.utf8.contains(UInt8(ascii: "$")) else { return text }
    return text.replacingEvery("$${", with: "${")
  }
}
