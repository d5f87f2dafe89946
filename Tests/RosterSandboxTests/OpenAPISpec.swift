import Foundation
import RosterYAML
import Testing

/// The copies of the official OpenAPI source files in OpenAPI/ (see PROVENANCE.md there), read as
/// upstream splits them: each file holds only `paths`, and its `$ref: "#/components/..."` targets live
/// in definitions.yaml.
struct OpenAPISpec {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("OpenAPI")
  /// The files that hold paths, each an excerpt or a copy of the upstream file of that name.
  static let pathFiles = ["users.yaml", "bots.yaml", "teams.yaml", "channels.yaml", "system.yaml", "roles.yaml"]

  let paths: [String: Node]
  let definitions: Node

  init() throws {
    var paths: [String: Node] = [:]
    for name in Self.pathFiles { paths[name] = try Self.load(name) }
    self.paths = paths
    definitions = try Self.load("definitions.yaml")
  }

  static func load(_ name: String) throws -> Node {
    let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    return try #require(try YAMLReader.parse(bytes, file: name))
  }

  /// The upstream file that documents a route, by its path prefix: a channel list or membership under a
  /// team or a user is in channels.yaml, team memberships of a user in teams.yaml, ping and config in
  /// system.yaml (the server's api4/channel.go, team.go and system.go/config.go split the same way).
  static func file(for template: String) -> String {
    if template.hasPrefix("/bots") { return "bots.yaml" }
    if template.hasPrefix("/roles") { return "roles.yaml" }
    if template.hasPrefix("/system") || template.hasPrefix("/config") { return "system.yaml" }
    if template.hasPrefix("/channels") || template.contains("/channels/") || template.hasSuffix("/channels") {
      return "channels.yaml"
    }
    if template.hasPrefix("/teams") || template.hasPrefix("/users/{user_id}/teams") { return "teams.yaml" }
    return "users.yaml"
  }

  func operation(_ method: String, _ template: String) -> Node? {
    Self.child(Self.child(paths[Self.file(for: template)], "/api/v4" + template), method.lowercased())
  }

  /// A `#/components/<section>/<Name>` reference resolved in definitions.yaml.
  func resolve(_ ref: String) -> Node? {
    let parts = ref.split(separator: "/").map(String.init)
    guard parts.count == 4, parts[0] == "#", parts[1] == "components" else { return nil }
    return Self.child(Self.child(Self.child(definitions, "components"), parts[2]), parts[3])
  }

  /// The request body's JSON schema, with a top-level `$ref` followed.
  func bodySchema(_ operation: Node) -> Node? {
    let schema = Self.child(
      Self.child(Self.child(Self.child(operation, "requestBody"), "content"), "application/json"), "schema")
    if case .scalar(let ref, _)? = Self.child(schema, "$ref")?.kind { return resolve(ref) }
    return schema
  }

  /// The `in: path` parameter names an operation declares.
  static func pathParameters(_ operation: Node) -> [String] {
    guard let list = child(operation, "parameters"), case .sequence(let items) = list.kind else { return [] }
    return items.compactMap { item in
      guard case .scalar(let place, _)? = child(item, "in")?.kind, place == "path",
        case .scalar(let name, _)? = child(item, "name")?.kind
      else { return nil }
      return name
    }
  }

  /// The documented 2xx status codes of an operation.
  static func successStatuses(_ operation: Node) -> Set<Int> {
    Set(keys(child(operation, "responses")).compactMap(Int.init).filter { (200..<300).contains($0) })
  }

  /// Every `$ref` value anywhere below a node.
  static func refs(_ node: Node) -> [String] {
    switch node.kind {
    case .scalar: return []
    case .sequence(let items): return items.flatMap(refs)
    case .mapping(let pairs):
      return pairs.flatMap { pair -> [String] in
        if pair.keyText == "$ref", case .scalar(let ref, _) = pair.value.kind { return [ref] }
        return refs(pair.value)
      }
    }
  }

  static func child(_ node: Node?, _ key: String) -> Node? {
    guard let node, case .mapping(let pairs) = node.kind else { return nil }
    return pairs.first { $0.keyText == key }?.value
  }

  static func keys(_ node: Node?) -> [String] {
    guard let node, case .mapping(let pairs) = node.kind else { return [] }
    return pairs.compactMap(\.keyText)
  }
}
