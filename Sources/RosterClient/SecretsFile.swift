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

  /// - Parameters:
  ///   - path: the secrets file; `-` means standard output, only when asked for.
  ///   - inputs: files apply reads; the secrets file may not be one of them.
  public init(path: String, inputs: [String] = []) throws(FileError) {
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
      throw FileError("refusing the secrets file \(path): \(reason)")
    }
    fd = opened
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      close(fd)
      throw FileError("refusing the secrets file \(path): cannot inspect it")
    }
    if let problem = Self.problem(with: info, fd: fd, inputs: inputs) {
      close(fd)
      throw FileError("refusing the secrets file \(path): \(problem)")
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

  /// What the secrets file at `path` remembers for the next plan, read once: a plan reads all of it.
  public struct Memory: Sendable {
    /// Token creates begun without their secret recorded (an interrupted apply).
    public var openIntents: Set<TokenKey> = []
    /// Email changes the server holds for verification, by username (the last 24 hours).
    public var pendingEmails: [String: String] = [:]
    /// When roster created each token, by id (milliseconds since 1970).
    public var tokenCreatedAt: [String: Int64] = [:]
    /// Tokens a rotation replaced whose revoke may not have run.
    public var supersededTokens: Set<String> = []
    /// Users whose password reset the server did not send, by username.
    public var pendingResets: Set<String> = []

    public init() {}

    init(
      openIntents: Set<TokenKey>, pendingEmails: [String: String], tokenCreatedAt: [String: Int64],
      supersededTokens: Set<String>
    ) {
      self.openIntents = openIntents
      self.pendingEmails = pendingEmails
      self.tokenCreatedAt = tokenCreatedAt
      self.supersededTokens = supersededTokens
    }
  }

  /// Empty when the file does not exist or is not one apply would write secrets to.
  public static func memory(at path: String, now: Date = Date()) -> Memory {
    guard let data = trustedContents(path) else { return Memory() }
    var memory = Memory(
      openIntents: openIntents(in: data), pendingEmails: pendingEmails(in: data, now: now),
      tokenCreatedAt: tokenCreationTimes(in: data), supersededTokens: supersededTokens(in: data))
    memory.pendingResets = pendingResets(in: data)
    return memory
  }

  /// Tokens a rotation replaced whose revoke may not have run: the ids an intent said it replaces,
  /// once the new token's record followed it. Two live tokens with one description, one of them in
  /// here, are an interrupted rotation; the other one is the one whose secret the secrets file holds.
  static func supersededTokens(in data: Data) -> Set<String> {
    var pending: [TokenKey: [String]] = [:]
    var superseded = Set<String>()
    for line in data.split(separator: 0x0A) {
      guard let entry = try? APIJSON.decode(IntentLine.self, from: Data(line)) else { continue }
      let key = TokenKey(username: entry.username, description: entry.description)
      if entry.intent == "create_token" {
        pending[key] = entry.replaces ?? []
      } else if entry.token != nil, let replaced = pending.removeValue(forKey: key) {
        superseded.formUnion(replaced)
      } else {
        pending[key] = nil
      }
    }
    return superseded
  }

  public func notePendingEmail(username: String, email: String) throws {
    let at = Timestamp.iso8601(Date())
    try append(APIJSON.body(PendingEmailRecord(pendingEmail: email, username: username, requestedAt: at)))
  }

  /// Email changes noted in the secrets file within the last 24 hours (the server's verify-email token
  /// lifetime, PasswordRecoverExpiryTime), by username; the newest per user.
  static func pendingEmails(in data: Data, now: Date) -> [String: String] {
    var pending: [String: String] = [:]
    for line in data.split(separator: 0x0A) {
      guard let entry = try? APIJSON.decode(PendingEmailLine.self, from: Data(line)),
        let at = Timestamp.parseISO8601(entry.requested_at), (0..<86_400).contains(now.timeIntervalSince(at))
      else { continue }
      pending[entry.username] = entry.pending_email
    }
    return pending
  }

  /// The file's bytes, only when it is one apply would write secrets to: a regular file of ours, one
  /// name, mode 600, not a link. Anything else is not believed (it could suppress orphan replacement or
  /// email changes), and the write that follows refuses it.
  static func trustedContents(_ path: String) -> Data? {
    guard path != "-" else { return nil }
    var info = stat()
    guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid(), info.st_nlink == 1,
      info.st_mode & 0o7777 == 0o600
    else { return nil }
    return FileManager.default.contents(atPath: path)
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

  public func recordPassword(username: String, password: String) throws {
    let at = Timestamp.iso8601(Date())
    try append(APIJSON.body(PasswordRecord(username: username, initialPassword: password, createdAt: at)))
  }

  /// When roster created each token in the secrets file, by token id (milliseconds since 1970): the
  /// server keeps no creation time for tokens, so this is the age `rotate_after_days` counts.
  static func tokenCreationTimes(in data: Data) -> [String: Int64] {
    var times: [String: Int64] = [:]
    for line in data.split(separator: 0x0A) {
      guard let entry = try? APIJSON.decode(CreatedTokenLine.self, from: Data(line)),
        let at = entry.created_at.flatMap(Timestamp.parseISO8601)
      else { continue }
      times[entry.token_id] = Int64(at.timeIntervalSince1970 * 1000)
    }
    return times
  }

  /// The intents in the secrets file that no token record followed: tokens the server may have
  /// created whose secrets never arrived.
  static func openIntents(in data: Data) -> Set<TokenKey> {
    var open = Set<TokenKey>()
    for line in data.split(separator: 0x0A) {
      guard let entry = try? APIJSON.decode(IntentLine.self, from: Data(line)) else { continue }
      let key = TokenKey(username: entry.username, description: entry.description)
      if entry.intent == "create_token" { open.insert(key) } else { open.remove(key) }
    }
    return open
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
      throw FileError("writing the secrets file failed: \(reason)")
    }
    if !isStandardOutput && fsync(fd) != 0 {
      throw FileError("flushing the secrets file failed: \(String(cString: strerror(errno)))")
    }
  }
}
