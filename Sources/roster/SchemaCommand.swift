import ArgumentParser
import RosterCore

struct Schema: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the JSON Schema of the manifest (draft 2020-12).",
    discussion: """
      The same document is committed as schemas/roster.schema.json. Point editors at it with a modeline:
        # yaml-language-server: $schema=../schemas/roster.schema.json

      Examples:
        roster schema > roster.schema.json
        roster schema | python3 -m json.tool
      """)

  func run() {
    print(ManifestSchema.json, terminator: "")
  }
}
