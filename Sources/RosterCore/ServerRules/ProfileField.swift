/// The profile fields roster manages, in the order plans, exports and the schema list them.
///
/// This table is the only place that knows them: the loader's keys and limits, the planner's compare,
/// the SSO ownership rules, the exporter, saved-plan fingerprints and the generated JSON Schema all read
/// it. Adding a field is one case here (plus its tests).
public enum ProfileField: String, CaseIterable, Sendable {
  case email
  case firstName = "first_name"
  case lastName = "last_name"
  case nickname
  case position
  case locale

  /// The manifest key and the API's JSON field, which are the same.
  public var key: String { rawValue }

  /// The declared value in a spec; nil when the manifest leaves the field unmanaged.
  public var spec: WritableKeyPath<UserSpec, String?> { Self.specPaths[ordinal] }

  /// The value the server shows (writable, so tests and the sandbox-facing tools can build users).
  public var live: WritableKeyPath<LiveUser, String> { Self.livePaths[ordinal] }

  /// The declared value, read by a switch: a key path read costs a runtime call per use, and the
  /// planner reads every field of every user.
  public func value(in spec: UserSpec) -> String? {
    switch self {
    case .email: spec.email
    case .firstName: spec.firstName
    case .lastName: spec.lastName
    case .nickname: spec.nickname
    case .position: spec.position
    case .locale: spec.locale
    }
  }

  /// Sets the declared value by a switch, as `value(in:)` reads it (the loader sets a field of every
  /// user; a key path write is a runtime call).
  public func set(_ value: String?, in spec: inout UserSpec) {
    switch self {
    case .email: spec.email = value
    case .firstName: spec.firstName = value
    case .lastName: spec.lastName = value
    case .nickname: spec.nickname = value
    case .position: spec.position = value
    case .locale: spec.locale = value
    }
  }

  /// Sets the server's value by a switch (a key path write is a runtime call; every field of every
  /// listed user is set this way).
  public func set(_ value: String, in user: inout LiveUser) {
    switch self {
    case .email: user.email = value
    case .firstName: user.firstName = value
    case .lastName: user.lastName = value
    case .nickname: user.nickname = value
    case .position: user.position = value
    case .locale: user.locale = value
    }
  }

  /// The server's value, as `value(in:)` reads the declared one.
  public func value(in user: LiveUser) -> String {
    switch self {
    case .email: user.email
    case .firstName: user.firstName
    case .lastName: user.lastName
    case .nickname: user.nickname
    case .position: user.position
    case .locale: user.locale
    }
  }

  // A key path literal is instantiated by the runtime each time it is evaluated here (a tenth of a
  // 100,000-user validate went to it): each is made once and kept, in `allCases` order. Key paths are
  // immutable objects, safe to share; Swift 6.3 does not yet mark these Sendable.
  nonisolated(unsafe) private static let specPaths = allCases.map(\.makeSpec)
  nonisolated(unsafe) private static let livePaths = allCases.map(\.makeLive)

  /// The case's place in `allCases`.
  var ordinal: Int {
    switch self {
    case .email: 0
    case .firstName: 1
    case .lastName: 2
    case .nickname: 3
    case .position: 4
    case .locale: 5
    }
  }

  private var makeSpec: WritableKeyPath<UserSpec, String?> {
    switch self {
    case .email: \.email
    case .firstName: \.firstName
    case .lastName: \.lastName
    case .nickname: \.nickname
    case .position: \.position
    case .locale: \.locale
    }
  }

  private var makeLive: WritableKeyPath<LiveUser, String> {
    switch self {
    case .email: \.email
    case .firstName: \.firstName
    case .lastName: \.lastName
    case .nickname: \.nickname
    case .position: \.position
    case .locale: \.locale
    }
  }

  /// The most Unicode scalars the server accepts for free text (model/user.go IsValid, counted with
  /// utf8.RuneCountInString); nil for fields with a rule of their own (email, locale).
  public var maxRunes: Int? {
    switch self {
    case .firstName: ServerRules.firstNameMaxRunes
    case .lastName: ServerRules.lastNameMaxRunes
    case .nickname: ServerRules.nicknameMaxRunes
    case .position: ServerRules.positionMaxRunes
    case .email, .locale: nil
    }
  }

  /// Whether `defaults:` may set it: fields that make sense for everyone, unlike identity fields.
  public var defaultsMaySet: Bool {
    switch self {
    case .nickname, .position, .locale: true
    case .email, .firstName, .lastName: false
    }
  }

  /// Whether the server runs model.SanitizeUnicode on it (User.PreSave/PreUpdate: names and nickname,
  /// not position).
  var serverSanitizes: Bool { self == .firstName || self == .lastName || self == .nickname }

