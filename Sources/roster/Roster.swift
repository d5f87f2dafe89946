import ArgumentParser
import RosterCore
internal import CPlatform

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
        roster apply -f roster.yaml --secrets-file secrets.jsonl
        roster export > roster.yaml
      """,
    version: rosterVersion,
    subcommands: [
      Validate.self, PlanCommand.self, ApplyCommand.self, ShowCommand.self, ExportCommand.self, AuditCommand.self,
      Schema.self,
    ])

  static func main() async {
    // glibc raises its mmap threshold after the first large free, after which the big, short-lived
    // buffers of a large roster (page bodies, growing arrays) come from the heap and stay resident.
    // A fixed threshold returns them to the system: peak RSS of a 100,000-user validate fell from
    // 232 MB to 196 MB (benchmarks/plan_scale.py).
    _ = roster_fix_mmap_threshold(128 * 1024)
    Interrupts.shared.install()
    await main(nil)
  }
}
