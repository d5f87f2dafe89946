#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The stable JSON form of a plan (`--format json`) and of a saved plan file (`--out`), described by
/// `schemas/plan.schema.json`. `format_version` changes only when a field changes meaning or goes away.
///
/// The coding is written out: the keys are a public format, and a saved plan is read strictly, since
/// apply acts on it. An unknown key, a missing field a step's kind needs, a field a kind does not take,
/// a duplicated profile field, or indices and dependencies that do not line up are all errors.
public struct PlanDocument: Sendable, Equatable {
  public static let currentVersion = "2"
  /// Version 1 put a change's keys beside the step's own; it is still read.
  public static let readableVersions: Set<String> = ["1", currentVersion]

  public struct Acting: Sendable, Codable, Equatable {
    public var id: String
    public var username: String

    enum CodingKeys: String, CodingKey, CaseIterable { case id, username }

    public init(id: String, username: String) {
      self.id = id
      self.username = username
    }

    public init(from decoder: any Decoder) throws {
      try decoder.allowOnly(CodingKeys.self)
      let c = try decoder.container(keyedBy: CodingKeys.self)
      id = try c.decode(String.self, forKey: .id)
      username = try c.decode(String.self, forKey: .username)
    }
  }

  public var formatVersion: String
  public var server: String?
  public var acting: Acting?
  public var summary: Summary
  public var steps: [Step]
  public var notes: [PlanNote]
  public var gates: [String]
  public var requestCount: Int?
  public var unmanaged: Plan.Unmanaged?
  /// `--only`: the usernames a partial plan is restricted to.
  public var only: [String]?
  /// The accounts the steps name that hold an admin role (`Plan.privilegedUserIDs`).
  public var privilegedUserIDs: [String]
  /// Replaced tokens within their rotation grace (`Plan.pendingRevokes`); output only, never read back.
  public var pendingRevokes: [PendingRevoke] = []
  /// `plan --read-only`: what the token could not read (`Plan.notCompared`). Read back, so that apply
  /// refuses a plan that did not compare everything.
  public var notCompared: [String] = []
  /// `Plan.readOnly`, read back so apply refuses it.
  public var readOnly = false
  /// Only in saved plan files: what the plan was computed from.
  public var fingerprints: Fingerprints?
  /// Only in saved plan files: the manifest's safety settings. Apply lets them tighten its defaults,
  /// never loosen them, since the file may have been edited.
  public var safety: SafetySettings?

  public init(
    plan: Plan, server: String?, acting: LiveUser?, requests: Int?, fingerprints: Fingerprints? = nil,
    safety: SafetySettings? = nil
  ) {
    self.safety = safety
    formatVersion = Self.currentVersion
    self.server = server
    self.acting = acting.map { Acting(id: $0.id, username: $0.username) }
    summary = Summary(plan)
    steps = plan.steps
    notes = plan.notes
    gates = plan.gates
    requestCount = requests
    unmanaged = plan.unmanaged
    only = plan.only
    privilegedUserIDs = plan.privilegedUserIDs.sorted()
    pendingRevokes = plan.pendingRevokes
    notCompared = plan.notCompared
    readOnly = plan.readOnly
    self.fingerprints = fingerprints
  }

  public var plan: Plan {
    var plan = Plan(steps: steps, notes: notes, gates: gates, unmanaged: unmanaged, only: only)
    plan.privilegedUserIDs = Set(privilegedUserIDs)
    plan.pendingRevokes = pendingRevokes
    plan.notCompared = notCompared
    plan.readOnly = readOnly
    return plan
  }

  public func json() -> String { PlanJSON.text(self) }

  /// Reads a plan document strictly; the error says where and what.
  public static func decode(_ data: Data) throws(PlanFileError) -> PlanDocument { try PlanJSON.decode(data) }
}

/// Why a plan file cannot be used, with the JSON path of the problem.
public struct PlanFileError: Error, Sendable, CustomStringConvertible, Equatable {
  public var message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }
}

extension PlanDocument: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case formatVersion = "format_version"
    case server, acting, summary, steps, notes, gates
    case requestCount = "request_count"
    case unmanaged, only, fingerprints, safety
    case privilegedUserIDs = "privileged_user_ids"
    case privilegeChanges = "privilege_changes"
    case pendingRevokes = "pending_revokes"
    case notCompared = "not_compared"
    case readOnly = "read_only"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(formatVersion, forKey: .formatVersion)
    try c.encodeIfPresent(server, forKey: .server)
    try c.encodeIfPresent(acting, forKey: .acting)
    try c.encode(summary, forKey: .summary)
    try c.encode(steps, forKey: .steps)
    try c.encode(notes, forKey: .notes)
    try c.encode(gates, forKey: .gates)
    try c.encodeIfPresent(requestCount, forKey: .requestCount)
    try c.encodeIfPresent(unmanaged, forKey: .unmanaged)
    try c.encodeIfPresent(only, forKey: .only)
    try c.encodeIfPresent(fingerprints, forKey: .fingerprints)
    try c.encodeIfPresent(safety, forKey: .safety)
    try c.encode(privilegedUserIDs, forKey: .privilegedUserIDs)
    // For readers of the JSON (a CI job, jq): what the text and Markdown show first. Derived from the
    // steps and the ids above; never read back.
    let changes = plan.privilegeChanges.map {
      PrivilegeRow(step: $0.step.index, username: $0.step.username, what: $0.what)
    }
    try c.encode(changes, forKey: .privilegeChanges)
    if !pendingRevokes.isEmpty { try c.encode(pendingRevokes.map(PendingRevokeRow.init), forKey: .pendingRevokes) }
    if !notCompared.isEmpty { try c.encode(notCompared, forKey: .notCompared) }
    if readOnly { try c.encode(true, forKey: .readOnly) }
  }

  public init(from decoder: any Decoder) throws {
    try decoder.allowOnly(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    formatVersion = try c.decode(String.self, forKey: .formatVersion)
    server = try c.decodeIfPresent(String.self, forKey: .server)
    acting = try c.decodeIfPresent(Acting.self, forKey: .acting)
    summary = try c.decode(Summary.self, forKey: .summary)
    switch formatVersion {
    case "1": steps = try c.decode([Version1Step].self, forKey: .steps).map(\.step)
    case Self.currentVersion: steps = try c.decode([Step].self, forKey: .steps)
    default:
      throw DecodingError.dataCorruptedError(
        forKey: .formatVersion, in: c,
        debugDescription:
          "format \(formatVersion) is not one this roster reads (\(Self.readableVersions.sorted().joined(separator: ", ")))"
      )
    }
    notes = try c.decode([PlanNote].self, forKey: .notes)
    gates = try c.decode([String].self, forKey: .gates)
    requestCount = try c.decodeIfPresent(Int.self, forKey: .requestCount)
    unmanaged = try c.decodeIfPresent(Plan.Unmanaged.self, forKey: .unmanaged)
    only = try c.decodeIfPresent([String].self, forKey: .only)
    fingerprints = try c.decodeIfPresent(Fingerprints.self, forKey: .fingerprints)
    safety = try c.decodeIfPresent(SafetySettings.self, forKey: .safety)
    privilegedUserIDs = try c.decodeIfPresent([String].self, forKey: .privilegedUserIDs) ?? []
    notCompared = try c.decodeIfPresent([String].self, forKey: .notCompared) ?? []
    readOnly = try c.decodeIfPresent(Bool.self, forKey: .readOnly) ?? false
    // privilege_changes is derived output; its content is not trusted, only its shape.
    _ = try c.decodeIfPresent([PrivilegeRow].self, forKey: .privilegeChanges)
    try Self.checkSteps(steps, codingPath: c.codingPath + [CodingKeys.steps])
  }

  /// Indices are positions, dependencies point backwards, and a step without a user id depends on the
  /// create of its user (whose id apply learns when it runs); a token step without a token id depends on
  /// that token's create.
  static func checkSteps(_ steps: [Step], codingPath: [any CodingKey]) throws {
    func fail(_ position: Int, _ message: String) -> DecodingError {
      .dataCorrupted(.init(codingPath: codingPath + [AnyKey(index: position)], debugDescription: message))
    }
    for (position, step) in steps.enumerated() {
      if step.index != position { throw fail(position, "index is \(step.index), but the step is number \(position)") }
      if Set(step.dependsOn).count != step.dependsOn.count { throw fail(position, "depends_on repeats a step") }
      for dependency in step.dependsOn where !(0..<position).contains(dependency) {
        throw fail(position, "depends_on \(dependency) is not an earlier step")
      }
      let earlier = step.dependsOn.map { steps[$0] }
      let creates: Set<StepKind> = [.createUser, .createBot]
      if step.userID == nil && !creates.contains(step.kind)
        && !earlier.contains(where: { creates.contains($0.kind) && $0.username == step.username })
      {
        throw fail(position, "\(step.kind.rawValue) has no user_id and does not depend on creating \(step.username)")
      }
      if step.userID != nil && creates.contains(step.kind) { throw fail(position, "\(step.kind) takes no user_id") }
      if case .user(.sendPasswordReset(let email)) = step.change {
        // Planned right after creating the user, to the address it was created with; or again for an
        // existing account (its id given), whose address apply checks against the server's
        // (`ResetCheck`), so an edited file cannot mail a reset link to any other address.
        let create = earlier.first { $0.kind == .createUser && $0.username == step.username }
        let createdWith = create?.changes.first(where: { $0.field == "email" })?.new
        guard step.userID == nil ? createdWith == email : create == nil else {
          throw fail(
            position,
            "send_password_reset must follow the create of its user, to the address it creates, or name an existing user's id"
          )
        }
      }
      if case .user(.renameUser(let fields)) = step.change {
        if step.userID == nil { throw fail(position, "rename_user needs the user_id of the account it renames") }
        if fields.first?.new != step.username { throw fail(position, "rename_user must rename to its username") }
      }
      switch step.change {
      case .token(.enableToken(let description, nil)), .token(.disableToken(let description, nil)):
        if !earlier.contains(where: {
          $0.kind == .createToken && $0.username == step.username && $0.tokenDescription == description
        }) {
          throw fail(position, "\(step.kind.rawValue) has no token_id and does not depend on creating that token")
        }
      default: break
      }
    }
  }
}

extension Plan.Unmanaged: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable { case count, policy }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(count, forKey: .count)
    try c.encode(policy.rawValue, forKey: .policy)
  }

  public init(from decoder: any Decoder) throws {
    try decoder.allowOnly(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let name = try c.decode(String.self, forKey: .policy)
    guard let policy = UnmanagedPolicy(rawValue: name) else {
      throw DecodingError.dataCorruptedError(forKey: .policy, in: c, debugDescription: "unknown policy \"\(name)\"")
    }
    self.init(count: try c.decode(Int.self, forKey: .count), policy: policy)
  }
}
