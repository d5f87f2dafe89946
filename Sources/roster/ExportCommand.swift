#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import ArgumentParser
import RosterClient
import RosterCore
import RosterFiles

struct ExportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write a manifest that reproduces the live server (no secrets).",
    discussion: """
      Users sorted by username. By default only the identity fields (email, first and last name, roles, \
      active, tokens, auth_service) are written, and settings.managed_fields says so, so nicknames, \
      positions and locales stay the people's own. The most common values go into defaults:, empty fields \
      are left out, bots and remote users are listed in a comment. Passwords are never exported; \
      auth_data only when the server shows it. Exporting the same server twice gives the same bytes.

      Examples:
        roster export > roster.yaml
        roster export --fields all --out roster.yaml && roster plan -f roster.yaml --detailed-exitcode
        roster export --out-dir roster/ --schema ../schemas/roster.schema.json
      """)

  @OptionGroup var server: ServerOptions
  @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var out: String?
  @Option(
    help: ArgumentHelp(
      "Write a directory instead: roster.yaml (settings, defaults) and one users-<initial>.yaml per first character.",
      valueName: "dir"))
  var outDir: String?
  @Flag(help: "Split by the first letter of the username into the directory given with --out.")
  var splitByFirstLetter = false
  @Option(
    help: ArgumentHelp(
      "Fields to write, comma-separated: \(ExportField.allCases.map(\.rawValue).joined(separator: ", ")), or all. (default: identity fields)",
      valueName: "list"))
  var fields: String?
  @Option(
    help: ArgumentHelp("Put a yaml-language-server modeline with this schema path or URL first.", valueName: "path"))
  var schema: String?

  func validate() throws {
    if outDir != nil && out != nil { throw ValidationError("Give --out or --out-dir, not both.") }
    if splitByFirstLetter && out == nil && outDir == nil {
      throw ValidationError("--split-by-first-letter needs the directory: --out DIR (or use --out-dir DIR).")
    }
    _ = try chosenFields()
  }

  func chosenFields() throws -> [ExportField] {
    guard let fields else { return ExportField.identity }
    if fields == "all" { return ExportField.allCases }
    return try fields.split(separator: ",").map { name in
      let key = name.trimmingBlanks()
      guard let field = ExportField(rawValue: key) else {
        throw ValidationError(
          "--fields: unknown field \"\(key)\"; use \(ExportField.allCases.map(\.rawValue).joined(separator: ", ")) or all"
        )
      }
      return field
    }
  }

  func run() async throws {
    let stderr = StandardError()
    let reader = try server.reader(stderr: stderr)
    let options = reader.options
    let exportOptions = ExportOptions(fields: try chosenFields(), schemaPath: schema)
    let live: LiveState
    do {
      let tokens: ReadNeeds.Tokens = exportOptions.fields.contains(.tokens) ? .everyone : .none
      live = try await withStatus("Reading \(options.baseURL)") {
        try await reader.liveState(
          ReadNeeds(tokens: tokens, memberships: exportOptions.fields.contains(.teams) ? .all : nil, bots: true))
      }
    } catch {
      stderr.line("error: reading the server failed: \(error)")
      throw ExitCode(.error)
    }
    let users = live.users.filter(\.isManageable).count
    do {
      if let directory = outDir ?? (splitByFirstLetter ? out : nil) {
        let files = ManifestExporter.exportFiles(live, options: exportOptions)
        try Self.writeDirectory(directory, files)
        stderr.line("Wrote \(directory): \(users) users in \(files.count) files.")
      } else if let out {
        try Data(ManifestExporter.export(live, options: exportOptions).utf8).write(
          to: URL(fileURLWithPath: out), options: .atomic)
        stderr.line("Wrote \(out): \(users) users.")
      } else {
        print(ManifestExporter.export(live, options: exportOptions), terminator: "")
      }
    } catch {
      stderr.line("error: cannot write the export: \(ErrorText.describe(error))")
      throw ExitCode(.error)
    }
  }

  /// Whether `path` is a regular file (not a directory, nor a symbolic link to anything) that an
  /// export wrote: it starts with the line every export writes. Anything else under an export's name
  /// was put there by someone else, and removing it could take a whole directory with it.
  static func isOwnExport(_ path: String) -> Bool {
    guard POSIXFile.isRegularFile(path, followingLinks: false), let bytes = POSIXFile.read(path: path, upTo: 512)
    else { return false }
    let head = String(decoding: bytes, as: UTF8.self)
    return head.split(separator: "\n", maxSplits: 2).prefix(2).contains { $0 == ManifestExporter.banner }
  }

  /// Writes the files and removes the per-initial files an earlier export left that this one did not
  /// write: the directory loads as one manifest, and a stale file would declare users twice.
  static func writeDirectory(_ directory: String, _ files: [(name: String, text: String)]) throws {
    let manager = FileManager.default
    try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let written = Set(files.map(\.name))
    // Only names an export writes (users-a.yaml, users-0.yaml, users-other.yaml): a hand-written
    // users-contractors.yaml is not roster's to delete.
    func exported(_ name: String) -> Bool {
      guard name.hasPrefix("users-") && name.hasSuffix(".yaml") else { return false }
      let middle = name.dropFirst("users-".count).dropLast(".yaml".count)
      return middle == "other" || (middle.count == 1 && middle.allSatisfy { $0.isLetter || $0.isNumber })
    }
    for name in try manager.contentsOfDirectory(atPath: directory) where exported(name) && !written.contains(name) {
      let path = POSIXFile.join(directory, name)
      if Self.isOwnExport(path) { try manager.removeItem(atPath: path) }
    }
    for file in files {
      let path = POSIXFile.join(directory, file.name)
      try Data(file.text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
  }
}
