/// Apply's memory kept apart from its secrets (`--state`): intents, held email changes, unsent resets
/// and token ages go to a state file the CI recipes persist between runs, and new secrets go only to the
/// secrets file handed to the secret store. A fresh runner that restores the state finds a create an
/// earlier run began and did not finish, without ever holding a secret itself.
public final class StateAndSecrets: SecretStore, Sendable {
  let state: SecretsFile
  /// nil when the plan creates no token and generates no password.
  let secrets: SecretsFile?

  public init(state: SecretsFile, secrets: SecretsFile?) {
    self.state = state
    self.secrets = secrets
  }

  private func secretsFile() throws -> SecretsFile {
    guard let secrets else { throw SecretsFile.FileError("no --secrets-file for the new secret") }
    return secrets
  }

  public func intend(username: String, description: String, replaces: [String]) throws {
    try state.intend(username: username, description: description, replaces: replaces)
  }

  public func notePendingEmail(username: String, email: String) throws {
    try state.notePendingEmail(username: username, email: email)
  }

  public func settle(username: String, description: String) throws {
    try state.settle(username: username, description: description)
  }

  /// The secret first, then the state's note that closes the intent: a run cut off between the two
  /// leaves the intent open, and the next plan replaces a token whose secret is kept anyway. Never the
  /// other way round, which would close an intent whose secret nobody holds.
  public func record(username: String, description: String, tokenID: String, secret: String) throws {
    try secretsFile().record(username: username, description: description, tokenID: tokenID, secret: secret)
    try state.noteCreated(username: username, description: description, tokenID: tokenID)
  }

  public func recordPassword(username: String, password: String) throws {
    try secretsFile().recordPassword(username: username, password: password)
  }

  public func noteReset(username: String, sent: Bool) throws {
    try state.noteReset(username: username, sent: sent)
  }
}
