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
    POSIXFile.fill(buffer) { base, count, _ in readFD(fd, base, count) }
  }

  /// At most the file's size, however far into it the error's place is asked for.
  func prefix(_ count: Int) -> [UInt8] {
    var info = stat()
    let size = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
    var bytes = [UInt8](repeating: 0, count: max(0, min(count, size)))
    let got = bytes.withUnsafeMutableBytes { buffer in
      POSIXFile.fill(buffer) { base, count, done in pread(fd, base, count, off_t(done)) }
    }
    bytes.removeSubrange((got ?? 0)...)
    return bytes
  }
}
