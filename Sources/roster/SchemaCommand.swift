import ArgumentParser
import RosterCore

struct Schema: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the JSON Schema of the manifest (draft 2020-12).",
    discussion: """
      The same document is committed as schemas/roster.schema.json. Point editors at it with a modeline:
        # yaml-language-server: $schema=../schemas/roster.schema.json

      --markdown prints the manifest reference instead (every key: type, default, description, example),
      generated from the same schema; it is committed as docs/manifest.md.

      Examples:
        roster schema > roster.schema.json
        roster schema | python3 -m json.tool
        roster schema --markdown > docs/manifest.md
      """)

  @Flag(help: "Print the manifest reference as Markdown instead of the JSON Schema.")
  var markdown = false

  func run() {
    print(markdown ? ManifestReference.markdown : ManifestSchema.json, terminator: "")
  }
}
