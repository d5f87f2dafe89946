public import RosterYAML

/// `settings.scope`: the accounts one manifest governs, so several manifests can share a server. An
/// account is in scope when it matches every criterion given (each list matches when any entry does);
/// accounts outside it are neither changed nor counted as unmanaged, nor in the gates' populations.
public struct AccountScope: Sendable, Equatable {
  /// Globs on the lowercased username: `*` any run of characters, `?` one character.
  public var usernames: [String]?
  /// Lowercased domains, compared with the part of the address after its last `@`, exactly.
  public var emailDomains: [String]?
  /// Sign-in services; `email` stands for email/password accounts, whose `auth_service` the server
  /// returns as "" (model/user.go UserAuthServiceEmail).
  public var authServices: [String]?
  public var mark: Mark

  public init(usernames: [String]? = nil, emailDomains: [String]? = nil, authServices: [String]? = nil, mark: Mark) {
    self.usernames = usernames
    self.emailDomains = emailDomains
    self.authServices = authServices
    self.mark = mark
  }

  /// Which criterion, if any, keeps an account with these values out; nil when it is in scope. A nil
  /// value is unknown: it passes when `unknownPasses` (the manifest checks what it declares, the plan
  /// checks the rest on the live account), and otherwise matches nothing the scope restricts, so an
  /// account is governed only when known to be in scope.
  public func exclusion(username: String, email: String?, authService: String?, unknownPasses: Bool = false) -> String?
  {
    let name = ServerRules.normalizeUsername(username)
    if let globs = usernames, !globs.contains(where: { Self.glob($0, matches: name) }) {
      return "username \(name) matches none of scope.usernames (\(globs.joined(separator: ", ")))"
    }
    if let domains = emailDomains, email != nil || !unknownPasses {
      let domain = email.flatMap { address in
        address.lastIndex(of: "@").map { String(address[address.index(after: $0)...]).lowercased() }
      }
      if !(domain.map(domains.contains) ?? false) {
        return "email \(email ?? "(unknown)") is in none of scope.email_domains (\(domains.joined(separator: ", ")))"
      }
    }
    if let services = authServices, authService != nil || !unknownPasses {
      let service = authService.map { $0.isEmpty ? "email" : $0.lowercased() }
      if !(service.map(services.contains) ?? false) {
        return
          "auth_service \(service ?? "(unknown)") is none of scope.auth_services (\(services.joined(separator: ", ")))"
      }
    }
    return nil
  }

  public func contains(_ user: LiveUser) -> Bool {
    exclusion(username: user.username, email: user.email, authService: user.authService) == nil
  }

  /// Shell-style match of `*` and `?` over characters; no classes, no escapes (usernames have no
  /// metacharacters: model/user.go validUsernameChars).
  static func glob(_ pattern: String, matches text: String) -> Bool {
    let p = Array(pattern), t = Array(text)
    var pi = 0, ti = 0, star = -1, resume = 0
    while ti < t.count {
      if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) {
        pi += 1
        ti += 1
      } else if pi < p.count && p[pi] == "*" {
        star = pi
        resume = ti
        pi += 1
      } else if star >= 0 {
        pi = star + 1
        resume += 1
        ti = resume
      } else {
        return false
      }
    }
    while pi < p.count && p[pi] == "*" { pi += 1 }
    return pi == p.count
  }
}

/// `settings.owner`: the marker roster keeps in a governed account's `props` (model/user.go User.Props,
/// a string map the server stores whole and returns in every user listing: SanitizeProfile clears
/// notify_props, not props). PUT /users/{id}/patch replaces the whole map (model/user.go User.Patch:
/// `u.Props = patch.Props`), so the marker patch carries every other key as read.
public enum OwnerMarker {
  public static let key = "roster_owner"

  /// An owner name is short and plain: it is written into every marked account.
  public static func problem(_ name: String) -> String? {
    let allowed = name.unicodeScalars.allSatisfy {
      ("a"..."z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
    }
    return (1...64).contains(name.count) && allowed
      ? nil : "owner must be 1 to 64 characters of a-z, 0-9, '-', '_' and '.', found \"\(name)\""
  }
}
