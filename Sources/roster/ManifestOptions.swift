#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import ArgumentParser
import RosterCore
import RosterFiles

/// The `-f` option every manifest-reading command shares.
struct ManifestOptions: ParsableArguments {
  @Option(
    name: [.customShort("f"), .customLong("file")],
    help: ArgumentHelp(
      "A manifest file, a directory (every *.yaml/*.yml below it), or - for standard input; repeatable. (default: roster.yaml)",
      valueName: "path"))
  var paths: [String] = []
}

/// Loads the manifest for a command, printing diagnostics; nil (after printing) when it has errors.
func loadManifest(
  _ paths: [String], stderr: StandardError, verbose: Bool = false, github: Bool = false, only: Set<String>? = nil
) -> Manifest? {
  loadManifestFiles(paths, stderr: stderr, verbose: verbose, github: github, only: only).manifest
}

/// The manifest and the files it came from (apply keeps its secrets file off them).
func loadManifestFiles(
  _ paths: [String], stderr: StandardError, verbose: Bool = false, github: Bool = false, only: Set<String>? = nil
) -> (manifest: Manifest?, files: [String]) {
  let result = ManifestSources.load(paths, env: ProcessInfo.processInfo.environment, only: only)
  if verbose { for file in result.files { stderr.line("roster: read \(file)") } }
  for diagnostic in result.diagnostics {
    if github { print(GitHubAnnotation.line(diagnostic)) } else { stderr.line("\(diagnostic)") }
  }
  return (result.manifest, result.files)
}
