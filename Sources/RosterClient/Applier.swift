#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

/// How one step ended.
public enum StepOutcome: Sendable {
  case done(note: String?)
  case failed(StepFailure)
  case skipped(String)

  public var succeeded: Bool { if case .done = self { true } else { false } }
  public var isFailure: Bool { if case .failed = self { true } else { false } }
}

/// Why a step failed. A server answer keeps the whole `APIFailure`, so callers can tell a refusal from a
/// lost answer (`ambiguous`) and show the server's error id.
public enum StepFailure: Error, Sendable, CustomStringConvertible {
  case api(APIFailure)
  case unknownUser(String)
  case unknownToken(String)
  case noPassword(String)
  case noSink
  case sinkFailed(String)

  public var description: String {
    switch self {
    case .api(let failure): failure.description
    case .unknownUser: "the user's id is unknown"
    case .unknownToken: "the token's id is unknown"
    case .noPassword(let username): "no password available for \(username)"
    case .noSink: "no --secrets-file for the new secret"
    case .sinkFailed(let reason): "could not write the token to the secrets file (\(reason)); the token was revoked"
    }
  }
}

/// Receives progress: `started` and `finished` per step, with the totals.
public protocol ApplyProgress: Sendable {
  func started(_ step: Step, position: Int, total: Int)
  func finished(_ step: Step, _ outcome: StepOutcome, position: Int, total: Int)
}

