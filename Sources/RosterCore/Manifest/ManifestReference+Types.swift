import RosterYAML

/// Reads a JSON Schema node of `ManifestSchema` as a short English type ("list of string, without
/// repeats"), for the reference page. It knows the keywords the manifest's schema uses, no more: a new
/// keyword shows up as a missing phrase in the page's diff, not as a wrong one.
enum SchemaType {
  /// The definition a `$ref` points at (`#/$defs/roles`), or the node itself.
  static func resolve(_ node: Node) -> Node {
    guard let name = referenceName(node) else { return node }
    return ManifestReference.schema["$defs"]?[name] ?? node
  }

  static func referenceName(_ node: Node) -> String? {
    node.text("$ref").map { String($0.split(separator: "/").last ?? "") }
  }

  /// A value written out as YAML would show it: scalars bare, lists in brackets.
  static func literal(_ node: Node) -> String {
    switch node.kind {
    case .scalar(let text, _): return text
    case .sequence(let items): return "[" + items.map(literal).joined(separator: ", ") + "]"
    case .mapping: return "{…}"
    }
  }

  /// The type in words, with the limits the schema sets.
  static func describe(_ node: Node) -> String {
    if let name = referenceName(node) {
      let target = resolve(node)
      // Definitions with keys of their own are documented in their own section.
      if target["properties"] != nil { return "mapping (\(name.replacingEvery("_", with: " ")), keys below)" }
      return describe(target)
    }
    if let value = node["const"] { return "exactly `\(literal(value))`" }
    if case .sequence(let choices)? = node["enum"]?.kind {
      return "one of " + choices.map { "`\(literal($0))`" }.joined(separator: ", ")
    }
    if case .sequence(let alternatives)? = node["oneOf"]?.kind {
      return alternatives.map(describe).joined(separator: "; or ")
    }
    var words: String
    switch node.text("type") {
    case "array"?:
      let items = node["items"].map(describe) ?? "any"
      words = items.hasPrefix("one of ") ? "list, each " + items : "list of " + items
      if node.text("uniqueItems") == "true" { words += ", without repeats" }
      if let required = node["contains"]?["const"] { words += ", including `\(literal(required))`" }
    case "object"?:
      words = objectWords(node)
    case let type?:
      words = type
    case nil:
      words = "any"
    }
    return words + limits(node)
  }

  private static func objectWords(_ node: Node) -> String {
    if node["properties"] != nil { return "mapping (keys below)" }
    let keys = node["propertyNames"].flatMap(referenceName).map { $0.replacingEvery("_", with: " ") } ?? "key"
    let values = node["additionalProperties"].map(describe) ?? "any"
    return "mapping from \(keys) to \(values)"
  }

  /// Lengths, bounds, patterns and examples the schema states.
  private static func limits(_ node: Node) -> String {
    var parts: [String] = []
    if let low = node.text("minLength"), low != "0", low != "1" { parts.append("at least \(low) characters") }
    if let high = node.text("maxLength") { parts.append("at most \(high) characters") }
    if let low = node.text("minimum") { parts.append("at least \(low)") }
    if let high = node.text("maximum") { parts.append("at most \(high)") }
    if let pattern = node.text("pattern") { parts.append("matching `\(pattern)`") }
    if case .sequence(let examples)? = node["examples"]?.kind {
      parts.append("e.g. " + examples.map { "`\(literal($0))`" }.joined(separator: ", "))
    }
    return parts.isEmpty ? "" : " (" + parts.joined(separator: "; ") + ")"
  }
}
