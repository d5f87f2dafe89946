import RosterCore

/// libFuzzer entry: bytes as a manifest file, through libyaml, the tree builder and the decoder.
/// Every input must end in a manifest or positioned diagnostics: never a crash, a hang or an
/// allocation that grows with something other than the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let result = ManifestLoader.load(
    [ManifestFile(name: "fuzz.yaml", bytes: bytes)], env: ["PW": "long-enough-password"], only: nil)
  if result.manifest == nil && !result.diagnostics.contains(where: { $0.severity == .error }) {
    fatalError("no manifest and no error")
  }
  for diagnostic in result.diagnostics where diagnostic.mark.line < 1 || diagnostic.mark.column < 1 {
    fatalError("a diagnostic without a position: \(diagnostic)")
  }
  if let manifest = result.manifest {
    // The loaded manifest must plan against an empty server without trapping.
    let admin = LiveUser(id: "admin0000000000000000000000", username: "admin", roles: "system_admin system_user")
    _ = Planner.plan(manifest, live: LiveState(users: [admin], tokens: [], acting: admin))
  }
  return 0
}
