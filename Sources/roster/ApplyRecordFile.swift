#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterClient
import RosterCore

/// `apply --report FILE`: a JSON record of what apply did, for a CI job to keep as an artifact: which
/// plan, each step with its outcome, the server's request ids (`X-Request-Id`, which the server's log
/// lines carry) and timings, and what verification found. Written once a plan exists, whatever the
/// outcome: a refusal is a record too.
struct ApplyRecord: Encodable {
  struct Identity: Encodable {
    /// `manifest` or `saved_plan`.
    var source: String
    /// The saved plan's path or the manifest paths.
    var files: [String]
    /// FNV-1a 64 of the plan's JSON (`roster plan --format json` of the same plan): a change detector
    /// tying the record to the plan, not a signature.
    var digest: String
    var server: String
    var steps: Int
  }

  struct StepEntry: Encodable {
    var index: Int
    var kind: String
    var username: String
    var label: String
    /// done, failed, skipped or not_run.
    var outcome: String
    var message: String?
    var httpStatus: Int?
    var errorId: String?
    var requestIds: [String]
    var startedAt: String?
    var durationMs: Int?
  }

  struct Verification: Encodable {
    /// verified, differs, unreadable or not_run.
    var status: String
    var problems: [String]
  }

  var formatVersion = 1
  var plan: Identity
  /// How apply ended, as `ApplyResult` names it.
  var result: String
  var exitStatus: Int32
  var startedAt: String
  var finishedAt: String
  var durationMs: Int
  var steps: [StepEntry]
  var verification: Verification
  var skippedUsers: [String]

  init(
    identity: Identity, prepared: PreparedApply, result outcome: ApplyResult, status: ExitStatus, started: Date,
    finished: Date
  ) {
    plan = identity
    exitStatus = status.rawValue
    startedAt = Timestamp.iso8601(started)
    finishedAt = Timestamp.iso8601(finished)
    durationMs = Int(finished.timeIntervalSince(started) * 1000)
    skippedUsers = prepared.plan.skippedUsers
    var report: ApplyReport?
    verification = Verification(status: "not_run", problems: [])
    switch outcome {
    case .nothingToDo: self.result = "nothing_to_do"
    case .planHasErrors: self.result = "plan_has_errors"
    case .gated: self.result = "refused_by_gate"
    case .missingSink: self.result = "refused_no_secrets_file"
    case .sinkUnusable: self.result = "refused_unusable_file"
    case .declined: self.result = "declined"
    case .unattended: self.result = "refused_unattended"
    case .incomplete(let r):
      (self.result, report) = ("incomplete", r)
    case .unverified(let r, let reason):
      (self.result, report) = ("applied", r)
      verification = Verification(status: "unreadable", problems: [reason])
    case .applied(let r, let problems):
      (self.result, report) = ("applied", r)
      if let problems {
        verification = Verification(status: problems.isEmpty ? "verified" : "differs", problems: problems)
      }
    }
    steps = prepared.plan.steps.map { Self.entry($0, report) }
  }

  static func entry(_ step: Step, _ report: ApplyReport?) -> StepEntry {
    let record = report?.records[step.index]
    var entry = StepEntry(
      index: step.index, kind: step.kind.rawValue, username: step.username, label: step.label, outcome: "not_run",
      requestIds: record?.requestIDs ?? [], startedAt: record.map { Timestamp.iso8601($0.started) },
      durationMs: record.map { Int($0.seconds * 1000) })
    switch report?.outcomes[step.index] {
    case .done(let note)?: (entry.outcome, entry.message) = ("done", note)
    case .skipped(let why)?: (entry.outcome, entry.message) = ("skipped", why)
    case .failed(let failure)?:
      (entry.outcome, entry.message) = ("failed", failure.description)
      if case .api(let api) = failure {
        (entry.httpStatus, entry.errorId) = (api.status, api.id)
        if let id = api.requestID, !entry.requestIds.contains(id) { entry.requestIds.append(id) }
      }
    case nil: break
    }
    return entry
  }

  /// The record as pretty JSON with snake_case keys, sorted.
  func json() throws -> Data {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }
}

extension ApplyRecord.Identity {
  init(_ plan: Plan, planfile: String?, manifests: [String], server: String) {
    source = planfile == nil ? "manifest" : "saved_plan"
    files = planfile.map { [$0] } ?? manifests
    digest = Fingerprints.digest(PlanDocument(plan: plan, server: server, acting: nil, requests: nil).json())
    self.server = server
    steps = plan.steps.count
  }
}
