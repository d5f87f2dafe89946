/// Personal access tokens: creates, enables and disables, revocations, and replacements (expired,
/// orphaned by an interrupted apply, rotated), always create before destroy.
extension PlanBuilder {
  /// A token's create, and its disable when declared inactive; returns the create's index.
  @discardableResult
  mutating func addTokenCreate(_ token: TokenSpec, name: String, userID: String?, after: [Int] = []) -> Int {
    let made = add(
      Step(
        .token(.createToken(description: token.description, expiresInDays: token.expiresInDays)), username: name,
        userID: userID
      ),
      after: after)
    if !token.active {
      add(
        Step(.token(.disableToken(description: token.description, tokenID: nil)), username: name, userID: userID),
        after: [made]
      )
    }
    return made
  }

  /// Why a live token with the declared description is replaced, or nil when it is kept.
  func replacement(for token: LiveToken, _ spec: TokenSpec, name: String, acting: Bool) -> String? {
    if acting { return nil }  // the acting user's tokens are never revoked: one may be in use
    let key = TokenKey(username: name, description: token.description)
    if orphaned.contains(key) { return "its secret never reached the secrets file (an interrupted apply)" }
    if let now = live.readAt, token.isExpired(at: now) { return "it has expired (the server refuses it)" }
    if replaceTokens.contains(key) { return "rotated on request (--replace-token)" }
    if let days = spec.rotateAfterDays, let now = live.readAt, let made = tokenCreatedAt[token.id],
      now - made >= Int64(days) * 86_400_000
    {
      return "rotated: \((now - made) / 86_400_000) days old (rotate_after_days: \(days))"
    }
    return nil
  }

  /// After a rotation stopped between its create and its revoke: the one token the rotation did not
  /// replace, when every other match is one it did (the secrets file's intent named them). Anything else, such
  /// as a token made by hand, is not guessed at.
  func rotationSurvivor(_ matches: [LiveToken]) -> LiveToken? {
    let kept = matches.filter { !superseded.contains($0.id) }
    return kept.count == 1 && kept.count < matches.count ? kept[0] : nil
  }

  /// Enables or disables a kept token to match the declaration.
  mutating func planTokenState(_ token: TokenSpec, _ match: LiveToken, name: String, userID: String, acting: Bool) {
    guard match.isActive != token.active else { return }
    if !token.active && acting {
      warn(name, "not disabling token \"\(token.description)\" of the acting user: it may be the one in use")
      return
    }
    let change: Change =
      token.active
      ? .token(.enableToken(description: token.description, tokenID: match.id))
      : .token(.disableToken(description: token.description, tokenID: match.id))
    add(Step(change, username: name, userID: userID))
  }

  mutating func planTokens(_ declared: [TokenSpec], of user: LiveUser, name: String, acting: Bool) {
    if live.tokens == nil || (live.tokensReadFor.map { !$0.contains(user.id) } ?? false) {
      fail(name, "tokens are managed but could not be read from the server")
      return
    }
    let current = tokensByUser[user.id] ?? []
    let byDescription = Dictionary(grouping: current, by: \.description)
    for token in declared {
      let matches = byDescription[token.description] ?? []
      switch matches.count {
      case 0:
        addTokenCreate(token, name: name, userID: user.id)
      case 1 where replacement(for: matches[0], token, name: name, acting: acting) != nil:
        // An expired token, one an earlier apply made without keeping its secret, or a rotation: a new
        // one is made and its secret kept before the old one goes (create before destroy).
        let match = matches[0]
        let made = addTokenCreate(token, name: name, userID: user.id)
        add(
          Step(
            .token(.revokeToken(description: token.description, tokenID: match.id)), username: name, userID: user.id,
            reason: replacement(for: match, token, name: name, acting: acting)),
          after: [made])
      case 1:
        let match = matches[0]
        if token.rotateAfterDays != nil && tokenCreatedAt[match.id] == nil && !acting {
          warn(
            name,
            "token \"\(token.description)\" has rotate_after_days, but its age is unknown: the server keeps no creation time and neither the state file nor the secrets file has a record of it; rotate it once with --replace-token \(name)/\(token.description)"
          )
        }
        planTokenState(token, match, name: name, userID: user.id, acting: acting)
      case _ where !acting && rotationSurvivor(matches) != nil:
        // An interrupted rotation: the new token's secret is in the secrets file; the replaced ones go.
        guard let keep = rotationSurvivor(matches) else { break }
        planTokenState(token, keep, name: name, userID: user.id, acting: acting)
        for old in matches where old.id != keep.id {
          add(
            Step(
              .token(.revokeToken(description: token.description, tokenID: old.id)), username: name, userID: user.id,
              reason: "replaced by \(keep.id) in a rotation that stopped before this revoke"))
        }
      default:
        let ids = matches.map(\.id).sorted().joined(separator: ", ")
        fail(
          name,
          "\(matches.count) live tokens are described \"\(token.description)\" (\(ids)); roster cannot tell which secret is in use, revoke the extra ones by hand"
        )
      }
    }
    let wanted = Set(declared.map(\.description))
    for token in current where !wanted.contains(token.description) {
      if acting {
        warn(
          name, "not revoking token \"\(token.description)\" (\(token.id)) of the acting user: it may be the one in use"
        )
        continue
      }
      add(
        Step(
          .token(.revokeToken(description: token.description, tokenID: token.id)), username: name, userID: user.id,
          reason: "not declared"))
    }
  }

  /// `--replace-token` names a declared token the user holds; anything else is a typo to report, not a
  /// request to drop silently.
  mutating func checkReplaceRequests() {
    for key in replaceTokens.sorted(by: { ($0.username, $0.description) < ($1.username, $1.description) }) {
      let what = "--replace-token \(key.username)/\(key.description)"
      guard let spec = manifest.users.first(where: { $0.username == key.username }) else {
        fail(nil, "\(what): \(key.username) is not declared in the manifest")
        continue
      }
      guard spec.tokens?.contains(where: { $0.description == key.description }) == true else {
        fail(key.username, "\(what): the manifest declares no token with that description for this user")
        continue
      }
      if let user = accounts.byName[spec.username], accounts.isActing(user) {
        warn(key.username, "\(what): the acting user's tokens are never replaced (one may be the token in use)")
      }
    }
  }

  /// Create before destroy: a user's token revokes wait for that user's token creates, so a rotation
  /// never leaves the user without a working token when a create fails.
  mutating func orderTokenRotations() {
    var creates: [String: [Int]] = [:]
    for step in steps where step.kind == .createToken { creates[step.username, default: []].append(step.index) }
    for i in steps.indices where steps[i].kind == .revokeToken {
      let mine = creates[steps[i].username] ?? []
      steps[i].dependsOn = Array(Set(steps[i].dependsOn + mine)).sorted()
    }
  }
}
