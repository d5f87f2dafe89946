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
    // Whether the read filled its storage, so that the input may go on.
    var full = false
    // One byte past the size, so that the end is seen without a second buffer.
    var bytes = [UInt8](unsafeUninitializedCapacity: max(0, min(limit, size + 1))) { buffer, count in
      let got = fill(UnsafeMutableRawBufferPointer(buffer)) { base, count, _ in readFD(fd, base, count) }
      failed = got == nil
      count = got ?? 0
      full = count == buffer.count
    }
    if failed { return nil }
    // A pipe, or a file that grew since fstat: the rest in chunks.
    var chunk = [UInt8]()
    while full && bytes.count < limit {
      if chunk.isEmpty { chunk = [UInt8](repeating: 0, count: 64 * 1024) }
      let wanted = min(chunk.count, limit - bytes.count)
      let got = chunk.withUnsafeMutableBytes { raw in
        fill(UnsafeMutableRawBufferPointer(rebasing: raw[0..<wanted])) { base, count, _ in readFD(fd, base, count) }
      }
      guard let got else { return nil }
      bytes.append(contentsOf: chunk[0..<got])
      full = got == wanted
    }
    return bytes
  }

  /// Calls `read(base, count, done)` (`done`: the bytes already in `buffer`) until `buffer` is full or
  /// the input ends, through interrupted calls. Returns the count read, or nil when a read fails.
  static func fill(_ buffer: UnsafeMutableRawBufferPointer, _ read: (UnsafeMutableRawPointer, Int, Int) -> Int) -> Int?
  {
    guard let base = buffer.baseAddress else { return 0 }
    var done = 0
    while done < buffer.count {
      let got = read(base + done, buffer.count - done, done)
      if got < 0 {
        if errno == EINTR { continue }
        return nil
      }
      if got == 0 { break }
      done += got
    }
    return done
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
