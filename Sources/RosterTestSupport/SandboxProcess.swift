import Foundation
import RosterClient

/// A real `roster-sandbox` process on a free loopback port, for tests and benchmarks.
public final class SandboxProcess: @unchecked Sendable {
  public let url: String
  public let adminToken: String
  public let process: Process
  public let transport: CurlTransport

  /// The directory holding the built products (`roster`, `roster-sandbox`) next to the test binary.
  public static var productsDirectory: URL {
    if let dir = ProcessInfo.processInfo.environment["ROSTER_PRODUCTS"] { return URL(fileURLWithPath: dir) }
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    while url.pathComponents.count > 1 {
      url.deleteLastPathComponent()
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("roster-sandbox").path) { return url }
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug")
  }

  /// Starts the sandbox and waits until it prints its URL.
  public init(_ arguments: [String] = [], adminToken: String = "rostersandboxadmintoken000") throws {
    let process = Process()
    process.executableURL = Self.productsDirectory.appendingPathComponent("roster-sandbox")
    process.arguments = ["--port", "0", "--admin-token", adminToken] + arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    var buffer = ""
    let deadline = Date().addingTimeInterval(30)
    var found: String?
    while found == nil && Date() < deadline && process.isRunning {
      let chunk = out.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      buffer += String(decoding: chunk, as: UTF8.self)
      if let line = buffer.split(separator: "\n").first(where: { $0.contains("listening on ") }) {
        found = String(line.split(separator: " ").last ?? "")
      }
    }
    guard let found else {
      process.terminate()
      throw SandboxStartError(output: buffer)
    }
    self.url = found
    self.adminToken = adminToken
    self.process = process
    self.transport = CurlTransport(baseURL: found)
  }

  public func stop() {
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
  }

  /// Stops abruptly, as a crash or `kill -9` would.
  public func kill() {
    if process.isRunning {
      Foundation.kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }

  deinit { stop() }

  /// One call with a bearer token (the admin's unless another is given) and an optional JSON body.
  public func call(
    _ method: String, _ path: String, json: String? = nil, token: String? = nil
  ) async throws -> HTTPResponse {
    var headers: [(String, String)] = []
    let bearer = token ?? adminToken
    if !bearer.isEmpty { headers.append(("Authorization", "Bearer \(bearer)")) }
    return try await transport.send(
      HTTPRequest(method: method, path: "/api/v4" + path, headers: headers, body: json.map { Data($0.utf8) }))
  }

  /// The test-only inspection API.
  public func inspect(_ method: String, _ path: String) async throws -> Any {
    let response = try await transport.send(HTTPRequest(method: method, path: "/sandbox" + path))
    return try JSONSerialization.jsonObject(with: response.body)
  }
}

public struct SandboxStartError: Error, CustomStringConvertible {
  public var output: String
  public var description: String { "roster-sandbox did not start: \(output)" }
}

extension HTTPResponse {
  /// The body as a JSON object, or empty.
  public var object: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
  public var array: [[String: Any]] { ((try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]]) ?? [] }
  /// The server's error id, for asserting on errors as clients should: by id and status.
  public var errorID: String? { object["id"] as? String }
}
