import Foundation
import RosterSandbox
import RosterYAML
import Testing

/// Every route the sandbox serves exists in the official OpenAPI description (shared/mattermost-openapi),
/// with the same method, the same path parameters, and every body field the handler reads.
@Suite struct SpecWalkTests {
  /// A byte-for-byte copy of the official description (see OpenAPI/PROVENANCE.md), so the test runs in
  /// any clone; `copyMatchesTheSharedSpec` keeps it equal to the team's shared copy when one is beside.
  static let specDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("OpenAPI")
  static let sharedDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../../shared/mattermost-openapi").standardized

  /// Routes in neither users.yaml nor bots.yaml (system.yaml and system config in the full description).
  static let outsideUsersSpec: Set<String> = ["GET /system/ping", "GET /config/client"]

  /// Body fields the server reads that users.yaml does not list, each with where the server reads it.
  static let knownSpecOmissions: Set<String> = [
    // model.UserPatch carries Password, which confirms one's own email change (app/user.go PatchUser;
    // shared/mattermost-api.md §6); users.yaml leaves it out of the patch body.
    "PUT /users/{user_id}/patch password"
  ]

  func load(_ name: String) throws -> Node {
    let bytes = [UInt8](try Data(contentsOf: Self.specDirectory.appendingPathComponent(name)))
    return try #require(try YAMLReader.parse(bytes, file: name))
  }

  func child(_ node: Node?, _ key: String) -> Node? {
    guard let node, case .mapping(let pairs) = node.kind else { return nil }
    return pairs.first { $0.keyText == key }?.value
  }

  func keys(_ node: Node?) -> [String] {
    guard let node, case .mapping(let pairs) = node.kind else { return [] }
    return pairs.compactMap(\.keyText)
  }

  @Test func copyMatchesTheSharedSpec() async throws {
    for name in ["users.yaml", "definitions.yaml"] {
      let shared = Self.sharedDirectory.appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: shared.path) else { continue }
      #expect(
        try Data(contentsOf: shared) == Data(contentsOf: Self.specDirectory.appendingPathComponent(name)),
        "\(name) drifted")
    }
  }

  @Test func everyRouteIsInTheSpec() async throws {
    let users = try load("users.yaml")
    let bots = try load("bots.yaml")
    let definitions = try load("definitions.yaml")
    // Teams, channels and config live in teams.yaml, channels.yaml and system.yaml, which are not copied
    // into OpenAPI/ yet: those routes are checked against the server code only.
    let membership = Set(SandboxRoutes.membershipTemplates)
    for route in SandboxRoutes.all
    where !Self.outsideUsersSpec.contains("\(route.method) \(route.template)") && !membership.contains(route.template) {
      let file = route.template.hasPrefix("/bots") ? "bots.yaml" : "users.yaml"
      let paths = file == "bots.yaml" ? bots : users
      let operation = child(child(paths, "/api/v4" + route.template), route.method.lowercased())
      #expect(operation != nil, "\(route.method) \(route.template) is not in \(file)")
      guard let operation else { continue }
      let specParameters: [String] = {
        guard let list = child(operation, "parameters"), case .sequence(let items) = list.kind else { return [] }
        return items.compactMap { item in
          guard case .scalar(let place, _)? = child(item, "in")?.kind, place == "path",
            case .scalar(let name, _)? = child(item, "name")?.kind
          else { return nil }
          return name
        }
      }()
      let ourParameters = route.template.split(separator: "/").filter { $0.hasPrefix("{") }
        .map { String($0.dropFirst().dropLast()) }
      #expect(Set(specParameters) == Set(ourParameters), "\(route.method) \(route.template)")
      guard !route.bodyFields.isEmpty else { continue }
      var schema = child(child(child(child(operation, "requestBody"), "content"), "application/json"), "schema")
      if case .scalar(let ref, _)? = child(schema, "$ref")?.kind, let name = ref.split(separator: "/").last {
        schema = child(child(child(definitions, "components"), "schemas"), String(name))
      }
      let fields = Set(keys(child(schema, "properties")))
      for field in route.bodyFields
      where !Self.knownSpecOmissions.contains("\(route.method) \(route.template) \(field)") {
        #expect(fields.contains(field), "\(route.method) \(route.template): body field \(field) is not in the spec")
      }
    }
  }
}
