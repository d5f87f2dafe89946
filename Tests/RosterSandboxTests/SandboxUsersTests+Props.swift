import Foundation
import RosterSandbox
import RosterTestSupport
import Testing

/// model.User Props as the server keeps them (server/public/model/user.go): returned to every viewer,
/// replaced whole by a patch that carries them, kept by one that does not.
extension SandboxUsersTests {
  @Test func propsAreReplacedWholeByAPatchAndShownInLists() async throws {
    let ivy = try await create("ivy")
    let id = try #require(ivy["id"] as? String)
    #expect(ivy["props"] == nil, "omitempty: a new user's empty map is not sent")
    let set = try await sandbox.call("PUT", "/users/\(id)/patch", json: #"{"props":{"b":"2","a":"1"}}"#)
    #expect(set.status == 200 && set.object["props"] as? [String: String] == ["a": "1", "b": "2"])
    // A patch without props (or with null) keeps the map; one with props replaces it whole.
    _ = try await sandbox.call("PUT", "/users/\(id)/patch", json: #"{"nickname":"i","props":null}"#)
    let replaced = try await sandbox.call("PUT", "/users/\(id)/patch", json: #"{"props":{"c":"3"}}"#)
    #expect(replaced.object["props"] as? [String: String] == ["c": "3"])
    // Lists show props to everyone (SanitizeProfile clears notify_props, not props).
    let listed = try await sandbox.call("GET", "/users?page=0&per_page=200").array.first { $0["id"] as? String == id }
    #expect(listed?["props"] as? [String: String] == ["c": "3"])
    // StringMap: a non-string value fails the body's decode; an invalid custom status fails IsValid.
    let number = try await sandbox.call("PUT", "/users/\(id)/patch", json: #"{"props":{"n":1}}"#)
    #expect(number.status == 400 && number.errorID == "api.context.invalid_body_param.app_error")
    let status = try await sandbox.call("PUT", "/users/\(id)/patch", json: #"{"props":{"customStatus":"x"}}"#)
    #expect(status.status == 400 && status.errorID == "model.user.is_valid.invalidProperty.app_error")
    let cleared = try await sandbox.call("PUT", "/users/\(id)/patch", json: #"{"props":{}}"#)
    #expect(cleared.status == 200 && cleared.object["props"] == nil, "{} replaces the map with an empty one")
  }
}
