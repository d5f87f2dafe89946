import Foundation
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
    let root = URL(fileURLWithPath: directory)
    guard
      let walker = FileManager.default.enumerator(
        at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
    else { return [] }
    var found: [String] = []
    for case let url as URL in walker where ["yaml", "yml"].contains(url.pathExtension) {
      guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
      let relative =
        url.path.hasPrefix(root.path + "/") ? String(url.path.dropFirst(root.path.count + 1)) : url.lastPathComponent
      found.append((directory as NSString).appendingPathComponent(relative))
    }
    return found.sorted()
  }

  public static func read(_ paths: [String]) -> (files: [ManifestFile], diagnostics: [Diagnostic]) {
    var files: [ManifestFile] = []
    var diagnostics: [Diagnostic] = []
    let fm = FileManager.default
    for path in paths.isEmpty ? [defaultPath] : paths {
      let start = Mark(file: path, line: 1, column: 1)
      if path == "-" {
        // One manifest from standard input (yq, jsonnet, ytt pipelines), read up to the size limit.
        let data = FileHandle.standardInput.readData(ofLength: YAMLReader.maxBytes + 1)
        files.append(ManifestFile(name: "<stdin>", bytes: [UInt8](data)))
        continue
      }
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
        var link = stat()
        let dangling = lstat(path, &link) == 0
        diagnostics.append(
          Diagnostic(
            .error, start,
            dangling ? "a symbolic link that leads nowhere (a loop or a missing target)" : "no such file or directory"))
        continue
      }
      var names = [path]
      if isDirectory.boolValue {
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
        let size = Int(info.st_size)
        if size > YAMLReader.maxBytes {
          let mib = Double(size) / 1_048_576
          diagnostics.append(
            Diagnostic(
              .error, mark,
              "file is \(String(format: "%.1f", mib)) MiB; the limit is \(YAMLReader.maxBytes / 1_048_576) MiB"))
          continue
        }
        let data: Data
        do {
          guard let handle = FileHandle(forReadingAtPath: name) else { throw CocoaError(.fileReadNoPermission) }
          defer { try? handle.close() }
          data = try handle.read(upToCount: YAMLReader.maxBytes + 1) ?? Data()  // nil: an empty file
        } catch {
          diagnostics.append(Diagnostic(.error, mark, "cannot read the file"))
          continue
        }
        if data.count > YAMLReader.maxBytes {
          diagnostics.append(
            Diagnostic(.error, mark, "file grew past the \(YAMLReader.maxBytes / 1_048_576) MiB limit while read"))
          continue
        }
        files.append(ManifestFile(name: name, bytes: [UInt8](data)))
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
