import RosterYAML

private typealias Token = ManifestKey.Token

extension ManifestDecoder {
  mutating func readRoles(_ node: Node) -> [String]? {
    guard let items = reader.stringList(node, field: ManifestKey.User.roles.key) else { return nil }
    var ok = true
    var seen: [String: Mark] = [:]
    for (role, mark) in items {
      if !ServerRules.systemRoles.contains(role) {
        var message = "unknown role \"\(role)\"; roles are the server's built-in system roles"
        if let guess = Suggest.closest(to: role, in: ServerRules.systemRoles) {
          message += "; did you mean \"\(guess)\"?"
        }
        reader.error(mark, message)
        ok = false
      } else if ServerRules.licensedRoles.contains(role) {
        reader.warning(mark, "role \(role) needs an Enterprise license; the server refuses it without one")
      }
      if let first = seen[role] {
        reader.warning(mark, "role \(role) is listed twice (first at line \(first.line)); roles are a set")
      }
      seen[role] = mark
    }
    let roles = Set(items.map(\.0))
    if ok && roles.contains("system_guest") && roles != ["system_guest"] {
      // POST /users/{id}/demote sets exactly "system_guest" (store DemoteUserToGuest).
      reader.error(node.mark, "a guest's roles are exactly [system_guest]; the server gives guests no other role")
      ok = false
    } else if ok && roles == ["system_guest"] {
      return ["system_guest"]
    } else if ok && roles == ["system_admin"] {
      reader.error(node.mark, "roles [system_admin] alone is refused by the server; write [system_user, system_admin]")
      ok = false
    } else if ok && !roles.contains("system_user") {
      reader.error(node.mark, "roles must include system_user, which every account needs to sign in and post")
      ok = false
    }
    let canonical = ServerRules.canonicalRoles(roles)
    if canonical.joined(separator: " ").utf8.count > ServerRules.rolesMaxLength {
      reader.error(node.mark, "roles are longer than the server's \(ServerRules.rolesMaxLength) characters")
      ok = false
    }
    return ok ? canonical : nil
  }

  mutating func readTokens(_ node: Node) -> [TokenSpec]? {
    guard let items = reader.sequence(node, field: ManifestKey.User.tokens.key) else { return nil }
    var tokens: [TokenSpec] = []
    var seen = KeyMarks()
    var ok = true
    for item in items {
      guard let fields = reader.mapping(item, field: "a token", keys: Token.allCases) else {
        ok = false
        continue
      }
      guard let pair = fields[.description] else {
        reader.error(item.mark, "a token needs a description; it is the token's only name on the server")
        ok = false
        continue
      }
      guard let description = text(pair.value, field: Token.description.key)?.value else {
        ok = false
        continue
      }
      if description.isEmpty {
        reader.error(pair.value.mark, "token description must not be empty")
        ok = false
        continue
      }
      if description.utf8.count > ServerRules.tokenDescriptionMaxBytes {
        reader.error(
          pair.value.mark,
          "token description is \(description.utf8.count) bytes; the server allows at most \(ServerRules.tokenDescriptionMaxBytes)"
        )
        ok = false
        continue
      }
      if let first = seen.first(description) {
        reader.error(
          pair.value.mark,
          "token \"\(description)\" is declared twice for this user; the first is at line \(first.line), column \(first.column)"
        )
        ok = false
        continue
      }
      seen.note(description, pair.value.mark)
      var active = true
      if let a = fields[.active] {
        guard let v = reader.bool(a.value, field: Token.active.key) else {
          ok = false
          continue
        }
        active = v
      }
      var expiresInDays: Int?
      if let e = fields[.expiresInDays] {
        // A lifetime in days, for servers whose MaximumPersonalAccessTokenLifetimeDays refuses tokens
        // without expires_at (app/session.go validateUserAccessTokenExpiry).
        guard let days = reader.integer(e.value, field: Token.expiresInDays.key), (1...36_500).contains(days) else {
          if reader.integer(e.value, field: Token.expiresInDays.key) != nil {
            reader.error(e.value.mark, "expires_in_days must be between 1 and 36500")
          }
          ok = false
          continue
        }
        expiresInDays = days
      }
      var rotateAfterDays: Int?
      if let r = fields[.rotateAfterDays] {
        guard let days = reader.integer(r.value, field: Token.rotateAfterDays.key) else {
          ok = false
          continue
        }
        guard (1...36_500).contains(days) else {
          reader.error(r.value.mark, "rotate_after_days must be between 1 and 36500")
          ok = false
          continue
        }
        if let lifetime = expiresInDays, days >= lifetime {
          reader.warning(
            r.value.mark,
            "rotate_after_days \(days) is not below expires_in_days \(lifetime): the token expires before it is rotated"
          )
        }
        rotateAfterDays = days
      }
      var grace: Int?
      if let g = fields[.rotationGraceHours] {
        guard let hours = graceHours(g.value, field: Token.rotationGraceHours.key) else {
          ok = false
          continue
        }
        grace = hours
      }
      tokens.append(
        TokenSpec(
          description: description, active: active, expiresInDays: expiresInDays, rotateAfterDays: rotateAfterDays,
          rotationGraceHours: grace, mark: item.mark))
    }
    return ok ? tokens : nil
  }
}
