/// Personal access tokens and bots. The server lists tokens without a creation time or a last use
/// (model/user_access_token.go), so ages come from roster's own records only.
extension AuditBuilder {
  mutating func tokenFindings() {
    let now = input.options.now
    let policy = input.posture?.maximumTokenLifetimeDays ?? 0
    for token in (live.tokens ?? []).sorted(by: {
      ($0.userID, $0.description, $0.id) < ($1.userID, $1.description, $1.id)
    }) {
      let user = usersByID[token.userID] ?? LiveUser(id: token.userID, username: token.userID)
      let created = input.tokenCreatedAt[token.id]
      let age = created.map { max(0, (now - $0) / Self.day) }
      tokenRows.append(
        AuditTokenRow(
          id: token.id, userID: token.userID, username: user.username, description: token.description,
          isActive: token.isActive, expiresAt: token.expiresAt, createdAt: created, ageDays: age.map(Int.init)))
      guard token.isActive, !token.isExpired(at: now) else { continue }
      let base: [String: AuditValue] = ["token_id": .string(token.id), "description": .string(token.description)]
      // PATs survive deactivation and work again on reactivation (app/user.go UpdateActive keeps them;
      // app/session.go refuses them only while the user is inactive).
      if !user.isActive {
        var detail = base
        detail["deactivated_at"] = .int(user.deleteAt)
        add(
          .tokenOfDeactivatedUser, user, "token \"\(token.description)\" is active; it works again on reactivation",
          detail)
      }
      if token.expiresAt == 0 {
        var detail = base
        detail["lifetime_policy_days"] = policy > 0 ? .int(Int64(policy)) : .null
        let why =
          policy > 0
          ? "never expires although the server limits new tokens to \(policy) days"
          : input.posture == nil
            ? "never expires (the server's lifetime policy is unknown)"
            : "never expires (the server has no lifetime policy)"
        add(
          .tokenWithoutExpiry, user, "token \"\(token.description)\" \(why)", detail,
          severity: policy > 0 ? .medium : .low)
      }
      tokenAge(token, user, age: age, created: created, base: base)
    }
  }

  /// Older than `--max-token-age-days` by roster's record, or said plainly to be of unknown age.
  mutating func tokenAge(_ token: LiveToken, _ user: LiveUser, age: Int64?, created: Int64?, base: [String: AuditValue])
  {
    let limit = input.options.maxTokenAgeDays
    var detail = base
    detail["max_age_days"] = .int(Int64(limit))
    guard let age, let created else {
      detail["age_days"] = .null
      detail["age"] = .string("unknown")
      add(
        .tokenAge, user,
        "token \"\(token.description)\": age unknown (not made by roster, or made without this secrets file)", detail,
        severity: .info)
      return
    }
    guard age > Int64(limit) else { return }
    detail["age_days"] = .int(age)
    detail["created_at"] = .int(created)
    add(.tokenAge, user, "token \"\(token.description)\" is \(age) days old (limit \(limit))", detail)
  }

  /// The server's `only_orphaned` filter keeps bots whose owner is deactivated (store/sqlstore/
  /// bot_store.go GetAll); an owner that no longer exists is found here. A plugin's bot names the plugin
  /// as its owner, which is no user either: the finding says so.
  mutating func botFindings() {
    for bot in (input.bots ?? []).sorted(by: { $0.username < $1.username }) {
      let user = usersByID[bot.userID]
      let owner = usersByID[bot.ownerID]
      let state: AuditBotRow.OwnerState = owner.map { $0.isActive ? .active : .deactivated } ?? .missing
      let active = bot.deleteAt == 0 && (user?.isActive ?? false)
      botRows.append(
        AuditBotRow(
          userID: bot.userID, username: bot.username, description: bot.description, ownerID: bot.ownerID,
          ownerUsername: owner?.username, ownerState: state, active: active))
      guard active, state != .active, let user else { continue }
      let detail: [String: AuditValue] = [
        "owner_id": .string(bot.ownerID), "owner_username": owner.map { .string($0.username) } ?? .null,
        "owner_state": .string(state.rawValue),
      ]
      let message =
        state == .missing
        ? "owner \(bot.ownerID) is no account on the server (deleted, or a plugin's id)"
        : "owner \(owner?.username ?? bot.ownerID) is deactivated"
      add(.orphanedBot, user, message, detail)
    }
  }
}
