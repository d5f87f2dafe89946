#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

/// What apply runs: the plan, the passwords of the users it creates, and how to check the result.
public struct PreparedApply: Sendable {
  public var plan: Plan
  public var passwords: [String: String]
  /// The server holds email changes until users verify them (RequireEmailVerification).
  public var holdsEmailChanges = false
  /// Reads the server again after the last step and lists what is not as planned.
  public var verify: @Sendable (ServerReader) async throws -> [String]

  public init(
    plan: Plan, passwords: [String: String], verify: @escaping @Sendable (ServerReader) async throws -> [String]
  ) {
    self.plan = plan
    self.passwords = passwords
    self.verify = verify
  }
}

/// Why apply stopped before writing anything.
public enum ApplyStop: Error, Sendable, CustomStringConvertible {
  /// A safety rule refused (stale or foreign saved plan, ...): exit 3.
  case refused([String])
  /// Something was wrong before any write (unreadable plan file, unset variable, server unreachable): exit 1.
  case failed(String)

  public var description: String {
    switch self {
    case .refused(let reasons): reasons.joined(separator: "\n")
    case .failed(let reason): reason
    }
  }
}

extension PreparedApply {
  /// Plans from a manifest; verification plans again and expects nothing left.
  public static func fromManifest(
    _ manifest: Manifest, live: LiveState, options: PlanOptions
  ) -> PreparedApply {
    let plan = Planner.plan(manifest, live: live, options: options)
    var passwords: [String: String] = [:]
    for user in manifest.users { passwords[user.username] = user.password?.expanded ?? nil }
    passwords.merge(generatedPasswords(plan, live: live)) { _, generated in generated }
    let needs = ReadNeeds(manifest, only: options.only)
    let held = live.requireEmailVerification == true
    // Email changes this run requests stay invisible until verified: verification expects them pending.
    var pending = options.pendingEmails
    if held {
      for step in plan.steps {
        if let email = step.changes.first(where: { $0.field == ProfileField.email.key }) {
          pending[step.username] = email.new
        }
      }
    }
    var again = PlanOptions(force: true, pendingEmails: pending)
    again.only = options.only
    again.skipErrored = options.skipErrored
    again.keepGraceWaits(of: plan, known: options)
    var prepared = PreparedApply(plan: plan, passwords: passwords) { [again] reader in
      let replanned = Planner.plan(manifest, live: try await reader.liveState(needs), options: again)
      return replanned.steps.map(Self.notTakenEffect) + replanned.errors.map(\.description)
    }
    prepared.holdsEmailChanges = held
    return prepared
  }

  /// Passwords for `initial_password: generate` creates, made to the server's policy just before apply;
  /// the applier writes each to the secrets file before its create.
  static func generatedPasswords(_ plan: Plan, live: LiveState) -> [String: String] {
    var rng = SystemRandomNumberGenerator()
    var out: [String: String] = [:]
    for step in plan.steps where step.generatesPassword {
      out[step.username] = PasswordGenerator.generate(for: live.passwordPolicy ?? PasswordPolicy(), using: &rng)
    }
    return out
  }

  /// A step that is still planned after it ran. PUT /users/{id}/active can answer 200 after failing
  /// (api4/user.go updateUserActive sets c.Err without returning), so for those the server is named.
  static func notTakenEffect(_ step: Step) -> String {
    switch step.change {
    case .user(.deactivateUser), .user(.reactivateUser):
      "\(step.username): \(step.kind.rawValue) did not take effect, although the server answered 200"
    default:
      "still planned: \(step.kind.rawValue) \(step.username)"
    }
  }

