internal import CCurl
import Synchronization

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

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

/// HTTP over the system libcurl. Easy handles are pooled, so connections are kept alive and reused.
/// Blocking libcurl calls run on a bounded pool of worker threads, never on Swift's cooperative pool
/// (which on a two-core machine would cap parallelism at two), and never more threads than `workers`.
/// A cancelled task aborts its transfer through libcurl's progress callback, or leaves the queue.
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
  /// The largest response body read into memory.
  public static let maxResponseBytes = 64 * 1_048_576

  private let baseURL: String
  private let options: CurlOptions
  private let pool = HandlePool()
  private let workers: WorkerPool

  private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_ALL)) }()

  /// - Parameter workers: the most transfers at once; more wait in order.
  public init(baseURL: String, options: CurlOptions = CurlOptions(), workers: Int = 16) {
    _ = Self.globalInit
    var base = baseURL
    while base.hasSuffix("/") { base.removeLast() }
    self.baseURL = base
    self.options = options
    self.workers = WorkerPool(limit: max(1, workers))
  }

  public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
    let cancelled = CancellationFlag()
    let result: Result<HTTPResponse, TransportError> = await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        workers.submit { [self] in
          // Cancelled while waiting: it never left, so it may be retried or dropped safely.
          if cancelled.isSet {
            continuation.resume(returning: .failure(TransportError(message: "cancelled", mayHaveArrived: false)))
            return
          }
          let handle = pool.take()
          let outcome = handle.perform(request, url: baseURL + request.path, options: options, cancelled: cancelled)
          pool.give(handle)
          continuation.resume(returning: outcome)
        }
      }
    } onCancel: {
      cancelled.set()
    }
    return try result.get()
  }
}

/// Set once, from a signal handler or a task's cancellation, and read from other threads (libcurl's
/// progress callback, the applier before each step).
public final class CancellationFlag: Sendable {
  private let value = Mutex(false)

  public init() {}

  public func set() { value.withLock { $0 = true } }
  public var isSet: Bool { value.withLock { $0 } }
}

/// A fixed number of threads taking jobs in order; threads start as work arrives, up to the limit, and
/// stay for the life of the process (a CLI run), waiting on a condition when idle.
final class WorkerPool: @unchecked Sendable {
  private let limit: Int
  private let condition = ConditionLock()
  private var jobs: [@Sendable () -> Void] = []
  private var head = 0
  private var threads = 0
  private var idle = 0
  /// Wake-ups signalled but not yet taken: an idle thread is only free if no job is already promised to it.
  private var signalled = 0

  init(limit: Int) { self.limit = limit }

  func submit(_ job: @escaping @Sendable () -> Void) {
    condition.lock()
    jobs.append(job)
    if idle - signalled <= 0 && threads < limit {
      threads += 1
      DetachedThread.start(stackSize: 1 << 20) { [self] in work() }
    } else {
      signalled += 1
      condition.signal()
    }
    condition.unlock()
  }

  private func work() {
    while true {
      condition.lock()
      while head == jobs.count {
        idle += 1
        condition.wait()
        idle -= 1
        if signalled > 0 { signalled -= 1 }
      }
      let job = jobs[head]
      head += 1
      if head == jobs.count {
        jobs.removeAll(keepingCapacity: true)
        head = 0
      }
      condition.unlock()
      job()
    }
  }
}

/// Idle easy handles; a handle keeps its connection cache across `curl_easy_reset`.
final class HandlePool: Sendable {
  private let idle = Mutex<[EasyHandle]>([])

  func take() -> EasyHandle { idle.withLock { $0.popLast() } ?? EasyHandle() }

  func give(_ handle: EasyHandle) { idle.withLock { $0.append(handle) } }
}

/// Collects a transfer's body and headers from libcurl's callbacks.
private final class Sink {
  var body = Data()
  var headers: [String: String] = [:]
  let cancelled: CancellationFlag
  /// Set when the body passed `CurlTransport.maxResponseBytes` and the transfer was stopped.
  var tooLarge = false

  init(cancelled: CancellationFlag) { self.cancelled = cancelled }
}

/// One libcurl easy handle, owned by exactly one transfer at a time: the pool hands it out and takes it
/// back, so it crosses threads but is never used from two at once.
final class EasyHandle: @unchecked Sendable {
  private let handle: UnsafeMutableRawPointer?

  init() { handle = curl_easy_init() }

  deinit { curl_easy_cleanup(handle) }

