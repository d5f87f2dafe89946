import Foundation

/// A small JSON Schema checker for the keywords roster's schemas use (type, properties, required,
/// additionalProperties, items, enum, const, minimum, $ref into $defs). Returns the problems found.
public struct SchemaCheck {
  let root: [String: Any]

  public init(schema: Data) throws {
    root = (try JSONSerialization.jsonObject(with: schema) as? [String: Any]) ?? [:]
  }

  public func problems(in document: Data) throws -> [String] {
    var out: [String] = []
    check(try JSONSerialization.jsonObject(with: document, options: [.fragmentsAllowed]), root, "$", &out)
    return out
  }

  private func resolve(_ schema: [String: Any]) -> [String: Any] {
    guard let ref = schema["$ref"] as? String, ref.hasPrefix("#/$defs/") else { return schema }
    let name = String(ref.dropFirst("#/$defs/".count))
    return ((root["$defs"] as? [String: Any])?[name] as? [String: Any]) ?? [:]
  }

  private func typeName(_ value: Any) -> String {
    switch value {
    case is NSNull: return "null"
    case is String: return "string"
    case let n as NSNumber:
      // Roster's documents hold no booleans where numbers are expected; whole numbers are integers.
      return n.doubleValue == n.doubleValue.rounded() ? "integer" : "number"
    case is [Any]: return "array"
    case is [String: Any]: return "object"
    default: return "unknown"
    }
  }

  private func check(_ value: Any, _ rawSchema: [String: Any], _ path: String, _ out: inout [String]) {
    let schema = resolve(rawSchema)
    if let expected = schema["type"] as? String {
      let actual = typeName(value)
      let ok =
        actual == expected || (expected == "number" && actual == "integer")
        || (expected == "boolean" && actual == "integer")
      if !ok { out.append("\(path): expected \(expected), found \(actual)") }
    }
    if let choices = schema["enum"] as? [Any], !choices.contains(where: { "\($0)" == "\(value)" }) {
      out.append("\(path): \(value) is not one of \(choices)")
    }
    if let constant = schema["const"], "\(constant)" != "\(value)" { out.append("\(path): must be \(constant)") }
    if let minimum = schema["minimum"] as? Double, let n = value as? Double, n < minimum {
      out.append("\(path): \(n) is below \(minimum)")
    }
    if let object = value as? [String: Any] {
      let properties = schema["properties"] as? [String: Any] ?? [:]
      for key in schema["required"] as? [String] ?? [] where object[key] == nil {
        out.append("\(path): missing \(key)")
      }
      for (key, item) in object {
        if let sub = properties[key] as? [String: Any] {
          check(item, sub, "\(path).\(key)", &out)
        } else if schema["additionalProperties"] as? Bool == false {
          out.append("\(path): unexpected property \(key)")
        }
      }
    }
    if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
      for (i, item) in array.enumerated() { check(item, items, "\(path)[\(i)]", &out) }
    }
  }
}
