import Foundation

/// Somewhere a new token's secret is kept before apply goes on. The applier needs only this; tests use
/// a sink that fails on purpose.
public protocol SecretSink: Sendable {
  /// Keeps one secret durably, or throws: then the token must not stay usable.
  func record(username: String, description: String, tokenID: String, secret: String) throws
}

/// Where new token secrets go: a JSON Lines file, mode 0600, each line appended and fsynced before the
/// next step runs, so a secret the server handed out is never lost and never printed by accident.
public final class TokenSink: SecretSink, @unchecked Sendable {
  private let handle: FileHandle
  private let lock = NSLock()
  private let isStandardOutput: Bool

  /// Opens (creating with 0600) or appends to `path`; `-` means standard output, only when asked for.
  public init(path: String) throws {
    if path == "-" {
      handle = FileHandle.standardOutput
      isStandardOutput = true
      return
    }
    isStandardOutput = false
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
    guard fd >= 0 else { throw SinkError(message: "cannot open \(path): \(String(cString: strerror(errno)))") }
    // An existing file keeps its contents but not looser permissions.
    fchmod(fd, 0o600)
    handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
  }

  public struct SinkError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
  }

  /// Appends one token and forces it to disk before returning.
  public func record(username: String, description: String, tokenID: String, secret: String) throws {
    var line = APIJSON.body(TokenRecord(username: username, description: description, tokenID: tokenID, token: secret))
    line.append(0x0A)
    lock.lock()
    defer { lock.unlock() }
    try handle.write(contentsOf: line)
    if !isStandardOutput { try handle.synchronize() }
  }
}

/// One line of the sink: `username`, `description`, `token_id`, `token`.
struct TokenRecord: Encodable {
  var username: String
  var description: String
  var tokenID: String
  var token: String

  enum CodingKeys: String, CodingKey {
    case username, description, token
    case tokenID = "token_id"
  }
}