  /// Checks a saved plan against the server it was made for and what that server holds now, and resolves
  /// its `${VAR}` password references from `env`. Verification checks each step's effect.
  ///
  /// Nothing in the file is trusted for safety: its steps are checked again against the live server by
  /// the rules the planner keeps (`Safety`), its gates are recomputed from the defaults (which the
  /// file's recorded settings may only tighten), and its own `gates` and notes are ignored.
  public static func fromSavedPlan(
    _ document: PlanDocument, name: String, reader: ServerReader, env: [String: String], force: Bool = false,
    limits: OperatorLimits = OperatorLimits(), recovering: Set<TokenKey> = []
  ) async throws(ApplyStop) -> PreparedApply {
    guard PlanDocument.readableVersions.contains(document.formatVersion), let prints = document.fingerprints else {
      throw .failed(
        "\(name) is not a saved plan of format \(PlanDocument.currentVersion) with fingerprints (roster plan --out)")
    }
    // A read-only plan left parts of the server unread: its steps are not the whole change.
    if document.readOnly || !document.notCompared.isEmpty {
      throw .refused([
        "\(name) was planned with --read-only by a token that is not a system admin (\(document.notCompared.count) part\(document.notCompared.count == 1 ? "" : "s") not compared); plan again with an admin token; nothing was written"
      ])
    }
    func trimmed(_ url: String?) -> String { (url ?? "").trimming { $0 == "/" } }
    if trimmed(document.server) != trimmed(reader.options.baseURL) {
      throw .refused([
        "the plan was made for \(document.server ?? "another server"), not \(reader.options.baseURL); nothing was written"
      ])
    }
    let live: LiveState
    do {
      let me = try await reader.me()
      if me.id != document.acting?.id {
        throw ApplyStop.refused([
          "the plan was made by \(document.acting?.username ?? "another user"), not \(me.username); nothing was written"
        ])
      }
      // Every token, not only the fingerprinted users' (the file names those): a token step must be
      // checked against its real owner.
      let tokenSteps = document.steps.contains { $0.tokenDescription != nil }
      let tokens: ReadNeeds.Tokens =
        tokenSteps ? .everyone : prints.tokenUsernames.isEmpty ? .none : .users(prints.tokenUsernames)
      // The memberships of every account a membership step names, to check each step still applies.
      // By id: a step of a renamed account carries its new name, which the server does not know yet.
      let memberSteps = document.steps.filter { $0.membershipChange != nil }
      var scope = MembershipNeeds(users: Array(Set(memberSteps.map(\.username))).sorted())
      scope.userIDs = Array(Set(memberSteps.compactMap(\.userID))).sorted()
      live = try await reader.liveState(
        ReadNeeds(
          tokens: tokens, clientConfig: true, memberships: memberSteps.isEmpty ? nil : scope,
          bots: prints.bots != nil || document.steps.contains { $0.botChange != nil }))
    } catch let stop as ApplyStop {
      throw stop
    } catch {
      throw .failed("reading the server failed: \(error)")
    }
    let changes = prints.changes(comparedTo: prints.recompute(from: live))
    if !changes.isEmpty {
      throw .refused(
        ["the server changed since the plan was made; nothing was written:"] + changes.map { "  - \($0)" }
          + ["Run roster plan again."])
    }
    var plan = document.plan
    plan.privilegedUserIDs = Safety.privilegedAccounts(plan.steps, live: live)
    let safety = SafetySettings.forSavedPlan(recorded: document.safety, limits: limits)
    var broken = Safety.stepProblems(plan.steps, live: live, protectedUsers: safety.protectedUsers)
    let after = live.applying(plan.steps)
    if let problem = Safety.adminProblem(after, minimum: safety.minSystemAdmins) {
      broken.append(problem)
    }
    broken += Safety.lastAdminProblems(plan.steps, live: live)
    let account = Safety.accountResolver(plan.steps, live: live)
    for name in Safety.requiredAdminsMissing(after, required: safety.requiredAdmins, account: account) {
      broken.append("\(name) is in required_admins but would not be an active system admin after this plan")
    }
    broken += ResetCheck.problems(plan.steps, live: live)
    broken += MembershipCheck.problems(plan.steps, live: live)
    if !broken.isEmpty {
      throw .refused(["the saved plan breaks roster's safety rules; nothing was written:"] + broken.map { "  - \($0)" })
    }
    // Every gate recomputed against the live server, with the thresholds the plan recorded and apply's
    // own flags (or the defaults): the smallest limit wins.
    // The base of the shares of managed users: the plan's own count, never more than the users the
    // file's fingerprints name (an absent name counts only when a step creates it), so padding neither
    // the count nor the fingerprints raises a limit.
    let created = Set(plan.steps.filter { $0.kind == .createUser }.map(\.username))
    let named = Set(prints.users.map(\.username) + prints.absentUsers.filter(created.contains)).count
    let managed = min(named, document.safety?.managedUsers ?? named)
    let enforced = Safety.enforce(
      Safety.gates(
        plan.steps, live: live, governance: safety.governance, managed: managed, thresholds: safety.thresholds,
        recovering: recovering),
      force: force)
    plan.gates = enforced.gates
    plan.notes += enforced.warnings.map { PlanNote(.warning, nil, $0) }
    var passwords = generatedPasswords(plan, live: live)
    for step in plan.steps {
      guard case .user(.createUser(_, .reference(let reference)?)) = step.change else { continue }
      guard Template.references(in: reference) else {
        throw .failed(
          "\(step.username)'s password is written literally in the manifest; saved plans resolve only ${VAR} references"
        )
      }
      switch Template.expand(reference, env: env) {
      case .success(let value): passwords[step.username] = value
      case .failure(let unset):
        throw .failed("environment variable \(unset.name) is not set (password of \(step.username))")
      }
    }
    let tokenUsers = Array(Set(plan.steps.filter { $0.tokenDescription != nil }.map(\.username))).sorted()
    let steps = plan.steps
    let held = live.requireEmailVerification == true
    var prepared = PreparedApply(plan: plan, passwords: passwords) { reader in
      let members = Array(Set(steps.filter { $0.membershipChange != nil }.map(\.username))).sorted()
      let after = try await reader.liveState(
        ReadNeeds(
          tokens: tokenUsers.isEmpty ? .none : .users(tokenUsers),
          memberships: members.isEmpty ? nil : MembershipNeeds(users: members)))
      return StepCheck.unmet(steps, before: live, after: after, emailChangesHeld: held)
        + MembershipCheck.unmet(steps, after: after)
    }
    prepared.holdsEmailChanges = held
    return prepared
  }
}

