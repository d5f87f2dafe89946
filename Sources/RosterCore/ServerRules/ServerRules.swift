/// The Mattermost server's own rules for user fields, so that a manifest the server would refuse is
/// refused here first, with a position, instead of halfway through an apply.
/// Source: server/public/model/user.go (IsValid, constants, NormalizeUsername/NormalizeEmail) and
/// server/public/model/utils.go (IsValidUsername, restrictedUsernames, IsValidEmail).
public enum ServerRules {
  public static let usernameMaxLength = 64
  public static let emailMaxLength = 128
  public static let nicknameMaxRunes = 64
  public static let firstNameMaxRunes = 64
  public static let lastNameMaxRunes = 64
  public static let positionMaxRunes = 128
  public static let authDataMaxLength = 128
  public static let localeMaxLength = 5
  public static let rolesMaxLength = 256
  public static let passwordMaxBytes = 72
  /// PasswordSettings.MinimumLength default (server/public/model/config.go).
  public static let passwordMinLength = 8
  /// model/user_access_token.go IsValid: description at most 255 bytes.
  public static let tokenDescriptionMaxBytes = 255

  /// utils.go restrictedUsernames.
  public static let reservedUsernames: Set<String> = ["all", "channel", "matterbot", "system"]

  /// The built-in system roles (model/role.go); a declared role outside this set is refused.
  public static let systemRoles: [String] = [
    "system_user", "system_admin", "system_guest", "system_post_all", "system_post_all_public",
    "system_user_access_token", "system_user_manager", "system_read_only_admin", "system_manager",
    "system_custom_group_admin", "system_shared_channel_manager",
  ]
  /// Roles the server grants only with a license (api4/user.go updateUserRoles).
  public static let licensedRoles: Set<String> = [
    "system_user_manager", "system_read_only_admin", "system_manager", "system_shared_channel_manager",
  ]

  /// Authentication services a user may be bound to (model/user.go, model/config.go Service* constants).
  public static let authServices: [String] = ["ldap", "saml", "gitlab", "google", "office365", "openid"]
  /// OAuth providers own first and last name and email (app/user.go CheckProviderAttributes).
  public static let oauthServices: Set<String> = ["gitlab", "google", "office365", "openid"]

  /// The server lowercases usernames (model.NormalizeUsername) before validating and storing them.
  public static func normalizeUsername(_ name: String) -> String { goLowercased(name) }

  /// The server trims email whitespace on create and lowercases it (model.NormalizeEmail).
  public static func normalizeEmail(_ email: String) -> String {
    goLowercased(email.trimmingWhitespace())
  }

