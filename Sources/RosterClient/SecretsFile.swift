#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where apply keeps what only it ever sees and what the next run must remember: new token secrets and
/// generated passwords, and the bookkeeping around them (token create intents, held email changes, unsent
/// password resets). The applier needs only this; tests use an in-memory store that fails on purpose.
public protocol SecretStore: Sendable {
  /// Notes, durably and before the call, that a token is about to be created (no secret). If roster dies
  /// between the server's answer and `record`, the next apply finds this open intent and replaces the
  /// token whose secret nobody holds.
  /// `replaces`: ids of live tokens with this description that the plan revokes once this one exists.
  func intend(username: String, description: String, replaces: [String]) throws
  /// Notes an email change the server holds until the user verifies it (RequireEmailVerification), so
  /// the next apply does not ask, and mail, again while the link is valid.
  func notePendingEmail(username: String, email: String) throws
  /// Closes an intent whose create the server certainly refused (an answer, not a lost one).
  func settle(username: String, description: String) throws
  /// Keeps one secret durably, or throws: then the token must not stay usable. Closes the intent.
  func record(username: String, description: String, tokenID: String, secret: String) throws
  /// Keeps a generated initial password durably, before the create that uses it.
  func recordPassword(username: String, password: String) throws
  /// Notes whether the server sent a password reset (`sent: false`: it did not, and the next plan
  /// asks again), so a reset lost to a mail outage is not forgotten once its create succeeded.
  func noteReset(username: String, sent: Bool) throws
}

extension SecretStore {
  public func noteReset(username: String, sent: Bool) throws {}
}

/// The secret store apply writes (`--secrets-file`, formerly `--token-output`): a JSON Lines file, mode 0600, each line appended with one `write` and
/// fsynced before the next step runs, so a secret the server handed out is never lost and never printed
/// by accident.
///
/// Opening is strict, since roster runs next to untrusted pull requests on shared CI machines: a new file
/// is created exclusively with 0600; an existing one is used only when it is a regular file of ours with
/// mode 0600, never through a symbolic link, and never when it is one of the files apply reads (a
/// manifest, a saved plan). Anything else is refused before any write.
public final class SecretsFile: SecretStore, Sendable {
  private let fd: Int32
  /// One append at a time: a record is one write, then an fsync, and a failed write is cut back.
  private let lock = Mutex(())
  private let isStandardOutput: Bool
  /// What the file is called in messages: "secrets file", or "state file" for the bookkeeping alone.
  let role: String

  /// - Parameters:
  ///   - path: the secrets file; `-` means standard output, only when asked for.
  ///   - inputs: files apply reads; the secrets file may not be one of them.
  ///   - role: the file's name in messages; a state file is opened by the same strict rules.
  public init(path: String, inputs: [String] = [], role: String = "secrets file") throws(FileError) {
    self.role = role
    if path == "-" {
      fd = STDOUT_FILENO
      isStandardOutput = true
      return
    }
    isStandardOutput = false
    let flags = O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK
    var opened = open(path, flags | O_CREAT | O_EXCL, 0o600)
    if opened < 0 && errno == EEXIST { opened = open(path, flags) }
    guard opened >= 0 else {
      let reason = errno == ELOOP ? "it is a symbolic link" : String(cString: strerror(errno))
      throw FileError("refusing the \(role) \(path): \(reason)")
    }
    fd = opened
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      close(fd)
      throw FileError("refusing the \(role) \(path): cannot inspect it")
    }
    if let problem = Self.problem(with: info, fd: fd, inputs: inputs) {
      close(fd)
      throw FileError("refusing the \(role) \(path): \(problem)")
    }
  }

  /// Why an opened secrets file may not be used, or nil.
  private static func problem(with info: stat, fd: Int32, inputs: [String]) -> String? {
    for input in inputs {
      var other = stat()
      if stat(input, &other) == 0 && other.st_dev == info.st_dev && other.st_ino == info.st_ino {
        return "it is \(input), a file apply reads"
      }
    }
    if info.st_mode & S_IFMT != S_IFREG { return "it is not a regular file" }
    if info.st_uid != geteuid() { return "it belongs to another user (uid \(info.st_uid))" }
    // A second name for the file could be any file of ours (~/.ssh/authorized_keys): secrets only go to
    // a file with one name.
    if info.st_nlink > 1 { return "it has \(info.st_nlink) hard links" }
    guard info.st_mode & 0o7777 != 0o600 else { return nil }
    // A file just created with 0600 can come out narrower under an unusual umask; fix ours.
    if info.st_size == 0 && info.st_mode & 0o077 == 0 && fchmod(fd, 0o600) == 0 { return nil }
    return "its mode is \(String(info.st_mode & 0o7777, radix: 8)), not 600 (chmod 600 it, or name a new file)"
  }

  deinit { if !isStandardOutput { close(fd) } }

  public struct FileError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
  }

  public func intend(username: String, description: String, replaces: [String] = []) throws {
    let started = Timestamp.iso8601(Date())
    try append(
      APIJSON.body(
        IntentRecord(
          intent: "create_token", username: username, description: description, startedAt: started,
          replaces: replaces.isEmpty ? nil : replaces)))
  }

  public func notePendingEmail(username: String, email: String) throws {
    let at = Timestamp.iso8601(Date())
    try append(APIJSON.body(PendingEmailRecord(pendingEmail: email, username: username, requestedAt: at)))
  }

  public func settle(username: String, description: String) throws {
    let at = Timestamp.iso8601(Date())
    try append(
      APIJSON.body(
        IntentRecord(intent: "refused", username: username, description: description, startedAt: at, replaces: nil)))
  }

  /// Appends one token with a single write and forces it to disk before returning. A short write is
  /// cut back to the last complete line, so the file never holds half a record.
  public func record(username: String, description: String, tokenID: String, secret: String) throws {
    let at = Timestamp.iso8601(Date())
    try append(
      APIJSON.body(
        TokenRecord(username: username, description: description, tokenID: tokenID, token: secret, createdAt: at)))
  }

  /// The state file's note that a token exists, its secret kept elsewhere: closes the intent and
  /// dates the token for `rotate_after_days`, without the secret.
  public func noteCreated(username: String, description: String, tokenID: String) throws {
    let at = Timestamp.iso8601(Date())
    try append(
      APIJSON.body(CreatedTokenRecord(username: username, description: description, tokenID: tokenID, createdAt: at)))
  }

  public func recordPassword(username: String, password: String) throws {
    let at = Timestamp.iso8601(Date())
    try append(APIJSON.body(PasswordRecord(username: username, initialPassword: password, createdAt: at)))
  }

  func append(_ record: Data) throws(FileError) {
    var line = record
    line.append(0x0A)
    try lock.withLock { _ throws(FileError) in try appendLocked(line) }
  }

  private func appendLocked(_ line: Data) throws(FileError) {
    var info = stat()
    let before = isStandardOutput || fstat(fd, &info) != 0 ? -1 : info.st_size
    let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == line.count else {
      let reason = written < 0 ? String(cString: strerror(errno)) : "short write (\(written) of \(line.count) bytes)"
      if before >= 0 { _ = ftruncate(fd, before) }
      throw FileError("writing the \(role) failed: \(reason)")
    }
    if !isStandardOutput && fsync(fd) != 0 {
      throw FileError("flushing the \(role) failed: \(String(cString: strerror(errno)))")
    }
  }
}
