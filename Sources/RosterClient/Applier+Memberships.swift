import RosterCore

/// The calls membership changes make. Adds go in batches, one call per team or channel and batch
/// (a 256-user team batch, a 1,000-user channel batch) instead of one per membership; removals and role
/// changes have no batch form on the server.
extension Applier {
  func execute(_ change: MembershipChange, _ step: Step) async throws(APIFailure) -> StepOutcome {
    guard let id = userID(step) else { return .failed(.unknownUser(step.username)) }
    switch change {
    case .addTeamMember(let team, let admin):
      if let failure = try await writer.addTeamMembers(team.id, [id])[id] ?? Self.notAdded(team.id, id) {
        throw failure
      }
      if admin { try await writer.setTeamMemberAdmin(team.id, id, admin: true) }
    case .addChannelMember(let channel, let admin):
      guard try await writer.addChannelMembers(channel.id, [id]).contains(id) else {
        throw Self.notAdded(channel.id, id)
      }
      if admin { try await writer.setChannelMemberAdmin(channel.id, id, admin: true) }
    case .removeTeamMember(let team, _): try await writer.removeTeamMember(team.id, id)
    case .removeChannelMember(let channel): try await writer.removeChannelMember(channel.id, id)
    case .setTeamMemberRoles(let team, let admin): try await writer.setTeamMemberAdmin(team.id, id, admin: admin)
    case .setChannelMemberRoles(let channel, let admin):
      try await writer.setChannelMemberAdmin(channel.id, id, admin: admin)
    }
    return .done(note: nil)
  }

  /// The add phases: every step whose dependencies succeeded, batched by team or channel.
  func runBatchedAdds(_ steps: [Step]) async {
    var ready: [Step] = []
    for step in steps {
      if step.dependsOn.contains(where: { outcomes[$0]?.succeeded != true }) {
        record(step, .skipped("a step it depends on did not succeed"))
      } else if stop?.isSet == true {
        record(step, .skipped("not started: interrupted"))
      } else {
        ready.append(step)
      }
    }
    await recordBatch(ready) { await addAll(ready) }
  }

  /// Adds each step's user to its team or channel, one call per container and batch, then makes the
  /// admins admins. Every step gets its outcome.
  private func addAll(_ steps: [Step]) async {
    var groups: [String: [Step]] = [:]
    var order: [String] = []
    for step in steps {
      guard let target = Self.addTarget(step) else { continue }
      guard userID(step) != nil else {
        record(step, .failed(.unknownUser(step.username)))
        continue
      }
      if groups[target.id] == nil { order.append(target.id) }
      groups[target.id, default: []].append(step)
    }
    for container in order {
      let members = groups[container] ?? []
      let isTeam = members.first?.kind == .addTeamMember
      let limit = isTeam ? teamBatchLimit : channelBatchLimit
      for start in stride(from: 0, to: members.count, by: limit) {
        let batch = Array(members[start..<min(start + limit, members.count)])
        for step in batch { progress?.started(step, position: finishedCount + 1, total: plan.steps.count) }
        let ids = batch.compactMap(userID)
        do throws(APIFailure) {
          let failures: [String: APIFailure?]
          if isTeam {
            failures = try await writer.addTeamMembers(container, ids)
          } else {
            let added = try await writer.addChannelMembers(container, ids)
            failures = Dictionary(
              uniqueKeysWithValues: ids.map { ($0, added.contains($0) ? nil : Self.notAdded(container, $0)) })
          }
          for step in batch {
            await finishAdd(step, failure: failures[userID(step) ?? ""] ?? Self.notAdded(container, ""))
          }
        } catch {
          for step in batch { record(step, .failed(.api(error))) }
        }
      }
    }
  }

  /// A user the batch answer does not name as added: the server dropped it without saying why.
  static func notAdded(_ container: String, _ userID: String) -> APIFailure {
    APIFailure(
      method: "POST", path: "/\(container)/members", status: 0, id: nil,
      message: "the server's answer does not list \(userID) as added", ambiguous: true)
  }

  private func finishAdd(_ step: Step, failure: APIFailure?) async {
    if let failure {
      record(step, .failed(.api(failure)))
      return
    }
    guard let id = userID(step) else { return }
    do throws(APIFailure) {
      switch step.membershipChange {
      case .addTeamMember(let team, true)?: try await writer.setTeamMemberAdmin(team.id, id, admin: true)
      case .addChannelMember(let channel, true)?: try await writer.setChannelMemberAdmin(channel.id, id, admin: true)
      default: break
      }
      record(step, .done(note: nil))
    } catch {
      record(step, .failed(.api(error)))
    }
  }

  private static func addTarget(_ step: Step) -> (id: String, isTeam: Bool)? {
    switch step.membershipChange {
    case .addTeamMember(let team, _)?: (team.id, true)
    case .addChannelMember(let channel, _)?: (channel.id, false)
    default: nil
    }
  }
}
