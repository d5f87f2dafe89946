extension UserSpec {
  /// The fields most user entries leave out, held apart and shared (copy on write) until one is set.
  /// Held inline they doubled a spec's size, and a 100,000-user plan holds every spec at its peak.
  final class Rare: @unchecked Sendable {
    // Mutated only through `UserSpec.editRare`, which copies a shared instance first: never while shared.
    var nickname: String?
    var locale: String?
    var password: TemplateString?
    var authService: String?
    var authData: String?
    var emailVerified: Bool?
    var previousUsernames: [String] = []
    var ignoredFields: Set<ManagedField> = []
    var generatePassword = false
    var sendPasswordReset = false

    static let none = Rare()

    func copy() -> Rare {
      let copy = Rare()
      copy.nickname = nickname
      copy.locale = locale
      copy.password = password
      copy.authService = authService
      copy.authData = authData
      copy.emailVerified = emailVerified
      copy.previousUsernames = previousUsernames
      copy.ignoredFields = ignoredFields
      copy.generatePassword = generatePassword
      copy.sendPasswordReset = sendPasswordReset
      return copy
    }
  }

  private mutating func editRare(_ edit: (Rare) -> Void) {
    if !isKnownUniquelyReferenced(&rare) { rare = rare.copy() }
    edit(rare)
  }

  public var nickname: String? {
    get { rare.nickname }
    set { editRare { $0.nickname = newValue } }
  }
  public var locale: String? {
    get { rare.locale }
    set { editRare { $0.locale = newValue } }
  }
  public var password: TemplateString? {
    get { rare.password }
    set { editRare { $0.password = newValue } }
  }
  public var authService: String? {
    get { rare.authService }
    set { editRare { $0.authService = newValue } }
  }
  public var authData: String? {
    get { rare.authData }
    set { editRare { $0.authData = newValue } }
  }
  /// Sent on create only: an admin may create a user whose address is already verified.
  public var emailVerified: Bool? {
    get { rare.emailVerified }
    set { editRare { $0.emailVerified = newValue } }
  }
  /// Names the account had before (lowercased): when the username is not on the server and one of these
  /// is, the account is renamed in place, keeping its id, messages and memberships.
  public var previousUsernames: [String] {
    get { rare.previousUsernames }
    set { editRare { $0.previousUsernames = newValue } }
  }
  /// Fields of this user roster leaves alone after the create (`ignore_fields`).
  public var ignoredFields: Set<ManagedField> {
    get { rare.ignoredFields }
    set { editRare { $0.ignoredFields = newValue } }
  }
  /// `initial_password: generate`: roster makes a password that meets the server's policy and keeps it
  /// in the secrets file, never in output.
  public var generatePassword: Bool {
    get { rare.generatePassword }
    set { editRare { $0.generatePassword = newValue } }
  }
  /// `send_password_reset: true`: after the create, the server mails the user a reset link.
  public var sendPasswordReset: Bool {
    get { rare.sendPasswordReset }
    set { editRare { $0.sendPasswordReset = newValue } }
  }
}