/// The person's answer to "apply these changes?".
public enum Approval: Sendable {
  case approved
  case declined
  /// Nobody can answer: standard input is not a terminal and `--auto-approve` was not given.
  case unattended
}

/// How apply ended; the CLI maps each case to its exit code in one place.
public enum ApplyResult: Sendable {
  case nothingToDo
  case planHasErrors([PlanNote])
  case gated([String])
  case missingSink
  case sinkUnusable(String)
  case declined
  case unattended
  /// Every step ran; `problems` is what verification found (empty: verified), nil when not verified.
  case applied(ApplyReport, problems: [String]?)
  /// Verification could not read the server.
  case unverified(ApplyReport, reason: String)
  /// Some steps failed or were skipped.
  case incomplete(ApplyReport)
}

/// Apply's policy, as a library: the error gate, the safety gates and `--force`, the secrets file, the
/// confirmation, the applier, the report and the verification. Nothing here prints; progress goes to
/// the `ApplyProgress` given, and the outcome comes back as an `ApplyResult`.
public struct ApplySession: Sendable {
  public var force = false
  public var verify = true
  public var parallelism = 4
  /// Where new token secrets go; nil means none was given.
  public var tokenOutput: String?
  /// Files apply reads (manifests, the saved plan): the secrets file may not be one of them.
  public var inputs: [String] = []
  /// The state file (`--state`): the bookkeeping goes there, and the secrets file holds only secrets.
  public var statePath: String?

  public init(force: Bool = false, verify: Bool = true, parallelism: Int = 4, tokenOutput: String? = nil) {
    self.force = force
    self.verify = verify
    self.parallelism = parallelism
    self.tokenOutput = tokenOutput
  }

  /// - Parameter approve: asked once every gate has passed, just before the first write.
  /// - Parameter stop: set on an interrupt; steps not yet started are skipped, the rest are reported.
  public func run(
    _ prepared: PreparedApply, writer: any ServerWriting, reader: ServerReader, progress: (any ApplyProgress)?,
    stop: CancellationFlag? = nil, approve: () -> Approval
  ) async -> ApplyResult {
    let plan = prepared.plan
    if !plan.errors.isEmpty { return .planHasErrors(plan.errors) }
    if plan.isEmpty { return .nothingToDo }
    if !plan.gates.isEmpty && !force { return .gated(plan.gates) }
    // Token secrets and generated passwords go to the secrets file, and only there.
    let createsTokens = plan.steps.contains { $0.kind == .createToken || $0.generatesPassword }
    if createsTokens && tokenOutput == nil { return .missingSink }
    let sink: (any SecretStore)?
    do { sink = try openSink(prepared, createsTokens: createsTokens) } catch { return .sinkUnusable("\(error)") }
    switch approve() {
    case .approved: break
    case .declined: return .declined
    case .unattended: return .unattended
    }
    let applier = Applier(
      writer: writer, plan: plan, passwords: prepared.passwords, sink: sink, parallelism: parallelism,
      progress: progress, stop: stop, holdsEmailChanges: prepared.holdsEmailChanges)
    var report = ApplyReport(plan: plan, outcomes: await applier.run())
    report.records = await applier.records
    if report.failed > 0 || report.skipped > 0 || stop?.isSet == true { return .incomplete(report) }
    guard verify else { return .applied(report, problems: nil) }
    do {
      return .applied(report, problems: try await prepared.verify(reader))
    } catch {
      return .unverified(report, reason: "\(error)")
    }
  }
}
