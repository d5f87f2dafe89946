import Foundation
import RosterClient

/// A sandbox reachable over HTTP: a `roster-sandbox` process here, or one running inside a test process.
public protocol SandboxEndpoint: Sendable {
  var url: String { get }
  var adminToken: String { get }
  var transport: CurlTransport { get }
}

extension SandboxEndpoint {
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
  public func inspect(_ method: String, _ path: String, json: String? = nil) async throws -> Any {
    let response = try await transport.send(
      HTTPRequest(method: method, path: "/sandbox" + path, headers: [], body: json.map { Data($0.utf8) }))
    return try JSONSerialization.jsonObject(with: response.body)
  }
}

/// A real `roster-sandbox` process on a free loopback port, for tests and benchmarks.
public final class SandboxProcess: SandboxEndpoint, @unchecked Sendable {
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

  /// Starts the sandbox and waits until it prints its URL. The wait happens on a Dispatch thread, not
  /// on Swift's cooperative pool, which parallel tests share.
  public init(_ arguments: [String] = [], adminToken: String = "rostersandboxadmintoken000") async throws {
    let process = Process()
    process.executableURL = Self.productsDirectory.appendingPathComponent("roster-sandbox")
    process.arguments = ["--port", "0", "--admin-token", adminToken] + arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let (found, buffer) = await Self.waitForURL(out.fileHandleForReading, process: process)
    guard let found else {
      process.terminate()
      throw SandboxStartError(output: buffer)
    }
    self.url = found
    self.adminToken = adminToken
    self.process = process
    self.transport = CurlTransport(baseURL: found)
  }

  /// Reads the banner until the `listening on` line; nil after 30 s or when the process ends first.
  private static func waitForURL(_ handle: FileHandle, process: Process) async -> (String?, String) {
    await withCheckedContinuation { continuation in
      DispatchQueue.global().async {
        var buffer = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && process.isRunning {
          let chunk = handle.availableData
          if chunk.isEmpty { break }
          buffer += String(decoding: chunk, as: UTF8.self)
          if let line = buffer.split(separator: "\n").first(where: { $0.contains("listening on ") }) {
            continuation.resume(returning: (String(line.split(separator: " ").last ?? ""), buffer))
            return
          }
        }
        continuation.resume(returning: (nil, buffer))
      }
    }
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
}

public struct SandboxStartError: Error, CustomStringConvertible {
  public var output: String

  public init(output: String) { self.output = output }

  public var description: String { "roster-sandbox did not start: \(output)" }
}

extension HTTPResponse {
  /// The body as a JSON object, or empty.
  public var object: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
  public var array: [[String: Any]] { ((try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]]) ?? [] }
  /// The server's error id, for asserting on errors as clients should: by id and status.
  public var errorID: String? { object["id"] as? String }
}
