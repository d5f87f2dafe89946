import RosterCore
import Testing

/// Planner cases for existing users: what counts as converged, profile and role updates, step order and tokens.
extension PlannerTests {
  static let updateAndTokenCases: [PlannerCase] = [
    // Converged and normalisation
    .init(
      name: "converged user plans nothing",
      yaml: "users:\n  - username: bob\n    email: bob@example.com\n    first_name: Bob\n    roles: [system_user]\n",
      users: [P.user("bob", first: "Bob")], steps: []),
    .init(
      name: "username case does not matter", yaml: "users:\n  - username: BOB\n    email: Bob@Example.com\n",
      users: [P.user("bob")], steps: []),
    .init(
      name: "email compared after trimming and lowercasing",
      yaml: "users:\n  - username: bob\n    email: ' BOB@example.com '\n",
      users: [P.user("bob")], steps: []),
    .init(
      name: "roles compared as a set, order and duplicates aside",
      yaml: "users:\n  - username: bob\n    roles: [system_admin, system_user]\n",
      users: [P.user("bob", roles: "system_user  system_admin")], steps: []),
    .init(
      name: "password is never diffed", yaml: "users:\n  - username: bob\n    password: ${PW}\n",
      users: [P.user("bob")], steps: []),
    .init(
      name: "absent fields stay unmanaged", yaml: "users:\n  - username: bob\n",
      users: [P.user("bob", first: "X", nickname: "Y", position: "Z", roles: "system_user system_admin")], steps: []),
    // Updating
    .init(
      name: "changed fields go in one patch",
      yaml: "users:\n  - username: bob\n    first_name: Robert\n    position: Lead\n",
      users: [P.user("bob", first: "Bob", position: "Dev")], steps: ["patch_profile bob"]),
    .init(
      name: "email change patches", yaml: "users:\n  - username: bob\n    email: robert@example.com\n",
      users: [P.user("bob")], steps: ["patch_profile bob"]),
    .init(
      name: "email change to another user's email is an error",
      yaml: "users:\n  - username: bob\n    email: carol@example.com\n",
      users: [P.user("bob"), P.user("carol")], steps: [], notes: [.error("already used by carol")]),
    .init(
      name: "roles change sets roles", yaml: "users:\n  - username: bob\n    roles: [system_user, system_admin]\n",
      users: [P.user("bob")], steps: ["set_roles bob"]),
    .init(
      name: "demotion sets roles", yaml: "users:\n  - username: bob\n    roles: [system_user]\n",
      users: [P.user("bob", roles: "system_user system_admin")], steps: ["set_roles bob"]),
    .init(
      name: "reactivation of a declared active user", yaml: "users:\n  - username: bob\n",
      users: [P.user("bob", active: false)], steps: ["reactivate_user bob"]),
    .init(
      name: "declared inactive deactivates", yaml: "users:\n  - username: bob\n    active: false\n",
      users: [P.user("bob")], steps: ["deactivate_user bob"]),
    .init(
      name: "inactive and declared inactive plans nothing", yaml: "users:\n  - username: bob\n    active: false\n",
      users: [P.user("bob", active: false)], steps: []),
    .init(
      name: "reactivated user is patched in the same plan", yaml: "users:\n  - username: bob\n    position: Back\n",
      users: [P.user("bob", active: false)], steps: ["reactivate_user bob", "patch_profile bob"]),
    // Ordering
    .init(
      name: "order is creates, reactivations, patches, roles, tokens, deactivations",
      yaml: """
        users:
          - username: zed
            active: false
          - username: yan
            position: New
          - username: xia
            roles: [system_user, system_admin]
          - username: wes
          - username: new
            email: new@example.com
            password: ${PW}
          - username: tok
            tokens:
              - description: t
        """,
      users: [P.user("zed"), P.user("yan"), P.user("xia"), P.user("wes", active: false), P.user("tok")],
      steps: [
        "create_user new", "reactivate_user wes", "patch_profile yan", "set_roles xia", "create_token tok t",
        "deactivate_user zed",
      ]),
    // Tokens
    .init(
      name: "missing token is created", yaml: "users:\n  - username: bob\n    tokens:\n      - description: ci\n",
      users: [P.user("bob")], steps: ["create_token bob ci"]),
    .init(
      name: "undeclared token is revoked", yaml: "users:\n  - username: bob\n    tokens: []\n",
      users: [P.user("bob")], tokens: [P.token("bob", "old")], steps: ["revoke_token bob old"]),
    .init(
      name: "absent tokens key leaves tokens alone", yaml: "users:\n  - username: bob\n",
      users: [P.user("bob")], tokens: [P.token("bob", "old")], steps: []),
    .init(
      name: "disabled token declared active is enabled",
      yaml: "users:\n  - username: bob\n    tokens:\n      - description: ci\n",
      users: [P.user("bob")], tokens: [P.token("bob", "ci", active: false)], steps: ["enable_token bob ci"]),
    .init(
      name: "active token declared inactive is disabled",
      yaml: "users:\n  - username: bob\n    tokens:\n      - description: ci\n        active: false\n",
      users: [P.user("bob")], tokens: [P.token("bob", "ci")], steps: ["disable_token bob ci"]),
    .init(
      name: "matching token plans nothing", yaml: "users:\n  - username: bob\n    tokens:\n      - description: ci\n",
      users: [P.user("bob")], tokens: [P.token("bob", "ci")], steps: []),
    .init(
      name: "two live tokens with one description is an error naming both",
      yaml: "users:\n  - username: bob\n    tokens:\n      - description: ci\n",
      users: [P.user("bob")],
      tokens: [
        P.token("bob", "ci", id: "tokenaaaaaaaaaaaaaaaaaaaaa"), P.token("bob", "ci", id: "tokenbbbbbbbbbbbbbbbbbbbbb"),
      ],
      steps: [], notes: [.error("tokenaaaaaaaaaaaaaaaaaaaaa, tokenbbbbbbbbbbbbbbbbbbbbb")]),
    .init(
      name: "token creation with tokens switched off is an error",
      yaml: "users:\n  - username: bob\n    tokens:\n      - description: ci\n",
      users: [P.user("bob")], tokensEnabled: false, steps: ["create_token bob ci"], notes: [.error("switched off")]),
    .init(
      name: "unreadable tokens are an error when managed", yaml: "users:\n  - username: bob\n    tokens: []\n",
      users: [P.user("bob")], tokens: nil, steps: [], notes: [.error("could not be read")]),
  ]
}
