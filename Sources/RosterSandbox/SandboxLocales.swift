/// model/user.go IsValidLocale, read on the sandbox's side: an empty locale, or one of at most 5 bytes
/// that golang.org/x/text/language.Parse accepts. Up to 5 bytes that is a registered language (2 or 3
/// letters), a registered 2-letter language with a registered 2-letter region, private use ("x-" and
/// alphanumeric subtags), a short legacy "i-" tag or "root"; any case, "_" as "-".
enum SandboxLocales {
  static func valid(_ s: String) -> Bool {
    if s.isEmpty { return true }
    guard s.utf8.count <= 5 else { return false }
    guard s.unicodeScalars.allSatisfy(\.isASCII) else { return lowByteRoot(s) }
    let subtags = s.lowercased().split(omittingEmptySubsequences: false) { $0 == "-" || $0 == "_" }.map(String.init)
    let alphanumeric = subtags.allSatisfy { tag in
      !tag.isEmpty && tag.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }
    guard alphanumeric, let first = subtags.first else { return false }
    if first == "x" { return subtags.count > 1 }
    if subtags == ["root"] { return true }
    if first == "i" { return subtags.count == 2 && legacyI.contains(subtags[1]) }
    switch (subtags.count, first.count) {
    case (1, 2): return known.languages2.contains(first)
    case (1, 3): return known.languages3.contains(first)
    case (2, 2): return known.languages2.contains(first) && known.regions2.contains(subtags[1])
    default: return false
    }
  }

  /// grandfatheredMap in x/text internal/language/lookup.go, the entries of 5 bytes or fewer.
  static let legacyI: Set<String> = ["ami", "bnn", "hak", "lux", "pwn", "tao", "tay", "tsu"]

  /// x/text matches legacy tags on one byte per character, a non-ASCII one's low byte: "roo" and a
  /// two-byte character whose code point ends in 0x74 ("t") is "root" to it.
  static func lowByteRoot(_ s: String) -> Bool {
    let scalars = Array(s.unicodeScalars)
    guard scalars.count == 4, String(String.UnicodeScalarView(scalars[0..<3])).lowercased() == "roo" else {
      return false
    }
    return (0x80..<0x800).contains(scalars[3].value) && scalars[3].value & 0xFF == 0x74
  }

  /// The generated registries, expanded into sets once.
  static let known = (
    languages2: expand(languages2), regions2: expand(regions2.lowercased()), languages3: expand(languages3)
  )

  /// "a:bc d:e" is ab ac de.
  static func expand(_ groups: String) -> Set<String> {
    var codes = Set<String>()
    for group in groups.split(whereSeparator: \.isWhitespace) {
      let parts = group.split(separator: ":")
      guard parts.count == 2 else { continue }
      for last in parts[1] { codes.insert(String(parts[0]) + String(last)) }
    }
    return codes
  }
}
