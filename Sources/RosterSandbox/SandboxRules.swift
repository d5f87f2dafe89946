/// The server's field rules, written here independently of roster's own copy so that the two can
/// disagree and the end-to-end tests notice. Sources: server/public/model/user.go (IsValid,
/// constants, PreSave/PreUpdate), server/public/model/utils.go (IsValidUsername, IsValidEmail),
/// server/channels/app/users/password.go (IsPasswordValidWithSettings).
enum SandboxRules {
  static let reserved: Set<String> = ["all", "channel", "matterbot", "system"]
  static let usernameCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789.-_".unicodeScalars)
  /// Locales the server ships translations for; others become the default on create (app/user.go).
  static let supportedLocales: Set<String> = [
    "bg", "de", "en", "en-AU", "es", "fa", "fr", "hu", "it", "ja", "ko", "nl", "pl", "pt-BR", "ro", "ru",
    "sv", "tr", "uk", "vi", "zh-CN", "zh-TW",
  ]
  static let builtInRoles: Set<String> = [
    "system_guest", "system_user", "system_admin", "system_post_all", "system_post_all_public",
    "system_user_access_token", "system_user_manager", "system_read_only_admin", "system_manager",
    "system_custom_group_admin", "system_shared_channel_manager",
  ]
  /// api4/user.go updateUserRoles: these need a license, which the sandbox does not have.
  static let licensedRoles: Set<String> = [
    "system_user_manager", "system_read_only_admin", "system_manager", "system_shared_channel_manager",
  ]
  static let oauthServices: Set<String> = ["gitlab", "google", "office365", "openid"]

  static func validUsername(_ s: String) -> Bool {
    (1...64).contains(s.utf8.count) && s.unicodeScalars.allSatisfy { usernameCharacters.contains($0) }
      && !reserved.contains(s)
  }

  /// utils.go IsValidEmail: lowercase, parses as a bare address (net/mail) with no display name.
  static func validEmail(_ s: String) -> Bool {
    guard s == goLower(s), let at = s.lastIndex(of: "@") else { return false }
    let local = s[..<at]
    let domain = s[s.index(after: at)...]
    let special = Set("!#$%&'*+-/=?^_`{|}~")
    func atoms(_ part: Substring) -> Bool {
      !part.isEmpty
        && part.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { atom in
          !atom.isEmpty && atom.allSatisfy { $0.isLetter || $0.isNumber || special.contains($0) }
        }
    }
    return atoms(local) && atoms(domain)
  }

  /// model/user.go IsValidLocale (SandboxLocales.swift).
  static func validLocale(_ s: String) -> Bool { SandboxLocales.valid(s) }

  /// model/user.go IsValid, in its order; the first failing field names the error id.
  static func invalidField(_ u: UserRecord) -> String? {
    if !validUsername(u.username) { return "username" }
    if u.email.utf8.count > 128 || u.email.isEmpty || !validEmail(u.email) { return "email" }
    if u.nickname.unicodeScalars.count > 64 { return "nickname" }
    if u.position.unicodeScalars.count > 128 { return "position" }
    if u.firstName.unicodeScalars.count > 64 { return "first_name" }
    if u.lastName.unicodeScalars.count > 64 { return "last_name" }
    if let data = u.authData, data.utf8.count > 128 { return "auth_data" }
    if let data = u.authData, !data.isEmpty, u.authService.isEmpty { return "auth_data_type" }
    if !validLocale(u.locale) { return "locale" }
    return nil
  }

  /// model.SanitizeUnicode (server/public/model/utils.go filterBlocklist): exactly the W3C "unicode-xml"
  /// blocklist, removed. Zero-width joiners (emoji, Persian names), LRM/RLM and the isolates stay, as on
  /// the server; C0 and C1 controls stay too.
  static func sanitizeUnicode(_ s: String) -> String {
    String(String.UnicodeScalarView(s.unicodeScalars.filter { !blocked($0.value) }))
  }

  private static func blocked(_ v: UInt32) -> Bool {
    switch v {
    case 0x0340, 0x0341, 0x17A3, 0x17D3, 0x2028, 0x2029, 0x202A...0x202E, 0x206A...0x206F, 0xFEFF,
      0xFFF9...0xFFFC, 0x1D173...0x1D17A, 0xE0000...0xE007F:
      return true
    default:
      return false
    }
  }

  /// Go's strings.ToLower: each rune by its simple lowercase mapping, so "İ" (U+0130) becomes "i", not
  /// Swift's full mapping "i̇" (model.NormalizeUsername / NormalizeEmail use it).
  static func goLower(_ s: String) -> String {
    guard !s.utf8.allSatisfy({ $0 < 0x80 && !(0x41...0x5A).contains($0) }) else { return s }
    var out = String.UnicodeScalarView()
    for scalar in s.unicodeScalars {
      let mapped = scalar.properties.lowercaseMapping.unicodeScalars
      // The full mapping differs from the simple one only where it has several scalars (U+0130 alone
      // among unconditional mappings); the simple mapping is its first.
      out.append(mapped.first ?? scalar)
    }
    return String(out)
  }

  /// app/users/password.go IsPasswordValidWithSettings on newer servers (shared/mattermost-api.md §13): a
  /// length error alone (`pwd_min_length`, `pwd_max_length`), or, when a required class is missing, one id
  /// naming every required class in the order lowercase, uppercase, number, symbol. Lengths are bytes;
  /// the maximum is model.PasswordMaximumLength (72). model.SYMBOLS has the space and no braces.
  static func passwordErrorID(_ password: String, _ settings: ServerSettings) -> String? {
    let bytes = Array(password.utf8)
    var id = "model.user.is_valid.pwd"
    if bytes.count < settings.passwordMinimumLength { return id + "_min_length.app_error" }
    if bytes.count > 72 { return id + "_max_length.app_error" }
    let symbols = Set(" !\"\\#$%&'()*+,-./:;<=>?@[]^_`|~".utf8)
    let classes: [(Bool, String, (UInt8) -> Bool)] = [
      (settings.passwordRequireLowercase, "_lowercase", { (0x61...0x7A).contains($0) }),
      (settings.passwordRequireUppercase, "_uppercase", { (0x41...0x5A).contains($0) }),
      (settings.passwordRequireNumber, "_number", { (0x30...0x39).contains($0) }),
      (settings.passwordRequireSymbol, "_symbol", { symbols.contains($0) }),
    ]
    let required = classes.filter(\.0)
    guard required.contains(where: { !bytes.contains(where: $0.2) }) else { return nil }
    for (_, name, _) in required { id += name }
    return id + ".app_error"
  }

  /// Go's strconv.ParseBool with the error ignored, as the server reads its query flags.
  static func parseBool(_ value: String?) -> Bool {
    ["1", "t", "T", "TRUE", "true", "True"].contains(value ?? "")
  }

  /// Go's strings.TrimSpace.
  static func trim(_ s: String) -> String {
    let scalars = s.unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[first...last])
  }
}
