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
        diagnostics.append(Diagnostic(.error, start, "no such file or directory"))
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
        let size = (try? fm.attributesOfItem(atPath: name)[.size] as? NSNumber)?.intValue ?? 0
        if size > YAMLReader.maxBytes {
          let mib = Double(size) / 1_048_576
          diagnostics.append(
            Diagnostic(
              .error, mark,
              "file is \(String(format: "%.1f", mib)) MiB; the limit is \(YAMLReader.maxBytes / 1_048_576) MiB"))
          continue
        }
        guard let data = fm.contents(atPath: name) else {
          diagnostics.append(Diagnostic(.error, mark, "cannot read the file"))
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
