import Foundation
import RosterCore

/// libFuzzer entry: bytes as a saved plan file, through the strict decoder. A document that loads must
/// render in every format and survive a second encode-decode unchanged.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPlan(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Data(UnsafeBufferPointer(start: data, count: size))
  guard let document = try? PlanDocument.decode(bytes) else { return 0 }
  _ = PlanTextRenderer(color: false).render(document.plan, requests: document.requestCount)
  _ = PlanMarkdownRenderer.render(document.plan, requests: document.requestCount)
  guard let again = try? PlanDocument.decode(Data(document.json().utf8)), again == document else {
    fatalError("a loaded plan does not survive encode and decode")
  }
  return 0
}
