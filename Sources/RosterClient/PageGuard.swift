#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A page is checked before it is decoded: a hostile server answering millions of users to a request
/// for 200 (the body cap still lets tens of megabytes through) would otherwise have every one of them
/// built in memory first. GET /users clamps `per_page` to 200 (api4/user.go getUsers, web/params.go),
/// so a longer page is never a real server's.
enum PageGuard {
  /// Throws when the JSON array in `body` has more than `limit` elements. Counts commas at the top
  /// level in one pass, stopping as soon as the limit is passed; anything that is not an array is
  /// left to the decoder.
  static func check(_ body: Data, limit: Int, path: String) throws(APIFailure) {
    // Over the raw bytes: `Data`'s own iterator costs a call per byte (6% of a 100,000-user plan).
    let result: Result<Void, APIFailure> = body.withUnsafeBytes { raw in
      do throws(APIFailure) { return .success(try check(raw, limit: limit, path: path)) } catch {
        return .failure(error)
      }
    }
    try result.get()
  }

  private static func check(_ body: UnsafeRawBufferPointer, limit: Int, path: String) throws(APIFailure) {
    var depth = 0
    var inString = false
    var escaped = false
    var elements = 0
    var sawValue = false
    for byte in body {
      if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "\""):
        inString = true
        if depth == 1 { sawValue = true }
      case UInt8(ascii: "["), UInt8(ascii: "{"):
        if depth == 1 { sawValue = true }
        depth += 1
      case UInt8(ascii: "]"), UInt8(ascii: "}"):
        depth -= 1
      case UInt8(ascii: ","):
        if depth == 1 { elements += 1 }
      case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
        break
      default:
        if depth == 1 { sawValue = true }
      }
      if elements + (sawValue ? 1 : 0) > limit { throw failure(limit: limit, path: path) }
    }
  }

  static func failure(limit: Int, path: String) -> APIFailure {
    APIFailure(
      method: "GET", path: path, status: 0, id: nil,
      message: "the server answered more than the \(limit) objects a page holds; refusing the answer",
      ambiguous: false)
  }
}
