#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The files below a directory, found as `FileManager.enumerator(at:…, options: .skipsHiddenFiles)` with
/// an `isRegularFile` check found them, without Foundation: hidden names (a leading dot) are skipped
/// with all below them, symbolic links are neither followed nor listed (a link loop cannot recurse, and
/// a link to a file is not a regular file), unreadable directories are passed over, and a root that is
/// itself a symbolic link yields nothing.
enum DirectoryWalk {
  /// Paths relative to `root` of the regular files whose extension is one of `extensions`, in no order.
  static func files(under root: String, extensions: Set<String>) -> [String] {
    var trimmed = root
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
    var info = stat()
    guard lstat(trimmed, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return [] }
    var found: [String] = []
    walk(root, relative: "", extensions: extensions, into: &found)
    return found
  }

  private static func walk(_ directory: String, relative: String, extensions: Set<String>, into found: inout [String]) {
    for name in entries(of: directory) where !name.hasPrefix(".") {
      let path = POSIXFile.join(directory, name)
      let child = relative.isEmpty ? name : relative + "/" + name
      var info = stat()
      guard lstat(path, &info) == 0 else { continue }
      switch info.st_mode & S_IFMT {
      case S_IFDIR: walk(path, relative: child, extensions: extensions, into: &found)
      case S_IFREG: if let ext = pathExtension(name), extensions.contains(ext) { found.append(child) }
      default: continue
      }
    }
  }

  /// The names in `directory` but `.` and `..`; none when it cannot be opened.
  private static func entries(of directory: String) -> [String] {
    guard let stream = opendir(directory) else { return [] }
    defer { closedir(stream) }
    var names: [String] = []
    while let entry = readdir(stream) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// What follows the last dot of a name that does not start with one, as `URL.pathExtension`.
  static func pathExtension(_ name: String) -> String? {
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
    let ext = name[name.index(after: dot)...]
    return ext.isEmpty ? nil : String(ext)
  }
}
