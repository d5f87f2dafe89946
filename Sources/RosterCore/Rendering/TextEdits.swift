/// The few string edits roster needs, written out so the shipped binary needs no Foundation (whose
/// string methods come with ICU). Each matches what Foundation's method of the same purpose returns, so
/// messages, plans and exports read as they always did; the tests compare them with Foundation's.
extension StringProtocol {
  /// Without leading and trailing spaces and tabs, as `trimmingCharacters(in: .whitespaces)`. (Not
  /// `trimmingWhitespace()`, Go's TrimSpace, which also takes line breaks.)
  public func trimmingBlanks() -> String { trimming(where: TextEdits.isWhitespace) }

  /// Without leading and trailing spaces, tabs and line breaks, as
  /// `trimmingCharacters(in: .whitespacesAndNewlines)`.
  public func trimmingBlanksAndNewlines() -> String {
    trimming { TextEdits.isWhitespace($0) || TextEdits.isNewline($0) }
  }

  /// Without the leading and trailing scalars `strip` picks. Foundation trims scalars, not characters: a
  /// space before a combining accent goes, the accent stays.
  public func trimming(where strip: (Unicode.Scalar) -> Bool) -> String {
    let scalars = String(self).unicodeScalars
    guard let first = scalars.firstIndex(where: { !strip($0) }) else { return "" }
    let last = scalars.lastIndex(where: { !strip($0) }) ?? first
    return String(Substring(scalars[first...last]))
  }

  /// Every occurrence of `target` replaced, found as `replacingOccurrences(of:with:)` finds it: whole
  /// characters only (a `_` carrying a combining accent is not a `_`), except that a lone CR or LF is
  /// found inside a CRLF pair, which Swift counts as one character.
  public func replacingEvery(_ target: String, with replacement: String) -> String {
    let scalars = Array(target.unicodeScalars)
    guard scalars.count == 1, scalars[0] == "\r" || scalars[0] == "\n" else {
      return String(self).replacing(target, with: replacement)
    }
    var out = String.UnicodeScalarView()
    for scalar in unicodeScalars {
      if scalar == scalars[0] { out.append(contentsOf: replacement.unicodeScalars) } else { out.append(scalar) }
    }
    return String(out)
  }
}

/// The character classes of Foundation's `CharacterSet.whitespaces` and `.newlines`, fixed here (they
/// are stable Unicode sets) so trimming does not depend on the Unicode tables of the machine.
public enum TextEdits {
  /// Tab, the space separators (general category Zs) and the zero-width space, as Foundation has them.
  public static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: true
    default: false
    }
  }

  /// LF, VT, FF, CR, NEL and the line and paragraph separators.
  public static func isNewline(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
    default: false
    }
  }
}
