/// What `roster export --fields` may write.
public enum ExportField: String, CaseIterable, Sendable {
  case email
  case firstName = "first_name"
  case lastName = "last_name"
  case nickname, position, locale, roles, active, tokens
  /// auth_service and, when the server shows it, auth_data.
  case auth
  /// Each user's teams and admin flags (`teams`), and with `channels` their channels in each team.
  case teams, channels

  /// The identity fields: what a team owns centrally. Nickname, position and locale are left to the
  /// people themselves unless asked for.
  public static let identity: [ExportField] = [.email, .firstName, .lastName, .roles, .active, .tokens, .auth]

  var profile: ProfileField? { ProfileField.named(rawValue) }
  var managed: ManagedField? { ManagedField(key: rawValue) }

  /// The user key it writes (`auth` writes auth_service, and auth_data beside it).
  var key: ManifestKey.User {
    if let profile { return .profile(profile) }
    switch self {
    case .roles: return .roles
    case .tokens: return .tokens
    case .auth: return .authService
    case .teams, .channels: return .teams
    default: return .active
    }
  }
}

/// A manifest key as the exporter writes it.
private typealias Key = ManifestKey

public struct ExportOptions: Sendable {
  /// Written fields, in `ExportField` order whatever order they were given in.
  public var fields: [ExportField]
  /// The `yaml-language-server` modeline's schema; none when nil (a relative path means nothing outside
  /// the repository it was written for).
  public var schemaPath: String?

  /// `active` is always written: a user without it is declared active, and would be reactivated.
  public init(fields: [ExportField] = ExportField.identity, schemaPath: String? = nil) {
    // Channels are written inside teams.
    self.fields = ExportField.allCases.filter {
      fields.contains($0) || $0 == .active || ($0 == .teams && fields.contains(.channels))
    }
    self.schemaPath = schemaPath
  }
}

/// Writes a manifest that reproduces the live server for the chosen fields, in a shape a team can keep:
/// a `settings:` block saying what roster manages (so fields people edit themselves are not pinned),
/// the most common values factored into `defaults:`, no empty fields, users sorted by username. No
/// secrets: passwords are never readable. Plan after export shows no changes, and exporting the same
/// server twice gives the same bytes.
public enum ManifestExporter {
  /// One manifest.
  public static func export(_ live: LiveState, options: ExportOptions = ExportOptions()) -> String {
    let layout = Layout(live, options: options)
    return (layout.header(options) + layout.userLines(layout.users) + layout.botLines()).joined(separator: "\n") + "\n"
  }

  /// One file of settings and defaults (`roster.yaml`) and one per first character of the username
  /// (`users-a.yaml`, ...; `users-other.yaml` for names starting with `.`, `-` or `_`), for rosters too
  /// large to review as one file. Each is a manifest; the directory loads as one.
  public static func exportFiles(_ live: LiveState, options: ExportOptions = ExportOptions()) -> [(
    name: String, text: String
  )] {
    let layout = Layout(live, options: options)
    var files = [
      (name: "roster.yaml", text: (layout.header(options) + layout.botLines()).joined(separator: "\n") + "\n")
    ]
    let groups = Dictionary(grouping: layout.users) { user -> String in
      let first = user.username.first.map(String.init) ?? "other"
      return first.allSatisfy { $0.isLetter || $0.isNumber } ? first : "other"
    }
    for key in groups.keys.sorted() {
      var lines = modeline(options) + [banner, "\(Key.Top.version.key): 1"]
      lines += layout.userLines(groups[key] ?? [])
      files.append((name: "users-\(key).yaml", text: lines.joined(separator: "\n") + "\n"))
    }
    return files
  }

  static func modeline(_ options: ExportOptions) -> [String] {
    options.schemaPath.map { ["# yaml-language-server: $schema=\($0)"] } ?? []
  }

  /// The decisions shared by both shapes: which users, which defaults, which fields.
  struct Layout {
    let users: [LiveUser]
    let skipped: [LiveUser]
    let tokens: [String: [LiveToken]]
    let readAt: Int64?
    let fields: [ExportField]
    let memberships: MembershipIndex?
    /// The bots with their users, by username, and usernames by id; nil when bots were not read.
    let bots: [(bot: LiveBot, user: LiveUser)]?, usernames: [String: String]
    /// Field → value every user without its own line gets.
    var defaults: [(ExportField, String)] = []

