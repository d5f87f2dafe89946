import RosterCore
import Testing

/// Planner cases for the safeguards: unmanaged users, the acting and protected users, gates, and SSO accounts.
extension PlannerTests {
  static let safeguardCases: [PlannerCase] = [
    // Unmanaged users
    .init(name: "unmanaged users are ignored by default", yaml: "users: []\n", users: [P.user("bob")], steps: []),
    .init(
      name: "unmanaged users are deactivated when asked",
      yaml: "settings:\n  unmanaged_users: deactivate\nusers:\n  - username: admin\n", users: [P.user("bob")],
      steps: ["deactivate_user bob"]),
    .init(
      name: "unmanaged bots are never deactivated",
      yaml: "settings:\n  unmanaged_users: deactivate\nusers:\n  - username: admin\n",
      users: [P.user("bot", bot: true)], steps: []),
    .init(
      name: "unmanaged protected users are never deactivated",
      yaml: "settings:\n  unmanaged_users: deactivate\n  protected_users: [Bob]\nusers:\n  - username: admin\n",
      users: [P.user("bob")], steps: []),
    .init(
      name: "unmanaged inactive users need nothing",
      yaml: "settings:\n  unmanaged_users: deactivate\nusers:\n  - username: admin\n",
      users: [P.user("bob", active: false)], steps: []),
    .init(
      name: "the acting user is never deactivated as unmanaged",
      yaml: "settings:\n  unmanaged_users: deactivate\nusers: []\n", steps: [],
      notes: [.warning("not deactivating the acting user")]),
    // Protection of the acting user and protected users
    .init(
      name: "the acting user is never deactivated", yaml: "users:\n  - username: admin\n    active: false\n",
      steps: [], notes: [.warning("never locks itself out")]),
    .init(
      name: "the acting user is never demoted", yaml: "users:\n  - username: admin\n    roles: [system_user]\n",
      steps: [], notes: [.warning("not removing system_admin")]),
    .init(
      name: "the acting user keeps its tokens", yaml: "users:\n  - username: admin\n    tokens: []\n",
      tokens: [LiveToken(id: "admintok00000000000000000a", userID: P.admin.id, description: "roster", isActive: true)],
      steps: [], notes: [.warning("not revoking token \"roster\"")]),
    .init(
      name: "the acting user can still be patched", yaml: "users:\n  - username: admin\n    position: Ops\n",
      steps: ["patch_profile admin"]),
    .init(
      name: "the acting user's own email needs its password, so it is left alone",
      yaml: "users:\n  - username: admin\n    email: new-admin@example.com\n    nickname: boss\n",
      steps: ["patch_profile admin"], notes: [.warning("requires its password")]),
    .init(
      name: "protected users are never touched",
      yaml: "settings:\n  protected_users: [bob]\nusers:\n  - username: bob\n    active: false\n    position: X\n",
      users: [P.user("bob")], steps: []),
    // Invariants and gates
    .init(
      name: "min_system_admins blocks a plan that would leave too few",
      yaml: "settings:\n  min_system_admins: 2\nusers:\n  - username: bob\n    roles: [system_user]\n",
      users: [P.user("bob", roles: "system_user system_admin")], steps: ["set_roles bob"],
      notes: [.error("1 active system admin would remain")]),
    .init(
      name: "min_system_admins counts admins created in the plan",
      yaml:
        "settings:\n  min_system_admins: 2\nusers:\n  - username: new\n    email: n@example.com\n    password: ${PW}\n    roles: [system_user, system_admin]\n",
      steps: ["create_user new", "set_roles new"]),
    .init(
      name: "min_system_admins counts admins the plan reactivates",
      yaml: "settings:\n  min_system_admins: 2\nusers:\n  - username: old\n",
      users: [P.user("old", roles: "system_user system_admin", active: false)], steps: ["reactivate_user old"]),
    .init(
      name: "deactivations above the threshold are gated",
      yaml: "settings:\n  unmanaged_users: deactivate\n  max_deactivations: 1\nusers:\n  - username: admin\n",
      users: [P.user("a1"), P.user("a2")], steps: ["deactivate_user a1", "deactivate_user a2"], gates: 1),
    .init(
      name: "--force lets mass deactivations through with a warning",
      yaml: "settings:\n  unmanaged_users: deactivate\n  max_deactivations: 1\nusers:\n  - username: admin\n",
      users: [P.user("a1"), P.user("a2")], force: true, steps: ["deactivate_user a1", "deactivate_user a2"],
      notes: [.warning("allowed by --force")]),
    .init(
      name: "percentage threshold never goes below three",
      yaml: "settings:\n  unmanaged_users: deactivate\nusers:\n  - username: admin\n",
      users: [P.user("a1"), P.user("a2"), P.user("a3")],
      steps: ["deactivate_user a1", "deactivate_user a2", "deactivate_user a3"]),
    .init(
      name: "percentage threshold gates a quarter of many users",
      yaml:
        "settings:\n  unmanaged_users: deactivate\n  max_deactivations: '10%'\nusers:\n  - username: admin\n  - username: k1\n  - username: k2\n  - username: k3\n  - username: k4\n  - username: k5\n  - username: k6\n  - username: k7\n  - username: k8\n  - username: k9\n",
      users: (1...9).map { P.user("k\($0)") } + [P.user("x1"), P.user("x2"), P.user("x3"), P.user("x4")],
      steps: ["deactivate_user x1", "deactivate_user x2", "deactivate_user x3", "deactivate_user x4"], gates: 1),
    // SSO classification
    .init(
      name: "oauth email change is dropped with a warning",
      yaml: "users:\n  - username: g\n    email: new@example.com\n",
      users: [P.user("g", auth: "gitlab")], steps: [], notes: [.warning("drops the change (will revert)")]),
    .init(
      name: "oauth name change is not actionable", yaml: "users:\n  - username: g\n    first_name: New\n",
      users: [P.user("g", auth: "google")], steps: [], notes: [.warning("refuses the change (409)")]),
    .init(
      name: "oauth nickname change is fine", yaml: "users:\n  - username: g\n    nickname: New\n",
      users: [P.user("g", auth: "google")], steps: ["patch_profile g"]),
    .init(
      name: "ldap email change is not actionable", yaml: "users:\n  - username: l\n    email: new@example.com\n",
      users: [P.user("l", auth: "ldap")], steps: [], notes: [.warning("refuses the change (400)")]),
    .init(
      name: "ldap position change will revert", yaml: "users:\n  - username: l\n    position: X\n",
      users: [P.user("l", auth: "ldap")], steps: [], notes: [.warning("directory sync overwrites it")]),
    .init(
      name: "ldap roles are still managed", yaml: "users:\n  - username: l\n    roles: [system_user, system_admin]\n",
      users: [P.user("l", auth: "ldap")], steps: ["set_roles l"]),
    .init(
      name: "changing how a user signs in is not actionable",
      yaml: "users:\n  - username: bob\n    auth_service: ldap\n",
      users: [P.user("bob")], steps: [], notes: [.warning("cannot change how an existing account signs in")]),
  ]
}
