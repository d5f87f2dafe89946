#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The client's one JSON setup: request bodies and response decoding go through here, so every call
/// encodes and decodes the same way.
enum APIJSON {
  private static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()

  /// A request body. The bodies roster sends are string maps and flat structs, which always encode; a
  /// failure would be a programming error, never an empty body sent to the server.
  static func body(_ value: some Encodable) -> Data {
    guard let data = try? encoder.encode(value) else { preconditionFailure("a request body failed to encode") }
    return data
  }

  static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
    try JSONDecoder().decode(type, from: data)
  }
}

/// Server ids (users, tokens) go into URL paths; a hostile or broken server could answer `../config` and
/// send a write elsewhere. The server's ids are 26 lowercase letters and digits (model.NewId).
enum ServerID {
  static func isValid(_ id: String) -> Bool {
    id.utf8.count == 26 && id.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
  }

  static func checked(_ id: String) throws(APIFailure) -> String {
    guard isValid(id) else {
      throw APIFailure(
        method: "-", path: "-", status: 0,
        message: "refusing the server id \(id.debugDescription): not 26 lowercase letters and digits")
    }
    return id
  }
}
