#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import RosterYAML

/// A manifest file read as libyaml parses it, a piece at a time into libyaml's own buffer: the file is
/// never held whole (`YAMLChunks`).
final class FileChunks: YAMLChunks {
  private let fd: Int32

  /// nil when the file cannot be opened or is no longer a regular file. Opened without blocking, so a
  /// FIFO put in the file's place since it was listed cannot hang the open.
  init?(path: String) {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { return nil }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
      close(fd)
      return nil
    }
    self.fd = fd
  }

  deinit { close(fd) }

  func read(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
    fill(buffer) { base, count, _ in readFD(fd, base, count) }
  }

  func prefix(_ count: Int) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    let got = bytes.withUnsafeMutableBytes { buffer in
      fill(buffer) { base, count, done in pread(fd, base, count, off_t(done)) }
    }
    return Array(bytes.prefix(got ?? 0))
  }

  /// Calls `read(base, count, done)` until `buffer` is full or the file ends, through interrupted calls.
  private func fill(
    _ buffer: UnsafeMutableRawBufferPointer, _ read: (UnsafeMutableRawPointer, Int, Int) -> Int
  ) -> Int? {
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
}
