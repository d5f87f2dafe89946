/// The locales the server takes. server/public/model/user.go IsValidLocale accepts an empty locale, or one
/// of at most 5 bytes that golang.org/x/text/language.Parse accepts; Parse knows registries of languages
/// and regions, so a well-formed "xx" or "en-AB" is refused and a deprecated "iw" is not.
///
/// Within 5 bytes Parse accepts only these shapes (scripts/locale-table checks that against x/text on
/// every string that could matter): a registered language of 2 or 3 letters; a registered 2-letter
/// language and 2-letter region; private use (`x-` and subtags of letters and digits); the legacy tags
/// `i-ami`, `i-bnn`, `i-hak`, `i-lux`, `i-pwn`, `i-tao`, `i-tay`, `i-tsu` and `root`. Letters in any
/// case, `_` as well as `-`. Scripts, 3-digit regions and variants need at least 6 bytes.
enum LocaleTag {
  /// Why the server refuses `locale`, or nil. Allocates nothing, since a manifest may hold 100,000 users.
  static func problem(_ locale: String) -> String? {
    let utf8 = locale.utf8
    if utf8.isEmpty { return nil }  // IsValidLocale takes it: the user then has no locale of their own
    let ascii = utf8.allSatisfy { $0 < 0x80 }
    if utf8.count > ServerRules.localeMaxLength && ascii {
      return "locale \"\(locale)\" is longer than \(ServerRules.localeMaxLength) characters"
    }
    if !ascii {
      return readsAsRoot(utf8) ? nil : refused(locale, ": only ASCII letters, digits, '-' and '_' make one")
    }
    var tag = Folded()
    for byte in utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): tag.append(byte | 0x20)
      case UInt8(ascii: "_"): tag.append(UInt8(ascii: "-"))
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
        tag.append(byte)
      default: return refused(locale, ": only ASCII letters, digits, '-' and '_' make one")
      }
    }
    return tag.problem(locale)
  }

  static func refused(_ locale: String, _ why: String = ", such as en, de or pt-BR") -> String {
    "locale \"\(locale)\" is not a language tag the server accepts\(why)"
  }

  /// Parse looks legacy tags up in a buffer holding one byte per character, the low byte of a non-ASCII
  /// one, so "roo" and a two-byte character ending in 0x74 ("t"), such as "rooŴ", reads as "root".
  private static func readsAsRoot(_ utf8: String.UTF8View) -> Bool {
    guard utf8.count == 5 else { return false }
    var bytes = (UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0))
    for (i, byte) in utf8.enumerated() {
      switch i {
      case 0: bytes.0 = byte | 0x20
      case 1: bytes.1 = byte | 0x20
      case 2: bytes.2 = byte | 0x20
      case 3: bytes.3 = byte
      default: bytes.4 = byte
      }
    }
    guard bytes.0 == UInt8(ascii: "r"), bytes.1 == UInt8(ascii: "o"), bytes.2 == UInt8(ascii: "o"),
      (0xC2...0xDF).contains(bytes.3)
    else { return false }
    return (UInt32(bytes.3 & 0x1F) << 6 | UInt32(bytes.4 & 0x3F)) & 0xFF == 0x74
  }

  /// The legacy `i-` tags short enough (x/text internal/language lookup.go grandfatheredMap).
  static let legacy: Set<String> = ["ami", "bnn", "hak", "lux", "pwn", "tao", "tay", "tsu"]

  /// The registries as tables indexed by letters, built once on first use from LocaleRegistry.swift.
  static let languages2 = table(twoLetterLanguageList, width: 2)
  static let regions2 = table(twoLetterRegionList.lowercased(), width: 2)
  static let languages3: [Bool] = {
    var table = [Bool](repeating: false, count: 26 * 26 * 26)
    var bit = 0
    for digit in threeLetterLanguageBits.utf8 where digit != UInt8(ascii: "\n") && digit != UInt8(ascii: " ") {
      let value = digit <= UInt8(ascii: "9") ? Int(digit) - 48 : Int(digit) - 87
      for j in 0..<4 where bit + j < table.count { table[bit + j] = value >> j & 1 == 1 }
      bit += 4
    }
    return table
  }()

  private static func table(_ list: String, width: Int) -> [Bool] {
    var table = [Bool](repeating: false, count: width == 2 ? 26 * 26 : 26 * 26 * 26)
    for code in list.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
      table[code.utf8.reduce(0) { $0 * 26 + Int($1) - 97 }] = true
    }
    return table
  }
}

/// A locale of at most 5 bytes, lower-cased and with `_` read as `-`, packed into an integer.
private struct Folded {
  private var packed: UInt64 = 0
  private(set) var count = 0

  mutating func append(_ byte: UInt8) {
    packed |= UInt64(byte) << (8 * count)
    count += 1
  }

  subscript(_ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: packed >> (8 * i)) }

  private func isLetter(_ i: Int) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self[i]) }
  private func letters(_ range: Range<Int>) -> Int? {
    var index = 0
    for i in range {
      guard isLetter(i) else { return nil }
      index = index * 26 + Int(self[i]) - 97
    }
    return index
  }
  private func text(_ range: Range<Int>) -> String {
    String(decoding: range.map { self[$0] }, as: UTF8.self)
  }

  func problem(_ locale: String) -> String? {
    var dashes = 0
    var dash = count
    for i in 0..<count where self[i] == UInt8(ascii: "-") {
      // An empty subtag (leading, trailing or doubled separator) is a syntax error.
      if i == 0 || i == count - 1 || self[i - 1] == UInt8(ascii: "-") { return LocaleTag.refused(locale) }
      dashes += 1
      if dash == count { dash = i }
    }
    if dashes > 0 && dash == 1 && self[0] == UInt8(ascii: "x") { return nil }  // private use: x-abc, x-a-b
    if count == 4 && dashes == 0 && text(0..<4) == "root" { return nil }
    if count == 5 && dash == 1 && self[0] == UInt8(ascii: "i") && dashes == 1 {
      return LocaleTag.legacy.contains(text(2..<5)) ? nil : LocaleTag.refused(locale)
    }
    guard dashes <= 1, dash == 2 || dash == 3, let language = letters(0..<dash) else {
      return LocaleTag.refused(locale)
    }
    let known = dash == 2 ? LocaleTag.languages2[language] : LocaleTag.languages3[language]
    if !known { return LocaleTag.refused(locale, ": it knows no language \"\(text(0..<dash))\"") }
    if dashes == 0 { return nil }
    guard dash == 2, count == 5, let region = letters(3..<5) else { return LocaleTag.refused(locale) }
    if LocaleTag.regions2[region] { return nil }
    return LocaleTag.refused(locale, ": it knows no region \"\(text(3..<5).uppercased())\"")
  }
}