  /// The value as the server stores it: emails trimmed and lowercased (model.NormalizeEmail); names and
  /// nickname without the characters SanitizeUnicode removes.
  func normalized(_ raw: String) -> String {
    if self == .email { return ServerRules.normalizeEmail(raw) }
    guard serverSanitizes else { return raw }
    // Every character the server removes is past U+0340: ASCII text (nearly every value) keeps all.
    let ascii = raw.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } } ?? false
    guard !ascii, raw.unicodeScalars.contains(where: ServerRules.isRemovedByServer) else { return raw }
    return String(String.UnicodeScalarView(raw.unicodeScalars.filter { !ServerRules.isRemovedByServer($0) }))
  }

  /// Why the server would refuse the (normalised) value, or nil (model/user.go IsValid).
  func problem(_ value: String) -> String? {
    switch self {
    case .email: return ServerRules.emailProblem(value)
    case .locale: return ServerRules.localeProblem(value)
    case .firstName, .lastName, .nickname, .position:
      // No more bytes than the limit means no more scalars either: most values end here, uncounted.
      guard let limit = maxRunes, value.utf8.count > limit else { return nil }
      let runes = value.unicodeScalars.count
      guard runes > limit else { return nil }
      return "\(key) is \(runes) characters; the server allows at most \(limit)"
    }
  }

  /// Whether the server compares it case-insensitively (it lowercases emails on save).
  func same(live: String, declared: String) -> Bool {
    self == .email ? ServerRules.normalizeEmail(live) == declared : live == declared
  }

  /// The attribute's name in the client configuration's `Ldap<Name>AttributeSet` and
  /// `Saml<Name>AttributeSet` flags (server/config/client.go); nil for fields without such a flag.
  public var providerAttribute: String? {
    switch self {
    case .firstName: "FirstName"
    case .lastName: "LastName"
    case .nickname: "Nickname"
    case .position: "Position"
    case .email, .locale: nil
    }
  }

  /// What the server does to a change of this field on an account bound to `service`, when the
  /// identity provider owns it; nil when roster may change it.
  /// - OAuth (app/user.go CheckProviderAttributes): the email change is answered 200 and dropped; first
  ///   and last name are refused with 409.
  /// - LDAP: the open-source store refuses email changes (400 app.user.update.find.app_error); SAML email
  ///   changes go through (shared/mattermost-api.md §13).
  /// - LDAP and SAML names, nickname and position are the directory's when the client configuration says
  ///   the attribute is mapped (`mapped`); when that is unknown (nil), roster leaves them alone.
  func providerOwnership(service: String, mapped: Set<String>?) -> String? {
    if service.isEmpty { return nil }
    if ServerRules.oauthServices.contains(service) {
      switch self {
      case .email: return "is owned by \(service): the server answers 200 and drops the change (will revert)"
      case .firstName, .lastName: return "is owned by \(service): the server refuses the change (409)"
      case .nickname, .position, .locale: return nil
      }
    }
    if self == .email {
      return service == "ldap" ? "is owned by ldap: the server refuses the change (400)" : nil
    }
    guard let attribute = providerAttribute else { return nil }
    guard let mapped else { return "is owned by \(service): the directory sync overwrites it (will revert)" }
    return mapped.contains(attribute) ? "is mapped to a \(service) attribute: the server refuses the change (409)" : nil
  }

  /// The field's JSON Schema, for the generated `schemas/roster.schema.json`.
  var schema: String {
    let about = #""description": "\#(summary) Absent: left as the server has it.""#
    switch self {
    case .email: return #"{ \#(about), "type": "string", "maxLength": \#(ServerRules.emailMaxLength) }"#
    case .locale:
      return
        #"{ \#(about), "type": "string", "maxLength": \#(ServerRules.localeMaxLength), "examples": ["en", "de", "pt-BR"] }"#
    case .firstName, .lastName, .nickname, .position:
      return #"{ \#(about), "type": "string", "maxLength": \#(maxRunes ?? 0) }"#
    }
  }

  private static let sanitized = " Characters the server strips (SanitizeUnicode) are dropped, with a warning."

  /// What the field is, for the schema's description (and so the reference page).
  private var summary: String {
    switch self {
    case .email: "The address; compared case-insensitively (the server lowercases it), one per user."
    case .firstName: "First name." + Self.sanitized
    case .lastName: "Last name." + Self.sanitized
    case .nickname: "Nickname." + Self.sanitized
    case .position: "Position (job title)."
    case .locale:
      "The user's language: empty or a locale the server accepts; an untranslated one is set by a patch after the create."
    }
  }

  public static func named(_ key: String) -> ProfileField? { ProfileField(rawValue: key) }
}
