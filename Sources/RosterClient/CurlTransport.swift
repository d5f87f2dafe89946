internal import CCurl
import Foundation

/// Settings of the libcurl transport; all have the safe default.
public struct CurlOptions: Sendable {
  public var connectTimeout: Double = 10
  public var timeout: Double = 60
  public var caCertPath: String?
  /// Skip TLS verification. The CLI warns whenever this is on.
  public var insecure = false
  public var userAgent = "roster"

  public init() {}
}

/// HTTP over the system libcurl. Easy handles are pooled, so connections are kept alive and reused;
/// each transfer runs on its own thread so blocking libcurl calls never stall Swift's cooperative pool,
/// which on a two-core machine would cap parallelism at two.
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
  private let baseURL: String
  private let options: CurlOptions
  private let pool = HandlePool()

  private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_ALL)) }()

  public init(baseURL: String, options: CurlOptions = CurlOptions()) {
    _ = Self.globalInit
    var base = baseURL
    while base.hasSuffix("/") { base.removeLast() }
    self.baseURL = base
    self.options = options
  }

  public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
    let result: Result<HTTPResponse, TransportError> = await withCheckedContinuation { continuation in
      let thread = Thread { [self] in
        let handle = pool.take()
        let outcome = handle.perform(request, url: baseURL + request.path, options: options)
        pool.give(handle)
        continuation.resume(returning: outcome)
      }
      thread.stackSize = 1 << 20
      thread.start()
    }
    return try result.get()
  }
}

/// Idle easy handles; a handle keeps its connection cache across `curl_easy_reset`.
final class HandlePool: @unchecked Sendable {
  private let lock = NSLock()
  private var idle: [EasyHandle] = []

  func take() -> EasyHandle {
    lock.lock()
    defer { lock.unlock() }
    return idle.popLast() ?? EasyHandle()
  }

  func give(_ handle: EasyHandle) {
    lock.lock()
    idle.append(handle)
    lock.unlock()
  }
}

/// Collects a transfer's body and headers from libcurl's callbacks.
private final class Sink {
  var body = Data()
  var headers: [String: String] = [:]
}

/// One libcurl easy handle, owned by exactly one transfer at a time.
final class EasyHandle {
  private let handle: UnsafeMutableRawPointer?

  init() { handle = curl_easy_init() }

  deinit { curl_easy_cleanup(handle) }

  func perform(_ request: HTTPRequest, url: String, options: CurlOptions) -> Result<HTTPResponse, TransportError> {
    curl_easy_reset(handle)
    let sink = Sink()
    let context = Unmanaged.passUnretained(sink).toOpaque()
    var headers: UnsafeMutablePointer<curl_slist>?
    defer { curl_slist_free_all(headers) }
    for (name, value) in request.headers { headers = curl_slist_append(headers, "\(name): \(value)") }
    if request.body != nil { headers = curl_slist_append(headers, "Content-Type: application/json") }
    headers = curl_slist_append(headers, "Expect:")

    _ = roster_curl_setopt_string(handle, CURLOPT_URL, url)
    _ = roster_curl_setopt_string(handle, CURLOPT_USERAGENT, options.userAgent)
    _ = roster_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
    // libcurl resends a request on its own only over a reused connection; a fresh one rules that out.
    if !request.idempotent { _ = roster_curl_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1) }
    _ = roster_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
    _ = roster_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(options.timeout * 1000))
    _ = roster_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, options.insecure ? 0 : 1)
    _ = roster_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, options.insecure ? 0 : 2)
    if let ca = options.caCertPath { _ = roster_curl_setopt_string(handle, CURLOPT_CAINFO, ca) }
    _ = roster_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headers)
    _ = roster_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, Self.onData)
    _ = roster_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
    _ = roster_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION, Self.onHeader)
    _ = roster_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
    if request.method == "GET" {
      _ = roster_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
    } else {
      _ = roster_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
    }
    let code: CURLcode
    if let body = request.body {
      code = body.withUnsafeBytes { raw in
        _ = roster_curl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(raw.count))
        _ = roster_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress))
        return curl_easy_perform(handle)
      }
    } else {
      code = curl_easy_perform(handle)
    }
    withExtendedLifetime(sink) {}
    guard code == CURLE_OK else {
      let message = String(cString: curl_easy_strerror(code))
      // Before the request could have left: nothing reached the server, a retry is always safe.
      let unsent: Set<UInt32> = [
        CURLE_COULDNT_RESOLVE_HOST.rawValue, CURLE_COULDNT_CONNECT.rawValue,
        CURLE_COULDNT_RESOLVE_PROXY.rawValue, CURLE_SSL_CONNECT_ERROR.rawValue, CURLE_PEER_FAILED_VERIFICATION.rawValue,
      ]
      return .failure(TransportError(message: message, mayHaveArrived: !unsent.contains(code.rawValue)))
    }
    var status = 0
    _ = roster_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
    return .success(HTTPResponse(status: status, headers: sink.headers, body: sink.body))
  }

  private static let onData: roster_curl_data_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
    sink.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
    return size * count
  }

  private static let onHeader: roster_curl_data_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
    if line.hasPrefix("HTTP/") {
      sink.headers = [:]  // a new response (after a 100 Continue or a redirect) starts over
    } else if let colon = line.firstIndex(of: ":") {
      let name = line[..<colon].lowercased()
      let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
      sink.headers[name] = value
    }
    return size * count
  }
}
