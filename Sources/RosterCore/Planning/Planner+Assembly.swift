/// Putting the plan together: step numbers, `--only`, the dependency order within each phase, and the
/// checks that run on the finished steps (admins, named users, preflight, gates).
extension PlanBuilder {
  /// `--only`: keeps the steps of the targeted users (by current or previous name); other users'
  /// errors become warnings. A kept step that waits for a dropped one is an error naming who to add.
  mutating func restrict(to only: Set<String>) {
    for name in only.sorted()
    where accounts.byName[name] == nil && !accounts.names(name)
      && !manifest.bots.contains(where: { $0.username == name })
    {
      fail(nil, "--only \(name): no such user in the manifest or on the server")
    }
    // A previous username targets the declared user: every step of a renamed account carries the new name.
    var targets = only
    for spec in manifest.users where spec.names.contains(where: only.contains) { targets.insert(spec.username) }
    let kept = steps.filter { targets.contains($0.username) }
    let keptIndexes = Set(kept.map(\.index))
    for step in kept {
      for dependency in step.dependsOn where !keptIndexes.contains(dependency) {
        let other = steps.first { $0.index == dependency }?.username ?? "another user"
        fail(step.username, "its change waits for a change to \(other), which --only leaves out; add --only \(other)")
      }
    }
    steps = kept
    for i in notes.indices where notes[i].severity == .error {
      guard let user = notes[i].username, !targets.contains(user) else { continue }
      notes[i].severity = .warning
      notes[i].message += " (not targeted by --only, so only a warning)"
    }
  }

  @discardableResult
  mutating func add(_ step: Step, after: [Int] = []) -> Int {
    var step = step
    step.index = nextIndex
    nextIndex += 1
    step.dependsOn = after
    steps.append(step)
    return step.index
  }

  /// `protected_users` and `required_admins` name real users, and required admins are active system
  /// admins after the plan: a typo must not silently protect nobody.
  mutating func checkNamedUsers(_ after: PostPlanState) {
    let settings = manifest.settings
    for name in settings.protectedUsers.union(settings.requiredAdmins).sorted()
    where accounts.account(declared: name) == nil {
      if settings.requiredAdmins.contains(name) && manifest.users.contains(where: { $0.username == name }) { continue }
      fail(
        nil,
        "\(name) is named in \(settings.protectedUsers.contains(name) ? "protected_users" : "required_admins") but there is no such user on the server"
      )
    }
    for name in Safety.requiredAdminsMissing(
      after, required: settings.requiredAdmins, account: accounts.account(declared:))
    {
      fail(name, "is in required_admins but would not be an active system admin after this plan")
    }
  }

  /// An order in which every step comes after the steps it depends on, phase by phase: within a phase
  /// an email handover or a token replacement can point at a step planned later. Kahn's algorithm per
  /// phase, linear in steps and dependencies; dependencies never form a cycle (handover rings are
  /// refused), and a step left over would still be kept rather than lost.
  static func dependenciesFirst(_ steps: [Step]) -> [Step] {
    var position: [Int: Int] = [:]
    for (i, step) in steps.enumerated() { position[step.index] = i }
    let inOrder = steps.enumerated().allSatisfy { i, step in step.dependsOn.allSatisfy { (position[$0] ?? 0) < i } }
    if inOrder { return steps }
    var out: [Step] = []
    out.reserveCapacity(steps.count)
    var start = 0
    while start < steps.count {
      var end = start
      while end < steps.count && steps[end].phase == steps[start].phase { end += 1 }
      var waiting = [Int](repeating: 0, count: end - start)
      var dependents: [Int: [Int]] = [:]
      for i in start..<end {
        for dependency in steps[i].dependsOn {
          guard let p = position[dependency], p >= start, p < end else { continue }  // earlier phases are placed
          waiting[i - start] += 1
          dependents[p, default: []].append(i)
        }
      }
      var ready = (start..<end).filter { waiting[$0 - start] == 0 }
      var head = 0
      while head < ready.count {
        let i = ready[head]
        head += 1
        out.append(steps[i])
        for j in dependents[i] ?? [] {
          waiting[j - start] -= 1
          if waiting[j - start] == 0 { ready.append(j) }
        }
      }
      for i in start..<end where waiting[i - start] > 0 { out.append(steps[i]) }
      start = end
    }
    return out
  }

  /// Orders by phase (stable within a phase), renumbers, then checks the invariants and gates.
  mutating func finish(options: PlanOptions) -> Plan {
    orderTokenRotations()
    let ordered = Self.dependenciesFirst(
      steps.enumerated().sorted { ($0.element.phase, $0.offset) < ($1.element.phase, $1.offset) }
        .map(\.element))
    var newIndex: [Int: Int] = [:]
    for (position, step) in ordered.enumerated() { newIndex[step.index] = position }
    var final = ordered
    for i in final.indices {
      final[i].index = i
      final[i].dependsOn = final[i].dependsOn.compactMap { newIndex[$0] }.sorted()
    }
    var gates: [String] = []
    let minimum = options.limits.effectiveMinSystemAdmins(manifest: manifest.settings.minSystemAdmins)
    // The state before the steps, built once for every check below: each build looks every live
    // account's id up among the steps' (4% of a 100,000-user plan with drift, built three times).
    let start = PostPlanState(live, steps: final)
    let (lastAdmin, after) = Safety.lastAdminPass(final, from: start)
    // Counted only over a whole user list: a token without view_members lists only some users.
    if live.sight.everyUser, let problem = Safety.adminProblem(after, minimum: minimum) { fail(nil, problem) }
    checkNamedUsers(after)
    // Preflight: roster's writes need a system admin (manage_roles, edit_other_users, manage_system...);
    // planning green and failing every step with 403 helps nobody. A read-only plan by a narrower token
    // (`ReadSight`) is for review; its apply runs with an admin's token.
    if !final.isEmpty && !live.acting.isSystemAdmin && live.sight.isWhole {
      fail(
        nil,
        "the acting user \(live.acting.username) (roles: \(live.acting.roles)) is not a system admin; the server "
          + "would refuse these changes with 403 api.context.permissions.app_error. Use a system admin's token")
    }
    for problem in lastAdmin { fail(nil, problem) }
    if live.accessTokensEnabled == false, final.contains(where: { $0.kind == .createToken }) {
      fail(
        nil,
        "the plan creates personal access tokens, but the server has them switched off (EnableUserAccessTokens=false in its client configuration)"
      )
    }
    // The gates' shares are of the accounts this manifest governs, not of other manifests' accounts.
    let breaches = Safety.gates(
      final, live: live, governance: accounts.governance, managed: manifest.users.count,
      thresholds: Safety.thresholds(limits: options.limits, manifest: manifest.settings.limits),
      recovering: options.orphanedTokens, start: start)
    let enforced = Safety.enforce(breaches, force: options.force)
    gates += enforced.gates
    for warning in enforced.warnings { warn(nil, warning) }
    var plan = Plan(
      steps: final, notes: notes, gates: gates,
      unmanaged: Plan.Unmanaged(count: unmanagedCount(), policy: manifest.settings.unmanagedUsers),
      only: options.only.map { $0.sorted() })
    plan.privilegedUserIDs = start.privilegedNamed
    return plan
  }
}
