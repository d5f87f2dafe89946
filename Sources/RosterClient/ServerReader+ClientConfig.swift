#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

extension ServerReader {
  /// What the client configuration says (server/config/client.go; `format=old` is a map of strings):
  /// EnableUserAccessTokens, ShowEmailAddress, ShowFullName and the Ldap*/Saml* AttributeSet flags for a
  /// logged-in user,
  /// PasswordMinimumLength and PasswordRequire* for anyone. Unknown values stay nil.
  public func clientConfig() async -> ClientConfiguration {
    let path = "/config/client?format=old"
    guard let response = try? await connection.send("GET", path),
      let config = try? connection.json([String: String].self, response, path: path)
    else { return ClientConfiguration() }
    var result = ClientConfiguration()
    result.accessTokensEnabled = config["EnableUserAccessTokens"].map { $0 == "true" }
    result.requireEmailVerification = config["RequireEmailVerification"].map { $0 == "true" }
    result.showEmailAddress = config["ShowEmailAddress"].map { $0 == "true" }
    result.showFullName = config["ShowFullName"].map { $0 == "true" }
    if let minimum = config["PasswordMinimumLength"].flatMap(Int.init) {
      result.passwordPolicy = PasswordPolicy(
        minimumLength: minimum, lowercase: config["PasswordRequireLowercase"] == "true",
        uppercase: config["PasswordRequireUppercase"] == "true", number: config["PasswordRequireNumber"] == "true",
        symbol: config["PasswordRequireSymbol"] == "true")
    }
    let attributes = ProfileField.allCases.compactMap(\.providerAttribute)
    if attributes.contains(where: { config["Ldap\($0)AttributeSet"] != nil || config["Saml\($0)AttributeSet"] != nil })
    {
      result.mappedAttributes = [
        "ldap": Set(attributes.filter { config["Ldap\($0)AttributeSet"] == "true" }),
        "saml": Set(attributes.filter { config["Saml\($0)AttributeSet"] == "true" }),
      ]
    }
    return result
  }

  public struct ClientConfiguration: Sendable {
    public var accessTokensEnabled: Bool?
    public var passwordPolicy: PasswordPolicy?
    public var mappedAttributes: [String: Set<String>]?
    public var requireEmailVerification: Bool?
    /// PrivacySettings: whether a caller without manage_system sees other users' addresses and names.
    public var showEmailAddress: Bool?
    public var showFullName: Bool?
  }
}
