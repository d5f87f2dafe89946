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
    #expect(
      try SecretsFile.memory(at: path).supersededTokens.isEmpty, "nothing is replaced until the new secret is kept")
    #expect(try SecretsFile.memory(at: path).openIntents == [TokenKey(username: "bob", description: "ci")])
    try sink.record(username: "bob", description: "ci", tokenID: "new1", secret: "s")
    #expect(try SecretsFile.memory(at: path).supersededTokens == ["old1"])
    #expect(try SecretsFile.memory(at: path).openIntents.isEmpty)
    let age = try #require(try SecretsFile.memory(at: path).tokenCreatedAt["new1"])
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
    #expect(try SecretsFile.memory(at: path).supersededTokens.isEmpty)
  }
}

/// With a state file, bookkeeping and secrets part ways: each file holds only its own kind of line.
@Suite struct StateAndSecretsTests {
  @Test func bookkeepingGoesToTheStateAndSecretsOnlyToTheSecretsFile() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let statePath = dir.appendingPathComponent("state.jsonl").path
    let secretsPath = dir.appendingPathComponent("secrets.jsonl").path
    let store = StateAndSecrets(
      state: try SecretsFile(path: statePath, role: "state file"), secrets: try SecretsFile(path: secretsPath))
    try store.intend(username: "bob", description: "ci", replaces: ["old1"])
    #expect(try SecretsFile.memory(state: statePath, secrets: nil).openIntents.count == 1)
    try store.record(username: "bob", description: "ci", tokenID: "new1", secret: "s3cr3t")
    try store.recordPassword(username: "nina", password: "pw")
    try store.noteReset(username: "nina", sent: false)
    try store.notePendingEmail(username: "ann", email: "ann@new.example.com")
    let memory = try SecretsFile.memory(state: statePath, secrets: nil)
    #expect(memory.openIntents.isEmpty && memory.supersededTokens == ["old1"])
    #expect(memory.tokenCreatedAt["new1"] != nil && memory.pendingResets == ["nina"])
    #expect(memory.pendingEmails == ["ann": "ann@new.example.com"])
    let state = try String(contentsOfFile: statePath, encoding: .utf8)
    #expect(!state.contains("s3cr3t") && !state.contains("\"pw\""), "no secret in the state: \(state)")
    let secrets = try String(contentsOfFile: secretsPath, encoding: .utf8).split(separator: "\n")
    #expect(secrets.count == 2 && secrets.allSatisfy { $0.contains("s3cr3t") || $0.contains("\"pw\"") })
  }

  @Test func aStateWithoutASecretsFileRefusesToKeepASecret() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)").path
    let store = StateAndSecrets(state: try SecretsFile(path: path, role: "state file"), secrets: nil)
    #expect(throws: SecretsFile.FileError.self) {
      try store.record(username: "bob", description: "ci", tokenID: "t", secret: "s")
    }
  }
}
