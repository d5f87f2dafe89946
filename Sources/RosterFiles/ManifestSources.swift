#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import RosterCore
import RosterYAML

/// Reads the files named by `-f`: a file as is, a directory as every `*.yaml`/`*.yml` inside it, sorted.
/// It lives outside the core, which stays pure: this module is the file-system edge for manifests.
public enum ManifestSources {
  public static let defaultPath = "roster.yaml"

  /// Every `*.yaml`/`*.yml` below `directory`, subdirectories included (users kept in `teams/*.yaml` are
  /// part of the roster; skipping them would make them look unmanaged), hidden entries skipped, sorted by
  /// path. Symbolic links to directories are not followed, so a link loop cannot recurse forever.
  public static func manifestFiles(under directory: String) -> [String] {
    DirectoryWalk.files(under: directory, extensions: ["yaml", "yml"]).map { POSIXFile.join(directory, $0) }
      .sorted()
  }

  public static func read(_ paths: [String]) -> (files: [ManifestFile], diagnostics: [Diagnostic]) {
    var files: [ManifestFile] = []
    var diagnostics: [Diagnostic] = []
    for path in paths.isEmpty ? [defaultPath] : paths {
      let start = Mark(file: path, line: 1, column: 1)
      if path == "-" {
        // One manifest from standard input (yq, jsonnet, ytt pipelines), read up to the size limit.
        let bytes = POSIXFile.read(fd: POSIXFile.standardInput, upTo: YAMLReader.maxBytes + 1) ?? []
        files.append(ManifestFile(name: "<stdin>", bytes: bytes))
        continue
      }
      var target = stat()
      guard stat(path, &target) == 0 else {
        var link = stat()
        let dangling = lstat(path, &link) == 0
        diagnostics.append(
          Diagnostic(
            .error, start,
            dangling ? "a symbolic link that leads nowhere (a loop or a missing target)" : "no such file or directory"))
        continue
      }
      var names = [path]
      if target.st_mode & S_IFMT == S_IFDIR {
        names = manifestFiles(under: path)
        if names.isEmpty {
          diagnostics.append(Diagnostic(.error, start, "directory holds no *.yaml or *.yml files"))
        }
      }
      for name in names {
        let mark = Mark(file: name, line: 1, column: 1)
        // A FIFO would block the read forever and /dev/zero would never end: only regular files (links
        // to them followed) are read, and never more than the size limit.
        var info = stat()
        guard stat(name, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
          diagnostics.append(
            Diagnostic(.error, mark, "not a regular file; a manifest is a file or a directory of them"))
          continue
        }
        // Opened again when parsed, and read as libyaml reads: the size limit and the kind of file are
        // checked once more then, in case the file changed in between.
        files.append(ManifestFile(name: name, size: Int(info.st_size)) { FileChunks(path: name) })
      }
    }
    return (files, diagnostics)
  }

  /// Reads and loads in one step, which is what every command that takes `-f` wants.
  public static func load(_ paths: [String], env: [String: String], only: Set<String>? = nil) -> LoadResult {
    let (files, readProblems) = read(paths)
    var result = ManifestLoader.load(files, env: env, only: only)
    result.files = files.map(\.name)
    if !readProblems.isEmpty {
      result.diagnostics = readProblems + result.diagnostics
      result.manifest = nil
    }
    return result
  }
}
