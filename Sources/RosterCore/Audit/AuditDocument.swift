#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The audit as a whole: the report and where it came from (server, acting user, time, requests,
/// coverage). Every format renders one of these, so one read serves them all.
public struct AuditDocument: Sendable {
  /// Changes only when a field changes meaning or goes away; new fields may appear at any version.
  public static let formatVersion = 1

  public var report: AuditReport
  public var server: String
  public var acting: LiveUser
  /// Milliseconds since 1970.
  public var generatedAt: Int64
  public var requests: Int
  public var coverage: AuditCoverage

  public init(
    report: AuditReport, server: String, acting: LiveUser, generatedAt: Int64, requests: Int, coverage: AuditCoverage
  ) {
    self.report = report
    self.server = server
    self.acting = acting
    self.generatedAt = generatedAt
    self.requests = requests
    self.coverage = coverage
  }

  /// The JSON document `schemas/audit.schema.json` describes.
  public func json() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(AuditJSON(self)) else { preconditionFailure("an audit failed to encode") }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}

/// The JSON shape, kept apart from the model so the model stays free to change.
struct AuditJSON: Encodable {
  struct Acting: Encodable {
    var id: String
    var username: String
  }
  struct Finding: Encodable {
    var rule: String
    var severity: String
    var username: String
    var user_id: String
    var message: String
    var detail: [String: AuditValue]
  }
  struct Coverage: Encodable {
    var read: [String]
    var skipped: [AuditCoverage.Skip]
  }
  struct Summary: Encodable {
    var findings: Int
    var by_rule: [String: Int]
    var by_severity: [String: Int]
    var counts: [String: Int]
  }
  struct Parameters: Encodable {
    var max_token_age_days: Int
    var inactive_days: Int
    var manifest: Bool
  }
  struct Config: Encodable {
    var enable_user_access_tokens: Bool?
    var maximum_token_lifetime_days: Int?
    var enable_multifactor_authentication: Bool?
    var enforce_multifactor_authentication: Bool?

    func encode(to encoder: any Encoder) throws {
      enum K: String, CodingKey {
        case enable_user_access_tokens, maximum_token_lifetime_days, enable_multifactor_authentication,
          enforce_multifactor_authentication
      }
      var c = encoder.container(keyedBy: K.self)
      try c.encode(enable_user_access_tokens, forKey: .enable_user_access_tokens)
      try c.encode(maximum_token_lifetime_days, forKey: .maximum_token_lifetime_days)
      try c.encode(enable_multifactor_authentication, forKey: .enable_multifactor_authentication)
      try c.encode(enforce_multifactor_authentication, forKey: .enforce_multifactor_authentication)
    }
  }
  struct Inventory: Encodable {
    var users: [AuditUserRow]
    var tokens: [AuditTokenRow]
    var bots: [AuditBotRow]
  }

  var format_version = AuditDocument.formatVersion
  var server: String
  var acting_user: Acting
  var generated_at: String
  var requests: Int
  var coverage: Coverage
  var parameters: Parameters
  var server_config: Config?
  var summary: Summary
  var findings: [Finding]
  var inventory: Inventory

  init(_ document: AuditDocument) {
    let report = document.report
    server = document.server
    acting_user = Acting(id: document.acting.id, username: document.acting.username)
    generated_at = AuditDate.iso8601(document.generatedAt)
    requests = document.requests
    coverage = Coverage(read: document.coverage.read, skipped: document.coverage.skipped)
    parameters = Parameters(
      max_token_age_days: report.options.maxTokenAgeDays, inactive_days: report.options.inactiveDays,
      manifest: report.withManifest)
    server_config = report.posture.map {
      Config(
        enable_user_access_tokens: $0.accessTokensEnabled, maximum_token_lifetime_days: $0.maximumTokenLifetimeDays,
        enable_multifactor_authentication: $0.mfaEnabled, enforce_multifactor_authentication: $0.mfaEnforced)
    }
    summary = Summary(
      findings: report.findings.count,
      by_rule: Dictionary(uniqueKeysWithValues: AuditRule.allCases.map { ($0.rawValue, report.count($0)) }),
      by_severity: Dictionary(uniqueKeysWithValues: AuditSeverity.allCases.map { ($0.rawValue, report.count($0)) }),
      counts: Dictionary(report.totals, uniquingKeysWith: { a, _ in a }))
    findings = report.findings.map {
      Finding(
        rule: $0.rule.rawValue, severity: $0.severity.rawValue, username: $0.username, user_id: $0.userID,
        message: $0.message, detail: $0.detail)
    }
    inventory = Inventory(users: report.users, tokens: report.tokens, bots: report.bots)
  }
}
