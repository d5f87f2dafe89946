/// Dormant and guest accounts, and, with a manifest, what the server holds that Git does not say.
extension AuditBuilder {
  /// A sign-in moves `update_at` (app/login.go DoLogin -> store UpdateLastLogin sets LastLogin and
  /// UpdateAt), and so do profile, password and MFA changes: an old `update_at` bounds the last
  /// password or SSO sign-in, it is not its date. Token use signs nobody in. `last_login` is zeroed in
  /// every list (model/user.go Sanitize), so this bound is what the API gives for free.
  mutating func accountFindings() {
    let days = input.options.inactiveDays
    let bound = input.options.now - Int64(days) * Self.day
    for user in live.users.sorted(by: { $0.username < $1.username }) where user.isActive {
      if !user.isBot && !user.isRemote && user.updateAt > 0 && user.updateAt < bound {
        let since = (input.options.now - user.updateAt) / Self.day
        add(
          .noLoginSince, user,
          "no sign-in for at least \(since) days (update_at, a bound: other changes move it too)",
          [
            "update_at": .int(user.updateAt), "days_since_update": .int(since), "inactive_days": .int(Int64(days)),
            "bound": .string("update_at moves on sign-in and on profile, team and channel changes; not a login date"),
          ])
      }
      if user.isGuest {
        add(.guestAccount, user, "guest (\(Self.authMethod(user)))", ["auth_method": .string(Self.authMethod(user))])
      }
    }
  }

  mutating func manifestFindings(_ manifest: Manifest) {
    let claimed = claimed ?? []
    for user in live.users.sorted(by: { $0.username < $1.username })
    where user.isActive && !claimed.contains(ServerRules.normalizeUsername(user.username)) {
      let kind = Self.kind(user)
      add(.unmanagedAccount, user, "active \(kind) account the manifest does not declare", ["kind": .string(kind)])
    }
    let accounts = AccountIndex(manifest: manifest, live: live)
    for spec in manifest.users where accounts.account(declared: spec.username) == nil {
      findings.append(
        AuditFinding(
          .declaredNotOnServer, username: spec.username, userID: "",
          message: "declared in \(spec.mark) but no such account on the server yet",
          detail: ["manifest_position": .string("\(spec.mark)")]))
    }
    driftFindings(manifest)
  }

  /// Drift is what plan would change for a declared account that exists: one finding per field, with
  /// the manifest's value and the server's. Creates are `declared_not_on_server`; deactivations of
  /// undeclared accounts are `unmanaged_account`.
  mutating func driftFindings(_ manifest: Manifest) {
    let declared = Set(manifest.users.map(\.username))
    let plan = Planner.plan(manifest, live: live)
    for step in plan.steps where declared.contains(step.username) && step.kind != .createUser {
      guard let user = step.userID.flatMap({ usersByID[$0] }) else { continue }
      for (field, manifestValue, serverValue) in Self.differences(step) {
        add(
          .drift, user,
          "\(field): server \(serverValue.text.isEmpty ? "(empty)" : serverValue.text), manifest \(manifestValue.text.isEmpty ? "(empty)" : manifestValue.text)",
          [
            "field": .string(field), "manifest": manifestValue, "server": serverValue,
            "step": .string(step.kind.rawValue),
          ])
      }
    }
  }

  /// The fields a step changes, as (field, manifest value, server value).
  static func differences(_ step: Step) -> [(String, AuditValue, AuditValue)] {
    switch step.change {
    case .user(.patchProfile(let fields)), .user(.renameUser(let fields)):
      return fields.map { ($0.field, .string($0.new), $0.old.map(AuditValue.string) ?? .null) }
    case .user(.setRoles(let before, let after)): return [("roles", .strings(after), .strings(before))]
    case .user(.reactivateUser): return [("active", .bool(true), .bool(false))]
    case .user(.deactivateUser): return [("active", .bool(false), .bool(true))]
    case .user(.promoteGuest): return [("guest", .bool(false), .bool(true))]
    case .user(.demoteToGuest): return [("guest", .bool(true), .bool(false))]
    case .user(.markOwner(let props)):
      return [(OwnerMarker.key, .string(props[OwnerMarker.key] ?? ""), .null)]
    case .user(.sendPasswordReset), .user(.createUser): return []
    case .token(let change): return [tokenDifference(change)]
    case .membership: return [("membership", .string(step.label), .null)]
    case .bot(.updateBot(let fields)):
      return fields.map { ($0.field, .string($0.new), $0.old.map(AuditValue.string) ?? .null) }
    case .bot(.assignBot(let from, let to, _)): return [("owner", .string(to), from.map(AuditValue.string) ?? .null)]
    case .bot(.enableBot): return [("active", .bool(true), .bool(false))]
    case .bot(.disableBot): return [("active", .bool(false), .bool(true))]
    case .bot(.createBot): return []
    }
  }

  /// A declared token that is missing, extra, or in the other state.
  static func tokenDifference(_ change: TokenChange) -> (String, AuditValue, AuditValue) {
    switch change {
    case .createToken(let description, _): ("token \"\(description)\"", .string("present"), .string("absent"))
    case .revokeToken(let description, _): ("token \"\(description)\"", .string("absent"), .string("present"))
    case .enableToken(let description, _): ("token \"\(description)\"", .string("active"), .string("disabled"))
    case .disableToken(let description, _): ("token \"\(description)\"", .string("disabled"), .string("active"))
    }
  }
}
