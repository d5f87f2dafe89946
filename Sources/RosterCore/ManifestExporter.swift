/// Writes a manifest that reproduces the live server: profile fields, roles, active state, token
/// descriptions and states. No secrets: passwords are never readable and auth_data is sanitised away.
public enum ManifestExporter {
  public static func export(_ live: LiveState, schemaPath: String = "../schemas/roster.schema.json") -> String {
    var out = [
      "# yaml-language-server: $schema=\(schemaPath)", "# Exported by roster from the live server.", "version: 1",
    ]
    let skipped = live.users.filter { !$0.isManageable }.sorted { $0.username < $1.username }
    if !skipped.isEmpty {
      out.append("# Left out (roster does not manage bots or remote users):")
      for user in skipped { out.append("#   \(user.username)\(user.isBot ? " (bot)" : " (remote)")") }
    }
    out.append("users:")
    let tokens = Dictionary(grouping: live.tokens ?? [], by: \.userID)
    for user in live.users.filter(\.isManageable).sorted(by: { $0.username < $1.username }) {
      out.append("  - username: \(scalar(user.username))")
      // Every field a manifest could declare as it is; one it would refuse (no email, an unknown locale)
      // is left out, and so stays unmanaged.
      for field in ProfileField.allCases {
        let value = user[keyPath: field.live]
        if field.problem(field.normalized(value)) == nil { out.append("    \(field.key): \(scalar(value))") }
      }
      let roles = ServerRules.canonicalRoles(user.roleSet)
      if roles.contains("system_user")
        && roles.allSatisfy({ ServerRules.systemRoles.contains($0) && $0 != "system_guest" })
      {
        out.append("    roles: [\(roles.joined(separator: ", "))]")
      } else {
        out.append("    # roles not managed: the server has \(scalar(user.roles)), which a manifest cannot declare")
      }
      if !user.isActive { out.append("    active: false") }
      if !user.authService.isEmpty { out.append("    auth_service: \(scalar(user.authService))") }
      let own = (tokens[user.id] ?? []).sorted { ($0.description, $0.id) < ($1.description, $1.id) }
      let descriptions = own.map(\.description)
      if Set(descriptions).count != descriptions.count {
        out.append("    # tokens not managed: several live tokens share a description")
      } else if !own.isEmpty {
        out.append("    tokens:")
        for token in own {
          out.append("      - description: \(scalar(token.description))")
          if !token.isActive { out.append("        active: false") }
        }
      }
    }
    return out.joined(separator: "\n") + "\n"
  }

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
    let text = raw.replacingOccurrences(of: "${", with: "$${")
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
        if Display.isUnsafe(scalar) {
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
