import RosterYAML

private typealias ScopeKey = ManifestKey.Scope

/// `settings.scope` and the check that every declared account lies inside it.
extension ManifestDecoder {
  mutating func readScope(_ node: Node) -> AccountScope? {
    let field = "\(ManifestKey.Top.settings.key).\(ManifestKey.Setting.scope.key)"
    guard let fields = reader.mapping(node, field: field, keys: ScopeKey.allCases) else { return nil }
    var scope = AccountScope(mark: node.mark)
    if let p = fields[.usernames], let globs = scopeList(p.value, key: .usernames) {
      for glob in globs where glob.isEmpty {
        reader.error(p.value.mark, "scope.usernames has an empty pattern")
      }
      scope.usernames = globs.map { ServerRules.normalizeUsername($0) }
    }
    if let p = fields[.emailDomains], let domains = scopeList(p.value, key: .emailDomains) {
      for domain in domains where domain.isEmpty || domain.contains("@") {
        reader.error(
          p.value.mark, "scope.email_domains lists \"\(domain)\"; write the domain alone, such as example.com")
      }
      scope.emailDomains = domains.map { $0.lowercased() }
    }
    if let p = fields[.authServices], let services = scopeList(p.value, key: .authServices) {
      scope.authServices = services.map { $0.lowercased() }
    }
    if scope.usernames == nil && scope.emailDomains == nil && scope.authServices == nil {
      reader.error(node.mark, "scope names no criterion; give usernames, email_domains or auth_services")
      return nil
    }
    return scope
  }

  private mutating func scopeList(_ node: Node, key: ScopeKey) -> [String]? {
    guard let items = reader.stringList(node, field: "scope.\(key.key)") else { return nil }
    if items.isEmpty {
      // An empty list would put every account outside the scope.
      reader.error(node.mark, "scope.\(key.key) is empty; leave it out to accept any value")
      return nil
    }
    return items.map(\.0)
  }

  /// A declared user the scope leaves out would be refused by every plan, whatever its server state;
  /// found here, at its entry. What the manifest does not declare (an email, an auth_service) is
  /// checked by the plan on the live account.
  mutating func checkScope(_ spec: UserSpec) {
    guard let scope = settings.scope,
      let problem = scope.exclusion(
        username: spec.username, email: spec.email, authService: spec.authService, unknownPasses: true)
    else { return }
    reader.error(spec.mark, "user \(spec.username) is outside settings.scope (at \(scope.mark)): \(problem)")
  }
}