    init(_ live: LiveState, options: ExportOptions) {
      users = live.users.filter(\.isManageable).sorted { $0.username < $1.username }
      skipped = live.users.filter { $0.isRemote || ($0.isBot && live.bots == nil) }.sorted { $0.username < $1.username }
      let byID = Dictionary(live.users.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
      usernames = byID.mapValues(\.username)
      bots = live.bots?.compactMap { bot in byID[bot.userID].flatMap { $0.isRemote ? nil : (bot, $0) } }
        .sorted { $0.user.username < $1.user.username }
      tokens = Dictionary(grouping: live.tokens ?? [], by: \.userID)
      readAt = live.readAt
      fields = options.fields
      memberships = live.memberships.map(MembershipIndex.init)
      for field in fields { if let value = commonValue(field) { defaults.append((field, value)) } }
    }

    /// The value most users share, when factoring it out shortens the file and every other user can
    /// still write its own (a user with no declarable value would silently inherit the default).
    func commonValue(_ field: ExportField) -> String? {
      let values: [String?]
      switch field {
      case .nickname, .position, .locale:
        values = users.map { Self.declarable(field, $0) }
      case .roles:
        values = users.map { Self.rolesText($0) }
      default:
        return nil  // identity fields and secrets are per person; active and auth stay explicit
      }
      guard values.count >= 2, !values.contains(where: { $0 == nil }) else { return nil }
      let counts = Dictionary(values.compactMap { $0 }.map { ($0, 1) }, uniquingKeysWith: +)
      // An empty default would pin everyone's empty field; empty fields are left out instead.
      guard let best = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }), best.value * 2 > values.count,
        best.value >= 2, !best.key.isEmpty
      else { return nil }
      return best.key
    }

    /// The field's value as a manifest could declare it; nil when the manifest would refuse it (no
    /// email, an unknown locale), which leaves the field unmanaged for that user.
    static func declarable(_ field: ExportField, _ user: LiveUser) -> String? {
      guard let profile = field.profile else { return nil }
      let value = user[keyPath: profile.live]
      return profile.problem(profile.normalized(value)) == nil ? value : nil
    }

    /// `[system_user, ...]`, or nil when the roles are not ones a manifest can declare.
    static func rolesText(_ user: LiveUser) -> String? {
      let roles = ServerRules.canonicalRoles(user.roleSet)
      guard roles.contains("system_user"),
        roles.allSatisfy({ ServerRules.systemRoles.contains($0) && $0 != "system_guest" })
      else { return roles == ["system_guest"] ? "[system_guest]" : nil }
      return "[" + roles.joined(separator: ", ") + "]"
    }

    func defaultValue(_ field: ExportField) -> String? { defaults.first { $0.0 == field }?.1 }

    /// Version, settings, defaults and the note about bots and remote users.
    func header(_ options: ExportOptions) -> [String] {
      var out = ManifestExporter.modeline(options) + [ManifestExporter.banner, "\(Key.Top.version.key): 1"]
      out.append("\(Key.Top.settings.key):")
      out.append("  \(Key.Setting.unmanagedUsers.key): \(UnmanagedPolicy.ignore.rawValue)")
      let managed = fields.compactMap(\.managed).map(\.key)
      out.append("  \(Key.Setting.managedFields.key): [\(managed.joined(separator: ", "))]")
      if keepsOffboardedTokens {
        out.append(
          "  \(Key.Setting.onDeactivate.key): \(DeactivationTokenPolicy.keep.rawValue)  # a deactivated account holds an active token"
        )
      }
      if !defaults.isEmpty {
        out.append("\(Key.Top.defaults.key):")
        for (field, value) in defaults {
          out.append("  \(field.key.key): \(field == .roles ? value : ManifestExporter.scalar(value))")
        }
      }
      if !skipped.isEmpty {
        out.append("# Left out (roster does not manage remote users\(bots == nil ? " or unread bots" : "")):")
        // Quoted like any value: a comment ends at a line break, and a hostile server's bot name with
        // one (or a U+2028, which YAML also reads as one) would start a line of its own choosing.
        for user in skipped {
          out.append("#   \(ManifestExporter.scalar(user.username))\(user.isBot ? " (bot)" : " (remote)")")
        }
      }
      return out
    }

