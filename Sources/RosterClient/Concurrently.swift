/// Runs `work` on every item, at most `width` at a time, keeping the items' order; the first failure is
/// thrown once every started call has ended. Membership reads are one request per user or per user and
/// team, so a large roster's plan waits on many small answers, and this keeps `--parallelism` of them in
/// flight.
func concurrently<T: Sendable, R: Sendable>(
  _ items: [T], width: Int, _ work: @escaping @Sendable (T) async throws(APIFailure) -> R
) async throws(APIFailure) -> [R] {
  var results = [R?](repeating: nil, count: items.count)
  var failure: APIFailure?
  await withTaskGroup(of: (Int, Result<R, APIFailure>).self) { group in
    var next = 0
    func start() {
      guard next < items.count else { return }
      let position = next
      let item = items[position]
      next += 1
      // The child computes its result first and returns once: returning from inside `do`/`catch` in a
      // task-group child is miscompiled by Swift 6.3.1 at -O (shared/toolchain/swift-6.3-taskgroup-return.md).
      group.addTask {
        let result: Result<R, APIFailure>
        do throws(APIFailure) { result = .success(try await work(item)) } catch { result = .failure(error) }
        return (position, result)
      }
    }
    for _ in 0..<max(1, width) { start() }
    for await (position, result) in group {
      switch result {
      case .success(let value): results[position] = value
      case .failure(let error): failure = failure ?? error
      }
      if failure == nil { start() }
    }
  }
  if let failure { throw failure }
  return results.compactMap { $0 }
}
