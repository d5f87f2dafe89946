import RosterCore
import Testing

/// Planner cases for guests (promoted and demoted, never given roles) and for creating users.
extension PlannerTests {
  static let guestAndCreateCases: [PlannerCase] = [
    // Guests (api4/user.go promoteGuestToUser / demoteUserToGuest; never PUT /roles for them)
    .init(
      name: "a guest declared a user is promoted, not given roles",
      yaml: "users:\n  - username: gus\n    roles: [system_user]\n", users: [P.user("gus", roles: "system_guest")],
      steps: ["promote_guest gus"]),
    .init(
      name: "a guest declared an admin is promoted, then given the rest",
      yaml: "users:\n  - username: gus\n    roles: [system_user, system_admin]\n",
      users: [P.user("gus", roles: "system_guest")], steps: ["promote_guest gus", "set_roles gus"]),
    .init(
      name: "a user declared a guest is demoted, with the license warning",
      yaml: "users:\n  - username: ursula\n    roles: [system_guest]\n", users: [P.user("ursula")],
      steps: ["demote_to_guest ursula"], notes: [.warning("needs a licensed server")]),
    .init(
      name: "a new guest is created, then demoted",
      yaml: "users:\n  - username: gina\n    email: g@example.com\n    password: ${PW}\n    roles: [system_guest]\n",
      steps: ["create_user gina", "demote_to_guest gina"], notes: [.warning("needs a licensed server")]),
    .init(
      name: "a guest with extra server roles is left to promotion",
      yaml: "users:\n  - username: gus\n    roles: [system_guest]\n",
      users: [P.user("gus", roles: "system_guest system_post_all")], steps: [],
      notes: [.warning("changes a guest's roles only by promoting")]),
    .init(
      name: "the acting user is never demoted", yaml: "users:\n  - username: admin\n    roles: [system_guest]\n",
      steps: [], notes: [.warning("not demoting the acting user")]),
    // Creating users
    .init(
      name: "create a new user", yaml: "users:\n  - username: alice\n    email: a@example.com\n    password: ${PW}\n",
      steps: ["create_user alice"]),
    .init(
      name: "created user with admin role gets a roles step after the create",
      yaml:
        "users:\n  - username: alice\n    email: a@example.com\n    password: ${PW}\n    roles: [system_user, system_admin]\n",
      steps: ["create_user alice", "set_roles alice"]),
    .init(
      name: "created user with only system_user needs no roles step",
      yaml: "users:\n  - username: alice\n    email: a@example.com\n    password: ${PW}\n    roles: [system_user]\n",
      steps: ["create_user alice"]),
    .init(
      name: "created user with tokens gets token steps, disabled ones disabled after creation",
      yaml:
        "users:\n  - username: alice\n    email: a@example.com\n    password: ${PW}\n    tokens:\n      - description: ci\n      - description: old\n        active: false\n",
      steps: ["create_user alice", "create_token alice ci", "create_token alice old", "disable_token alice old"]),
    .init(
      name: "declared inactive and absent is not created",
      yaml: "users:\n  - username: ghost\n    email: g@example.com\n    password: ${PW}\n    active: false\n", steps: []
    ),
    .init(
      name: "create without email is an error", yaml: "users:\n  - username: alice\n    password: ${PW}\n",
      steps: [], notes: [.error("cannot create: no email declared")]),
    .init(
      name: "create without password or sso is an error",
      yaml: "users:\n  - username: alice\n    email: a@example.com\n",
      steps: [], notes: [.error("declare a password, initial_password: generate, or an auth_service")]),
    .init(
      name: "create with a short password is an error",
      yaml: "users:\n  - username: alice\n    email: a@example.com\n    password: ${SHORT}\n",
      steps: [], notes: [.error("shorter than the server's minimum of 8")]),
    .init(
      name: "create with an email used by another user is an error",
      yaml: "users:\n  - username: alice\n    email: bob@example.com\n    password: ${PW}\n", users: [P.user("bob")],
      steps: [], notes: [.error("already used by bob")]),
    .init(
      name: "create sso user without password",
      yaml: "users:\n  - username: carol\n    email: c@example.com\n    auth_service: ldap\n    auth_data: carol\n",
      steps: ["create_user carol"]),
    .init(
      name: "create sso user without auth_data is an error",
      yaml: "users:\n  - username: carol\n    email: c@example.com\n    auth_service: ldap\n",
      steps: [], notes: [.error("needs auth_data")]),
    .init(
      // app/users/users.go CreateUser stores "en" instead; an update keeps any well-formed tag.
      name: "create with an untranslated locale sets it by a patch after the create",
      yaml: "users:\n  - username: alice\n    email: a@example.com\n    password: ${PW}\n    locale: da\n",
      steps: ["create_user alice", "patch_profile alice"],
      notes: [.warning("locale da has no translation on the server")]),
    .init(
      name: "username taken by a bot is an error", yaml: "users:\n  - username: bot\n    email: b@example.com\n",
      users: [P.user("bot", bot: true)], steps: [], notes: [.error("belongs to a bot")]),
    .init(
      name: "username of a remote user is an error", yaml: "users:\n  - username: far\n",
      users: [P.user("far", remote: true)], steps: [], notes: [.error("belongs to a remote user")]),
  ]
}
