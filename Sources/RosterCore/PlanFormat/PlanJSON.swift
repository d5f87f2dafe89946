#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Any key, for listing the keys an object holds.
struct AnyKey: CodingKey {
  var stringValue: String
  var intValue: Int?

  init(stringValue: String) { self.stringValue = stringValue }
  init(intValue: Int) {
    stringValue = "\(intValue)"
    self.intValue = intValue
  }
  init(index: Int) { self.init(intValue: index) }
}

extension Decoder {
  /// Refuses keys the type does not define, which JSONDecoder would silently skip.
  func allowOnly<K: CodingKey & CaseIterable>(_ keys: K.Type) throws {
    let known = Set(K.allCases.map(\.stringValue))
    let c = try container(keyedBy: AnyKey.self)
    if let unknown = c.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
      throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "unknown key \"\(unknown)\""))
    }
  }
}

/// The one JSON setup for plan documents, both ways.
enum PlanJSON {
  static func text(_ document: PlanDocument) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Encoding these value types cannot fail: every value is a string, number, array or object.
    guard let data = try? encoder.encode(document) else { preconditionFailure("a plan document failed to encode") }
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  static func decode(_ data: Data) throws(PlanFileError) -> PlanDocument {
    if let repeated = JSONDuplicateKeys.find([UInt8](data)) {
      throw PlanFileError("\(repeated): the key appears twice in one object (tools disagree on which one counts)")
    }
    do {
      return try JSONDecoder().decode(PlanDocument.self, from: data)
    } catch let error as DecodingError {
      throw PlanFileError(describe(error))
    } catch {
      throw PlanFileError("not a plan document: \(error)")
    }
  }

  /// `steps[3].roles_after: missing` rather than Foundation's dump of the decoding context.
  static func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      var out = ""
      for key in keys {
        if let index = key.intValue { out += "[\(index)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
      }
      return out.isEmpty ? "the document" : out
    }
    switch error {
    case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])): missing"
    case .typeMismatch(let type, let context): return "\(path(context.codingPath)): expected \(type)"
    case .valueNotFound(let type, let context): return "\(path(context.codingPath)): expected \(type), found null"
    case .dataCorrupted(let context):
      return "\(path(context.codingPath)): \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
  }
}
