import Foundation
import RosterClient
import RosterCore
import Testing

/// What the secrets file remembers between runs: open intents, the tokens a rotation replaced, token ages.
@Suite struct SecretsFileTests {
  func freshPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("sink-\(UUID().uuidString).jsonl").path
  }

  @Test func aRotationThatStoppedBeforeItsRevokeNamesTheReplacedToken() throws {
    let path = freshPath()
    let sink = try SecretsFile(path: path)
    try sink.intend(username: "bob", description: "ci", replaces: ["old1"])
    #expect(SecretsFile.memory(at: path).supersededTokens.isEmpty, "nothing is replaced until the new secret is kept")
    #expect(SecretsFile.memory(at: path).openIntents == [TokenKey(username: "bob", description: "ci")])
    try sink.record(username: "bob", description: "ci", tokenID: "new1", secret: "s")
    #expect(SecretsFile.memory(at: path).supersededTokens == ["old1"])
    #expect(SecretsFile.memory(at: path).openIntents.isEmpty)
    let age = try #require(SecretsFile.memory(at: path).tokenCreatedAt["new1"])
    #expect(abs(Double(age) / 1000 - Date().timeIntervalSince1970) < 60)
    try sink.recordPassword(username: "nina", password: "pw")
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 3 && lines[2].contains("\"initial_password\":\"pw\""))
  }

  @Test func aRefusedCreateReplacesNothing() throws {
    let path = freshPath()
    let sink = try SecretsFile(path: path)
    try sink.intend(username: "bob", description: "ci", replaces: ["old1"])
    try sink.settle(username: "bob", description: "ci")
    #expect(SecretsFile.memory(at: path).supersededTokens.isEmpty)
  }
}
