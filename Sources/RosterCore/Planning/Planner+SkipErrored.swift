/// `apply --skip-errored`: one user's problem (a stray duplicate token, a refused create) does not hold
/// back everyone else. The users with errors, and anyone whose change waits for one of their steps, are
/// left out whole; every other user's steps stay planned. Errors that name no user (a broken admin
/// count, a missing required admin) still stop the plan: they are about everyone.
extension PlanBuilder {
  /// Drops the errored users' steps and their dependents; returns every user left out, sorted.
  mutating func skipErroredUsers() -> [String] {
    let errored = Set(notes.filter { $0.severity == .error }.compactMap(\.username))
    guard !errored.isEmpty else { return [] }
    let before = steps
    dropSteps { errored.contains($0.username) }
    let remaining = Set(steps.map(\.index))
    let skipped = Set(before.filter { !remaining.contains($0.index) }.map(\.username)).union(errored)
    for i in notes.indices where notes[i].severity == .error {
      guard let user = notes[i].username, errored.contains(user) else { continue }
      notes[i].severity = .warning
      notes[i].message += " (skipped: --skip-errored)"
    }
    for user in skipped.subtracting(errored).sorted() {
      warn(user, "skipped (--skip-errored): a change of theirs waits for a change to a user with errors")
    }
    return skipped.sorted()
  }
}

extension Plan {
  /// Users the plan has errors for: `apply --skip-errored` applies every other user's steps.
  public var erroredUsers: [String] { Array(Set(errors.compactMap(\.username))).sorted() }

  /// The line under the notes that says who holds the plan back, and how to go on without them.
  public var erroredUsersLine: String? {
    let users = erroredUsers
    guard !users.isEmpty else { return nil }
    let others = errors.contains { $0.username == nil }
    return "Users with errors: \(users.joined(separator: ", "))."
      + (others ? "" : " `roster apply --skip-errored` applies every other user's steps and exits 4 naming them.")
  }
}