/// Executes a plan's steps: phase by phase (creates, reactivations, patches, roles, tokens,
/// deactivations), independent steps in parallel up to `parallelism`, a failed step skipping its
/// dependents, and no destructive step started once anything has failed.
public actor Applier {
  let writer: any ServerWriting
  let plan: Plan
  let passwords: [String: String]
  let sink: (any SecretStore)?
  let parallelism: Int
  let progress: (any ApplyProgress)?
  /// Set on SIGINT or SIGTERM: no further step starts; the ones in flight finish and are reported.
  let stop: CancellationFlag?
  /// RequireEmailVerification is on: an email patch is a request the secrets file remembers.
  let holdsEmailChanges: Bool

  private(set) var outcomes: [Int: StepOutcome] = [:]
  var userIDs: [String: String] = [:]
  var tokenIDs: [String: String] = [:]
  private var anyFailure = false
  /// Once a secret could not be kept, nothing more starts: the secrets file is where apply's promise lives.
  private var sinkBroken = false
  /// Attempts at a create whose answer was lost or was a 5xx, each after a re-read.
  static let createAttempts = 4
  private(set) var finishedCount = 0
  /// When each step ran and the server's request ids of its calls, by index (`apply --report`).
  public private(set) var records: [Int: StepRecord] = [:]

  /// - Parameter passwords: expanded passwords by username, for the users the plan creates.
  public init(
    writer: any ServerWriting, plan: Plan, passwords: [String: String], sink: (any SecretStore)?, parallelism: Int,
    progress: (any ApplyProgress)?, stop: CancellationFlag? = nil, holdsEmailChanges: Bool = false
  ) {
    self.stop = stop
    self.holdsEmailChanges = holdsEmailChanges
    self.writer = writer
    self.plan = plan
    self.passwords = passwords
    self.sink = sink
    self.parallelism = max(1, parallelism)
    self.progress = progress
  }

  /// Runs every step once; returns each step's outcome by index.
  public func run() async -> [Int: StepOutcome] {
    for step in plan.steps { if let id = step.userID { userIDs[step.username] = id } }
    let phases = Dictionary(grouping: plan.steps, by: \.phase).sorted { $0.key < $1.key }
    for (phase, steps) in phases {
      if phase == .teamAdds || phase == .channelAdds { await runBatchedAdds(steps) } else { await runPhase(steps) }
    }
    return outcomes
  }

  /// Steps of one phase whose dependencies are met run in waves of up to `parallelism`.
  private func runPhase(_ steps: [Step]) async {
    var pending = steps
    while !pending.isEmpty {
      var ready: [Step] = []
      var waiting: [Step] = []
      for step in pending {
        let deps = step.dependsOn.map { outcomes[$0] }
        if deps.contains(where: { $0 == nil }) {
          waiting.append(step)
        } else if deps.contains(where: { $0?.succeeded != true }) {
          record(step, .skipped("a step it depends on did not succeed"))
        } else if step.isDestructive && anyFailure {
          record(step, .skipped("not started: an earlier step failed, so no destructive step runs"))
        } else {
          ready.append(step)
        }
      }
      if ready.isEmpty {
        // Dependencies outside this phase that never ran: nothing more can start.
        for step in waiting { record(step, .skipped("its dependencies did not run")) }
        return
      }
      await withTaskGroup(of: (Step, StepOutcome).self) { group in
        var queue = ready[...]
        var running = 0
        while true {
          // Keep up to `parallelism` steps in flight; a failure does not stop independent work, but
          // once anything failed no destructive step starts.
          while running < parallelism, let step = queue.popFirst() {
            if stop?.isSet == true {
              record(step, .skipped("not started: interrupted"))
              continue
            }
            if sinkBroken {
              record(step, .skipped("not started: the secrets file failed"))
              continue
            }
            if step.isDestructive && anyFailure {
              record(step, .skipped("not started: an earlier step failed, so no destructive step runs"))
              continue
            }
            progress?.started(step, position: finishedCount + running + 1, total: plan.steps.count)
            group.addTask { (step, await self.execute(step)) }
            running += 1
          }
          guard let (step, outcome) = await group.next() else { break }
          running -= 1
          record(step, outcome)
        }
      }
      pending = waiting
    }
  }

  func record(_ step: Step, _ outcome: StepOutcome) {
    outcomes[step.index] = outcome
    finishedCount += 1
    if outcome.isFailure { anyFailure = true }
    if case .failed(.sinkFailed) = outcome { sinkBroken = true }
    progress?.finished(step, outcome, position: finishedCount, total: plan.steps.count)
  }

  func userID(_ step: Step) -> String? { step.userID ?? userIDs[step.username] }

  /// The call each resource's change makes lives beside it: `Applier+Users`, `Applier+Tokens`,
  /// `Applier+Memberships`.
  private func execute(_ step: Step) async -> StepOutcome {
    let trail = RequestTrail()
    let started = Date()
    let outcome = await trail.during { await self.call(step) }
    records[step.index] = StepRecord(
      started: started, seconds: Date().timeIntervalSince(started), requestIDs: trail.requestIDs)
    return outcome
  }

  /// Records a run of several steps at once (a batched membership add) under each of them.
  func recordBatch(_ steps: [Step], _ body: () async -> Void) async {
    let trail = RequestTrail()
    let started = Date()
    await trail.during { await body() }
    let record = StepRecord(started: started, seconds: Date().timeIntervalSince(started), requestIDs: trail.requestIDs)
    for step in steps { records[step.index] = record }
  }

  private func call(_ step: Step) async -> StepOutcome {
    do throws(APIFailure) {
      switch step.change {
      case .user(let change): return try await execute(change, step)
      case .token(let change): return try await execute(change, step)
      case .membership(let change): return try await execute(change, step)
      case .bot(let change): return try await execute(change, step)
      }
    } catch {
      return .failed(.api(error))
    }
  }

  /// Writes to the secrets file before a call the secrets file must know about; the failed outcome when it cannot.
  func writeSink(_ write: (any SecretStore) throws -> Void) -> StepOutcome? {
    guard let sink else { return .failed(.noSink) }
    do {
      try write(sink)
      return nil
    } catch {
      return .failed(.sinkFailed("\(error)"))
    }
  }

  static func tokenKey(_ username: String, _ description: String) -> String { username + "\u{0}" + description }
}
