/// Names with the place each was first written: searched directly while few, indexed once many (a
/// hostile entry may have thousands). The commonest case, a handful of keys or a user's few tokens,
/// costs one array and no hashing, where a dictionary per mapping hashed every name.
public struct KeyMarks {
  private var list: [(text: String, mark: Mark)] = []
  private var index: [String: Mark] = [:]

  public init() {}

  public mutating func removeAll() {
    if list.isEmpty { return }
    list.removeAll(keepingCapacity: true)
    if !index.isEmpty { index = [:] }
  }

  public func first(_ text: String) -> Mark? {
    list.count < 16 ? list.first { $0.text == text }?.mark : index[text]
  }

  public mutating func note(_ text: String, _ mark: Mark) {
    if list.count + 1 == 16 { for (key, mark) in list { index[key] = mark } }
    if list.count + 1 >= 16 { index[text] = mark }
    list.append((text, mark))
  }
}
