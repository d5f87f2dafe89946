import RosterCore

extension ApplySession {
  /// Where the applier writes: with a state file, bookkeeping there and secrets in the secrets file;
  /// without one, both in the secrets file (as before `--state`). Either file is refused, before any
  /// write, when it is not a private regular file of ours.
  func openSink(_ prepared: PreparedApply, createsTokens: Bool) throws -> (any SecretStore)? {
    let plan = prepared.plan
    if let statePath {
      let state = try SecretsFile(path: statePath, inputs: inputs, role: "state file")
      let secrets = try tokenOutput.flatMap { path in
        createsTokens ? try SecretsFile(path: path, inputs: inputs + [statePath]) : nil
      }
      return StateAndSecrets(state: state, secrets: secrets)
    }
    // The secrets file also remembers held email changes, and resets the server did not send, when
    // there is one to write to.
    let holdsEmails = prepared.holdsEmailChanges && plan.steps.contains { $0.changes.contains { $0.field == "email" } }
    let sendsResets = plan.steps.contains { $0.kind == .sendPasswordReset }
    guard let tokenOutput, createsTokens || holdsEmails || sendsResets else { return nil }
    return try SecretsFile(path: tokenOutput, inputs: inputs)
  }
}