  func perform(
    _ request: HTTPRequest, url: String, options: CurlOptions, cancelled: CancellationFlag
  ) -> Result<HTTPResponse, TransportError> {
    curl_easy_reset(handle)
    let sink = Sink(cancelled: cancelled)
    let context = Unmanaged.passUnretained(sink).toOpaque()
    var headers: UnsafeMutablePointer<curl_slist>?
    defer { curl_slist_free_all(headers) }
    for (name, value) in request.headers { headers = curl_slist_append(headers, "\(name): \(value)") }
    if request.body != nil { headers = curl_slist_append(headers, "Content-Type: application/json") }
    headers = curl_slist_append(headers, "Expect:")

    // Every option is checked: a refused one (an old libcurl, a bad value) must stop the request rather
    // than send it without, above all FRESH_CONNECT, which keeps a create from being resent.
    var refused: [String] = []
    func check(_ code: CURLcode, _ name: String) { if code != CURLE_OK { refused.append(name) } }
    check(roster_curl_setopt_string(handle, CURLOPT_URL, url), "URL")
    check(roster_curl_setopt_string(handle, CURLOPT_USERAGENT, options.userAgent), "USERAGENT")
    check(roster_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "NOSIGNAL")
    // libcurl resends a request on its own only over a reused connection; a fresh one rules that out.
    if !request.idempotent { check(roster_curl_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1), "FRESH_CONNECT") }
    check(
      roster_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(options.connectTimeout)),
      "CONNECTTIMEOUT_MS")
    check(roster_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(options.timeout)), "TIMEOUT_MS")
    check(roster_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, options.insecure ? 0 : 1), "SSL_VERIFYPEER")
    check(roster_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, options.insecure ? 0 : 2), "SSL_VERIFYHOST")
    if let ca = options.caCertPath { check(roster_curl_setopt_string(handle, CURLOPT_CAINFO, ca), "CAINFO") }
    check(roster_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headers), "HTTPHEADER")
    check(roster_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, Self.onData), "WRITEFUNCTION")
    check(roster_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context), "WRITEDATA")
    check(roster_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION, Self.onHeader), "HEADERFUNCTION")
    check(roster_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context), "HEADERDATA")
    check(roster_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0), "NOPROGRESS")
    check(roster_curl_setopt_progress(handle, CURLOPT_XFERINFOFUNCTION, Self.onProgress), "XFERINFOFUNCTION")
    check(roster_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context), "XFERINFODATA")
    if request.method == "GET" {
      check(roster_curl_setopt_long(handle, CURLOPT_HTTPGET, 1), "HTTPGET")
    } else {
      check(roster_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method), "CUSTOMREQUEST")
    }
    if !refused.isEmpty {
      return .failure(
        TransportError(
          message: "libcurl refused CURLOPT_\(refused.joined(separator: ", CURLOPT_"))", mayHaveArrived: false))
    }
    let code: CURLcode
    if let body = request.body {
      code = body.withUnsafeBytes { raw in
        let size = roster_curl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(raw.count))
        let fields = roster_curl_setopt_pointer(
          handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress))
        guard size == CURLE_OK, fields == CURLE_OK else { return CURLE_BAD_FUNCTION_ARGUMENT }
        return curl_easy_perform(handle)
      }
    } else {
      code = curl_easy_perform(handle)
    }
    withExtendedLifetime(sink) {}
    guard code == CURLE_OK else {
      if sink.tooLarge {
        return .failure(
          TransportError(
            message: "the response is larger than \(CurlTransport.maxResponseBytes / 1_048_576) MiB; refusing it",
            mayHaveArrived: true, permanent: true))
      }
      if code == CURLE_ABORTED_BY_CALLBACK && cancelled.isSet {
        return .failure(TransportError(message: "cancelled", mayHaveArrived: true))
      }
      let message = String(cString: curl_easy_strerror(code))
      // Before the request could have left: nothing reached the server, a retry is always safe.
      let unsent: Set<UInt32> = [
        CURLE_COULDNT_RESOLVE_HOST.rawValue, CURLE_COULDNT_CONNECT.rawValue,
        CURLE_COULDNT_RESOLVE_PROXY.rawValue, CURLE_SSL_CONNECT_ERROR.rawValue, CURLE_PEER_FAILED_VERIFICATION.rawValue,
      ]
      // Name where it tried: "Couldn't connect to server" alone does not say which one.
      let tried = URL(string: url).map {
        "\($0.host ?? "?"):\($0.port.map(String.init) ?? ($0.scheme == "https" ? "443" : "80"))"
      }
      return .failure(
        TransportError(
          message: message + (tried.map { " (\($0))" } ?? ""), mayHaveArrived: !unsent.contains(code.rawValue)))
    }
    var status = 0
    _ = roster_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
    return .success(HTTPResponse(status: status, headers: sink.headers, body: sink.body))
  }

  private static let onData: roster_curl_data_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
    // A page of 200 users is about 200 KB; a body past the cap is a broken or hostile server, and
    // answering less than was given makes libcurl stop the transfer.
    if sink.body.count + size * count > CurlTransport.maxResponseBytes {
      sink.tooLarge = true
      return 0
    }
    sink.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
    return size * count
  }

  /// Called by libcurl about once a second and on progress; a non-zero answer aborts the transfer.
  private static let onProgress: roster_curl_progress_callback = { context, _, _, _, _ in
    guard let context else { return 0 }
    return Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue().cancelled.isSet ? 1 : 0
  }

  /// Seconds to libcurl's milliseconds, for any Double: NaN and negatives become 0 (no limit is never
  /// asked for), infinity and huge values the largest a C long holds, instead of a trap in `Int(_:)`.
  static func milliseconds(_ seconds: Double) -> Int {
    guard seconds.isFinite, seconds > 0 else { return seconds == .infinity ? Int.max : 0 }
    let ms = seconds * 1000
    return ms >= Double(Int.max) ? Int.max : Int(ms)
  }

  private static let onHeader: roster_curl_data_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
    if line.hasPrefix("HTTP/") {
      sink.headers = [:]  // a new response (after a 100 Continue or a redirect) starts over
    } else if let colon = line.firstIndex(of: ":") {
      let name = line[..<colon].lowercased()
      let value = line[line.index(after: colon)...].trimmingBlanksAndNewlines()
      sink.headers[name] = value
      // The body's storage made once at its announced size (never past the cap): grown 16 KB chunk by
      // chunk, a page of 200 users was copied several times into fresh memory (a tenth of a large
      // plan's page faults).
      if name == "content-length", let length = Int(value), length > 0, sink.body.isEmpty {
        sink.body.reserveCapacity(min(length, CurlTransport.maxResponseBytes))
      }
    }
    return size * count
  }
}
