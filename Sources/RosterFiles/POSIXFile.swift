#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reading and writing file descriptors with the C library. Foundation's `FileHandle` would do the same
/// but is not in FoundationEssentials, and plain Foundation brings ICU into the binary.
public enum POSIXFile {
  public static let standardInput: Int32 = 0
  public static let standardOutput: Int32 = 1
  public static let standardError: Int32 = 2

  /// Up to `limit` bytes from `fd`, read until end of file or the limit; nil when a read fails.
  /// A regular file is read straight into storage of its size: growing an array chunk by chunk copied a
  /// large manifest about twice over and touched twice its pages.
  public static func read(fd: Int32, upTo limit: Int) -> [UInt8]? {
    var status = stat()
    let size = fstat(fd, &status) == 0 && status.st_mode & S_IFMT == S_IFREG ? Int(status.st_size) : 0
    var failed = false
    var atEnd = false
    // One byte past the size, so that the end is seen without a second buffer.
    var bytes = [UInt8](unsafeUninitializedCapacity: max(0, min(limit, size + 1))) { buffer, count in
      count = 0
      while count < buffer.count, let base = buffer.baseAddress {
        let got = readFD(fd, base + count, buffer.count - count)
        if got < 0 {
          if errno == EINTR { continue }
          failed = true
          return
        }
        if got == 0 {
          atEnd = true
          return
        }
        count += got
      }
    }
    if failed { return nil }
    // A pipe, or a file that grew since fstat: the rest in chunks.
    var chunk = [UInt8]()
    while !atEnd && bytes.count < limit {
      if chunk.isEmpty { chunk = [UInt8](repeating: 0, count: 64 * 1024) }
      let wanted = min(chunk.count, limit - bytes.count)
      let got = chunk.withUnsafeMutableBytes { raw in readFD(fd, raw.baseAddress, wanted) }
      if got < 0 {
        if errno == EINTR { continue }
        return nil
      }
      if got == 0 { break }
      bytes.append(contentsOf: chunk[0..<got])
    }
    return bytes
  }

  /// Up to `limit` bytes of the file at `path`; nil when it cannot be opened or read.
  public static func read(path: String, upTo limit: Int) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    return read(fd: fd, upTo: limit)
  }

  /// All of `bytes` to `fd`, through short writes and interrupted calls. Other failures are dropped, as
  /// a closed standard error leaves nothing to tell them to.
  public static func write(fd: Int32, _ bytes: some Collection<UInt8>) {
    let all = Array(bytes)
    var offset = 0
    while offset < all.count {
      let done = all.withUnsafeBytes { raw in writeFD(fd, raw.baseAddress.map { $0 + offset }, all.count - offset) }
      if done < 0 {
        if errno == EINTR { continue }
        return
      }
      offset += done
    }
  }

  /// `text` as UTF-8 to `fd`.
  public static func write(fd: Int32, _ text: String) { write(fd: fd, Array(text.utf8)) }

  /// Whether `path` names a regular file; with `followingLinks: false`, a symbolic link to one is not.
  public static func isRegularFile(_ path: String, followingLinks: Bool) -> Bool {
    var info = stat()
    let found = followingLinks ? stat(path, &info) : lstat(path, &info)
    return found == 0 && info.st_mode & S_IFMT == S_IFREG
  }

  /// Whether `fd` is a terminal.
  public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  /// `name` under `directory`, joined as `NSString.appendingPathComponent` joins them: one slash between,
  /// none added after a directory that already ends in one, and nothing else normalised.
  public static func join(_ directory: String, _ name: String) -> String {
    if directory.isEmpty { return name }
    return directory.hasSuffix("/") ? directory + name : directory + "/" + name
  }
}

// The C calls under names that the static methods above (and `FileChunks`) do not shadow.
func readFD(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
private func writeFD(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }
