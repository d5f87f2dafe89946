import ArgumentParser
import RosterClient
import RosterCore

/// `--only` and `--replace-token`, shared by plan and apply: day-2 work on a few users without waiting
/// for the rest of the roster to be clean.
struct TargetOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Plan or apply only this user (current or previous username); repeatable. Other users' errors become warnings and gates count the targeted steps.",
      valueName: "username"))
  var only: [String] = []
  @Option(
    help: ArgumentHelp(
      "Replace this declared token now: create a new one with the same description, write its secret to the secrets file, then revoke the old one; repeatable.",
      valueName: "user/description"))
  var replaceToken: [String] = []

  func validate() throws {
    for request in replaceToken where TargetOptions.tokenKey(request) == nil {
      throw ValidationError("--replace-token takes USERNAME/DESCRIPTION, found \"\(request)\"")
    }
  }

  /// nil without `--only`: a whole plan.
  var targets: Set<String>? { only.isEmpty ? nil : Set(only.map(ServerRules.normalizeUsername)) }

  var replaceTokens: Set<TokenKey> { Set(replaceToken.compactMap(TargetOptions.tokenKey)) }

  /// The username is everything before the first slash (usernames have none); the description may hold more.
  static func tokenKey(_ text: String) -> TokenKey? {
    guard let slash = text.firstIndex(of: "/") else { return nil }
    let user = ServerRules.normalizeUsername(String(text[..<slash]))
    let description = String(text[text.index(after: slash)...])
    guard !user.isEmpty, !description.isEmpty else { return nil }
    return TokenKey(username: user, description: description)
  }

  /// Plan options from these flags and what the state (or secrets) file remembers: interrupted creates,
  /// held email changes, when each token was made, and password resets that were not sent.
  func planOptions(force: Bool, limits: OperatorLimits, memory: SecretsFile.Memory) -> PlanOptions {
    var options = PlanOptions(
      force: force, orphanedTokens: memory.openIntents, pendingEmails: memory.pendingEmails, limits: limits)
    options.only = targets
    options.replaceTokens = replaceTokens
    options.tokenCreatedAt = memory.tokenCreatedAt
    options.supersededTokens = memory.supersededTokens
    options.pendingResets = memory.pendingResets
    return options
  }
}

/// `--secrets-file`, where apply keeps new token secrets, generated passwords and what the next run must
/// remember. `--token-output`, its first name, still works: pipelines written against it keep running.
enum SecretsFileOption {
  static let names: NameSpecification = [.customLong("secrets-file"), .customLong("token-output")]
}

/// `--state`: roster's bookkeeping without secrets, in a file a CI job persists between runs (a cache,
/// an artifact); the secrets file then holds secrets only.
enum StateOption {
  static let help = ArgumentHelp(
    "Keep roster's bookkeeping (interrupted token creates, token ages, held email changes, unsent resets) in this file, mode 0600, and nothing but secrets in --secrets-file. Persist it between CI runs.",
    valueName: "file")

  /// What the state file and the secrets file remember; a file that exists but is not a private regular
  /// file of ours is an error that says so, never silently empty.
  static func memory(state: String?, secretsFile: String?, inputs: [String] = []) throws(SecretsFile.FileError)
    -> SecretsFile.Memory
  {
    try SecretsFile.memory(state: state, secrets: secretsFile, inputs: inputs)
  }
}
