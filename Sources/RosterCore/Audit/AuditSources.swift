/// What `GET /config` says about sign-in and tokens (model/config.go ServiceSettings); nil when unknown.
public struct ServerPosture: Sendable, Equatable {
  public var accessTokensEnabled: Bool?
  /// MaximumPersonalAccessTokenLifetimeDays: 0 means no limit; absent on servers without token expiry.
  public var maximumTokenLifetimeDays: Int?
  public var mfaEnabled: Bool?
  public var mfaEnforced: Bool?

  public init(
    accessTokensEnabled: Bool? = nil, maximumTokenLifetimeDays: Int? = nil, mfaEnabled: Bool? = nil,
    mfaEnforced: Bool? = nil
  ) {
    self.accessTokensEnabled = accessTokensEnabled
    self.maximumTokenLifetimeDays = maximumTokenLifetimeDays
    self.mfaEnabled = mfaEnabled
    self.mfaEnforced = mfaEnforced
  }

  /// A lifetime policy is in force: new tokens must expire.
  public var hasLifetimePolicy: Bool { (maximumTokenLifetimeDays ?? 0) > 0 }
}

/// The audit's bounds (`--max-token-age-days`, `--inactive-days`) and its clock.
public struct AuditOptions: Sendable, Equatable {
  public var maxTokenAgeDays: Int
  public var inactiveDays: Int
  /// When the server was read, in milliseconds since 1970: ages and inactivity are judged at it.
  public var now: Int64

  public static let defaultMaxTokenAgeDays = 90
  public static let defaultInactiveDays = 90

  public init(
    maxTokenAgeDays: Int = defaultMaxTokenAgeDays, inactiveDays: Int = defaultInactiveDays, now: Int64
  ) {
    self.maxTokenAgeDays = maxTokenAgeDays
    self.inactiveDays = inactiveDays
    self.now = now
  }
}

/// Which sources the report was built from, and which it went without (and why): a reader of the JSON
/// must know whether "no finding" means "nothing there" or "not looked at".
public struct AuditCoverage: Sendable, Equatable {
  public struct Skip: Sendable, Equatable, Encodable {
    public var source: String
    public var reason: String
    public init(source: String, reason: String) {
      self.source = source
      self.reason = reason
    }
  }

  public var read: [String] = []
  public var skipped: [Skip] = []

  public init(read: [String] = [], skipped: [Skip] = []) {
    self.read = read
    self.skipped = skipped
  }

  public mutating func skip(_ source: String, _ reason: String) { skipped.append(Skip(source: source, reason: reason)) }
}

/// Everything an audit is built from: what plan reads, plus the bot list and the server configuration,
/// roster's own record of when it made each token, and optionally the manifest.
public struct AuditInput: Sendable {
  public var live: LiveState
  /// nil when the bot list could not be read.
  public var bots: [LiveBot]?
  /// nil when GET /config could not be read.
  public var posture: ServerPosture?
  /// When roster created each token, by id (milliseconds), from the secrets file.
  public var tokenCreatedAt: [String: Int64]
  public var manifest: Manifest?
  public var options: AuditOptions

  public init(
    live: LiveState, bots: [LiveBot]?, posture: ServerPosture?, tokenCreatedAt: [String: Int64] = [:],
    manifest: Manifest? = nil, options: AuditOptions
  ) {
    self.live = live
    self.bots = bots
    self.posture = posture
    self.tokenCreatedAt = tokenCreatedAt
    self.manifest = manifest
    self.options = options
  }
}
