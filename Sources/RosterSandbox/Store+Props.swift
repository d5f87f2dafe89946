import Foundation

/// model.User Props as the server reads them (server/public/model/user.go: `Props StringMap
/// json:"props,omitempty"` on User and UserPatch; User.Patch assigns a non-nil map whole).
extension SandboxStore {
  /// The body's `props`: nil when absent or null (Go leaves the map nil, so a patch keeps the old one).
  /// A value that is not a string fails the whole body's decode (api4/user.go createUser and patchUser:
  /// 400 invalid `user`); a null value decodes to "" (encoding/json keeps the zero value).
  func propsField(_ pairs: [(String, JSONValue)]) throws(APIError) -> [String: String]? {
    guard let value = pairs.last(where: { $0.0 == "props" })?.1 else { return nil }
    switch value {
    case .null: return nil
    case .object(let items):
      var props: [String: String] = [:]
      for (key, item) in items {
        switch item {
        case .string(let text): props[key] = text
        case .null: props[key] = ""
        default: throw APIError.invalidBody("user")
        }
      }
      return props
    default: throw APIError.invalidBody("user")
    }
  }
}

extension SandboxRules {
  /// model/user.go IsValid checks props only through ValidateCustomStatus: a non-empty `customStatus`
  /// must unmarshal into a CustomStatus (a JSON object). It sets no size or key limit on the map.
  static func invalidProps(_ props: [String: String]) -> String? {
    guard let status = props["customStatus"], !status.isEmpty else { return nil }
    if case .object? = JSONValue.parse(Data(status.utf8)) { return nil }
    return "invalidProperty"
  }
}