  /// model.SanitizeUnicode (model/utils.go filterBlocklist): the characters the server removes from
  /// username, first and last name and nickname on every save. Zero-width joiners, LRM/RLM and the
  /// isolates are not among them and stay.
  public static func isRemovedByServer(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0340, 0x0341, 0x17A3, 0x17D3, 0x2028, 0x2029, 0x202A...0x202E, 0x206A...0x206F, 0xFEFF,
      0xFFF9...0xFFFC, 0x1D173...0x1D17A, 0xE0000...0xE007F:
      return true
    default:
      return false
    }
  }

  /// Go's strings.ToLower, which the server uses: each scalar by its simple lowercase mapping. Swift's
  /// `lowercased()` applies the full mapping, which differs for "İ" (U+0130): Go gives "i", Swift "i̇".
  public static func goLowercased(_ text: String) -> String {
    // Already-lowercase ASCII (nearly every username and address) is returned as it is, without a copy.
    // Over the contiguous bytes when there are any: the view's iterator costs a call per byte.
    let lowerASCII =
      text.utf8.withContiguousStorageIfAvailable { bytes in
        bytes.allSatisfy { $0 < 0x80 && !(0x41...0x5A).contains($0) }
      } ?? text.utf8.allSatisfy({ $0 < 0x80 && !(0x41...0x5A).contains($0) })
    if lowerASCII { return text }
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      // Only U+0130 has an unconditional lowercase mapping of several scalars; its simple one is the first.
      out.append(scalar.properties.lowercaseMapping.unicodeScalars.first ?? scalar)
    }
    return String(out)
  }

  /// Why a (normalised) username is refused, or nil when the server accepts it.
  public static func usernameProblem(_ name: String) -> String? {
    if name.isEmpty { return "username must not be empty" }
    if name.utf8.count > usernameMaxLength {
      return "username \"\(name)\" is \(name.utf8.count) characters; the server allows at most \(usernameMaxLength)"
    }
    // Over the contiguous bytes (a byte of a non-ASCII character is refused like the character).
    let allowed = name.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(isUsernameByte) }
    if !(allowed ?? name.utf8.allSatisfy(isUsernameByte)) {
      return "username \"\(name)\" may only contain a-z, 0-9, '.', '-' and '_'"
    }
    // Four names compared directly, and only at their lengths: hashing every declared name for the set
    // cost 1% of a validate.
    let count = name.utf8.count
    if reservedList.contains(where: { $0.utf8.count == count && $0 == name }) {
      return "username \"\(name)\" is reserved by the server"
    }
    return nil
  }

  private static let reservedList = Array(reservedUsernames)

  private static func isUsernameByte(_ b: UInt8) -> Bool {
    switch b {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
    case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"): true
    default: false
    }
  }

  /// Why a (normalised) email is refused, or nil. The server parses it as an RFC 5322 address without a
  /// display name (net/mail ParseAddress); this checks the same shape: dot-atom local part, dotted domain.
  public static func emailProblem(_ email: String) -> String? {
    if email.isEmpty { return "email must not be empty" }
    if email.utf8.count > emailMaxLength {
      return "email is \(email.utf8.count) characters; the server allows at most \(emailMaxLength)"
    }
    // Exactly one "@", found over the contiguous bytes without splitting (this runs for every declared
    // user; the view's iterator cost a call per byte).
    let plain =
      email.utf8.withContiguousStorageIfAvailable(isPlainAddress) ?? isPlainAddress(Array(email.utf8)[...])
    guard plain else {
      return "\"\(email)\" is not a plain email address (name@example.com, without a display name)"
    }
    return nil
  }

  /// Exactly one "@", with a dot-atom on each side: non-empty atoms of atext joined by single dots. One
  /// pass over the bytes (four passes before: the "@", a second "@", each side).
  private static func isPlainAddress<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Bool {
    var ats = 0
    var atomLength = 0
    for byte in bytes {
      if byte == UInt8(ascii: "@") || byte == UInt8(ascii: ".") {
        // Either ends an atom, which must not be empty: no empty side, no leading, trailing or double dot.
        if atomLength == 0 { return false }
        atomLength = 0
        if byte == UInt8(ascii: "@") {
          ats += 1
          if ats > 1 { return false }
        }
      } else if isAtext(byte) {
        atomLength += 1
      } else {
        return false
      }
    }
    return ats == 1 && atomLength > 0
  }

  /// RFC 5322 atext among ASCII bytes (lowercase letters, digits and !#$%&'*+-/=?^_`{|}~); bytes of
  /// non-ASCII characters pass. A switch rather than a table: a global table is looked up through its
  /// lazy initialiser on every byte.
  private static func isAtext(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
    case UInt8(ascii: "!"), UInt8(ascii: "#")...UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
      UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "^")...UInt8(ascii: "`"),
      UInt8(ascii: "{")...UInt8(ascii: "~"):
      return true
    default: return byte >= 0x80
    }
  }

  /// Locale: empty, or at most 5 bytes that golang.org/x/text/language.Parse accepts (model/user.go
  /// IsValidLocale); LocaleTag holds Parse's registries and shapes.
  public static func localeProblem(_ locale: String) -> String? { LocaleTag.problem(locale) }

  /// The roles in the one canonical order roster writes them: system_user first, then alphabetical.
  public static func canonicalRoles<S: Sequence>(_ roles: S) -> [String] where S.Element == String {
    Set(roles).sorted { a, b in
      if a == "system_user" || b == "system_user" { return a == "system_user" && b != "system_user" }
      return a < b
    }
  }
}

extension String {
  /// Go's strings.TrimSpace: Unicode white space at both ends.
  public func trimmingWhitespace() -> String {
    // Nothing to trim when both ends are ASCII other than whitespace (nearly every address): no
    // Unicode property lookups and no copy.
    let utf8 = self.utf8
    if let first = utf8.first, let last = utf8.last, Self.isPlainASCII(first), Self.isPlainASCII(last) {
      return self
    }
    let scalars = unicodeScalars
    guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
    let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) ?? start
    return String(scalars[start...end])
  }

  /// ASCII that is not White_Space (U+0009 to U+000D and the space are the ASCII ones).
  private static func isPlainASCII(_ byte: UInt8) -> Bool {
    byte < 0x80 && byte != 0x20 && !(0x09...0x0D).contains(byte)
  }
}