    func userLines(_ list: [LiveUser]) -> [String] {
      var out = ["\(Key.Top.users.key):"]
      if list.isEmpty { out[0] = "\(Key.Top.users.key): []" }
      for user in list { out += lines(for: user) }
      return out
    }

    func lines(for user: LiveUser) -> [String] {
      var out = ["  - \(Key.User.username.key): \(ManifestExporter.scalar(user.username))"]
      for field in fields {
        switch field {
        case .email, .firstName, .lastName, .nickname, .position, .locale:
          let value = Self.declarable(field, user)
          if let common = defaultValue(field) {
            if let value, value != common { out.append("    \(field.key.key): \(ManifestExporter.scalar(value))") }
          } else if let value, !value.isEmpty {
            out.append("    \(field.key.key): \(ManifestExporter.scalar(value))")
          }
        case .roles:
          if let roles = Self.rolesText(user) {
            if roles != defaultValue(.roles) { out.append("    \(Key.User.roles.key): \(roles)") }
          } else {
            out.append(
              "    # roles not managed: the server has \(ManifestExporter.scalar(user.roles)), which a manifest cannot declare"
            )
          }
        case .active:
          if !user.isActive { out.append("    \(Key.User.active.key): false") }
        case .auth:
          if !user.authService.isEmpty {
            out.append("    \(Key.User.authService.key): \(ManifestExporter.scalar(user.authService))")
            if let data = user.authData, !data.isEmpty {
              out.append("    \(Key.User.authData.key): \(ManifestExporter.scalar(data))")
            }
          }
        case .tokens:
          out += tokenLines(user)
        case .teams:
          out += teamLines(user, channels: fields.contains(.channels))
        case .channels:
          break  // written with teams
        }
      }
      return out
    }

    func tokenLines(_ user: LiveUser) -> [String] {
      let own = (tokens[user.id] ?? []).sorted { ($0.description, $0.id) < ($1.description, $1.id) }
      // An expired token is one the next plan would replace (and leaving it out, revoke): the user's
      // tokens stay unmanaged until someone decides, so export then plan stays empty.
      if let expired = own.first(where: { token in readAt.map { token.isExpired(at: $0) } ?? false }) {
        return ["    # tokens not managed: \(ManifestExporter.scalar(expired.description)) has expired"]
      }
      var out: [String] = []
      let descriptions = own.map(\.description)
      if Set(descriptions).count != descriptions.count {
        return out + ["    # tokens not managed: several live tokens share a description"]
      }
      guard !own.isEmpty else { return out }
      out.append("    \(Key.User.tokens.key):")
      for token in own {
        out.append("      - \(Key.Token.description.key): \(ManifestExporter.scalar(token.description))")
        if !token.isActive { out.append("        \(Key.Token.active.key): false") }
      }
      return out
    }
  }

  /// The first line of every export (after the modeline): what `export --out-dir` looks for before it
  /// removes a file an earlier export wrote.
  public static let banner = "# Exported by roster from the live server."

  /// A YAML scalar that reads back as exactly this string: plain when that is unambiguous, else quoted.
  /// Bytes a plain scalar may hold here; anything else is quoted.
  private static let plainBytes = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@+ ".utf8)
  /// Words a YAML 1.1 or 1.2 reader would not read as a string.
  private static let yamlWords: Set<String> = [
    "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES",
    "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
  ]

  static func scalar(_ raw: String) -> String {
    // Manifests expand ${VAR} in every string; a literal "${" is written "$${".
    let text = raw.replacingEvery("${", with: "$${")
    let plain =
      !yamlWords.contains(text) && text.utf8.allSatisfy { plainBytes.contains($0) } && Double(text) == nil
      && text.first.map { $0.isLetter || $0.isNumber } == true && text.last != " "
    if plain { return text }
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      default:
        // Every control character, DEL, C1 and the bidi controls are written as escapes, so the exported
        // file shows what the server holds and reads back to exactly it.
        // YAML reads U+2028 and U+2029 as line breaks (and NEL, a C1 control) and folds them in a
        // quoted scalar, and a BOM inside a document is an error.
        if Display.isUnsafe(scalar) || [0x2028, 0x2029, 0xFEFF].contains(scalar.value) {
          out += "\\u" + String(scalar.value, radix: 16).leftPadded(4)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}

extension String {
  func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
