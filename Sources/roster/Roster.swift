import ArgumentParser
import RosterCore

/// The version printed by `--version` and sent as the User-Agent.
let rosterVersion = "0.1.0"

@main
struct Roster: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "roster",
    abstract: "Mattermost user accounts as code.",
    discussion: """
      Keep the users of a Mattermost server in YAML: who exists, their profile fields, system roles, \
      active state and personal access tokens. `roster plan` shows the changes that would make the \
      server match; `roster apply` makes exactly those changes.

      Examples:
        roster validate -f roster.yaml
        MM_URL=https://chat.example.com MM_TOKEN=... roster plan -f roster.yaml
        roster apply -f roster.yaml --token-output tokens.jsonl
        roster export > roster.yaml
      """,
    version: rosterVersion,
    subcommands: [Validate.self, PlanCommand.self, ApplyCommand.self, ExportCommand.self, Schema.self])
}

/// The `-f` option every manifest-reading command shares.
struct ManifestOptions: ParsableArguments {
  @Option(
    name: [.customShort("f"), .customLong("file")],
    help: ArgumentHelp(
      "A manifest file or a directory of *.yaml/*.yml files; repeatable. (default: roster.yaml)",
      valueName: "path"))
  var paths: [String] = []
}
