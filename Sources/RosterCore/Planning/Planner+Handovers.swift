/// Email handovers: a user may take an address another declared user gives up in the same plan, once
/// that user's patch has run; swaps and rings cannot be ordered and are refused.
extension PlanBuilder {
  /// Whether `owner`'s declared entry moves it to another address in this plan.
  func declaresOtherEmail(_ owner: LiveUser) -> Bool {
    guard let spec = accounts.spec(managing: owner), let email = spec.email,
      spec.manages(.profile(.email), settings: manifest.settings),
      !accounts.isProtected(spec.username), !accounts.isActing(owner)
    else { return false }
    return email != ServerRules.normalizeEmail(owner.email)
  }

  /// An email change to an address another declared user gives up waits for that user's patch (the
  /// server refuses a duplicate address at every moment: app.user.save.email_exists.app_error). Two
  /// users trading addresses cannot be ordered at all, and say so.
  mutating func orderEmailHandovers() {
    guard !handovers.isEmpty else { return }
    // Linear in the handovers: a pull request declaring a long chain of moved addresses must not stall
    // the plan (a first version walked the chain from every link).
    var position: [String: Int] = [:]  // user id → its email-changing step
    for (i, step) in steps.enumerated() where Self.changesEmail(step) {
      if let id = step.userID { position[id] = i }
    }
    var waitsFor: [String: String] = [:]  // user id → id of the address's current owner
    for handover in handovers { waitsFor[handover.userID] = handover.ownerID }
    // Whether a user's email change can run: it waits for nobody, or its owner's change runs first.
    var verdict: [String: Bool] = [:]
    var inRing = Set<String>()
    for handover in handovers where verdict[handover.userID] == nil {
      var path: [String] = []
      var onPath = Set<String>()
      var node = handover.userID
      var result: Bool
      while true {
        if let known = verdict[node] {
          result = known
          break
        }
        guard let owner = waitsFor[node] else {
          result = true
          break
        }
        if onPath.contains(node) {
          inRing.formUnion(path.drop { $0 != node })
          result = false
          break
        }
        path.append(node)
        onPath.insert(node)
        if position[owner] == nil {
          result = false
          break
        }
        node = owner
      }
      for user in path { verdict[user] = result }
    }
    for handover in handovers {
      guard let mine = position[handover.userID] else { continue }
      let name = steps[mine].username
      if verdict[handover.userID] == true, let frees = position[handover.ownerID] {
        steps[mine].dependsOn = Array(Set(steps[mine].dependsOn + [steps[frees].index])).sorted()
        continue
      }
      let owner = live.users.first { $0.id == handover.ownerID }?.username ?? handover.ownerID
      fail(
        name,
        inRing.contains(handover.userID)
          ? "cannot change email to \(handover.email) while \(owner) takes this user's address: the server refuses a duplicate address at every moment, so addresses cannot be swapped in one plan. Give one of them a temporary address first, apply, then set the final ones"
          : "cannot change email to \(handover.email): \(owner) keeps it in this plan")
      steps[mine].change = Self.withoutEmail(steps[mine].change)
    }
    // A patch whose only change was a refused email is gone; nothing depends on a patch but handovers.
    let emptied = Set(
      steps.filter { if case .user(.patchProfile(let fields)) = $0.change { fields.isEmpty } else { false } }.map(
        \.index))
    guard !emptied.isEmpty else { return }
    steps.removeAll { emptied.contains($0.index) }
    for i in steps.indices where !steps[i].dependsOn.isEmpty {
      steps[i].dependsOn.removeAll(where: emptied.contains)
    }
  }

  static func changesEmail(_ step: Step) -> Bool {
    step.changes.contains { $0.field == ProfileField.email.key }
      && (step.kind == .patchProfile || step.kind == .renameUser)
  }

  static func withoutEmail(_ change: Change) -> Change {
    switch change {
    case .user(.patchProfile(let fields)): .user(.patchProfile(fields.filter { $0.field != ProfileField.email.key }))
    case .user(.renameUser(let fields)): .user(.renameUser(fields.filter { $0.field != ProfileField.email.key }))
    default: change
    }
  }
}
