/// One example per manifest key for the reference page, each a manifest without its `version: 1` line.
/// A test loads every one (with `ALICE_PASSWORD` set) and fails on any error, and another fails when a
/// key of the schema has no example here, so the page shows only manifests roster accepts.
extension ManifestReference {
  public static func example(for path: String) -> String? {
    if let gate = GateKind.allCases.first(where: { "settings." + $0.key == path }) {
      return "settings:\n  \(gate.key): 5        # or a share: \"\(gate.defaultThreshold)\"\n"
    }
    return examples[path]
  }

  /// A user entry's first lines, shared by the examples of user keys.
  private static let alice = "users:\n  - username: alice\n"
  /// A bot entry's first lines.
  private static let ciBot = "bots:\n  - username: ci-bot\n"

  static let examples: [String: String] = [
    "version": "version: 1\n",
    "settings": "settings:\n  unmanaged_users: ignore\n  protected_users: [admin]\n",
    "defaults": "defaults:\n  roles: [system_user]\n  locale: en\n",
    "teams": "teams:\n  eng:\n    unmanaged_members: remove\n",
    "users": alice + "    email: alice@example.com\n",
    "settings.unmanaged_users": "settings:\n  unmanaged_users: deactivate\n",
    "settings.protected_users": "settings:\n  protected_users: [admin, backup-admin]\n",
    "settings.required_admins": "settings:\n  required_admins: [admin]\n",
    "settings.min_system_admins": "settings:\n  min_system_admins: 2\n",
    "settings.unmanaged_bots": "settings:\n  unmanaged_bots: disable\n",
    "settings.on_deactivate": "settings:\n  on_deactivate: revoke_tokens\n",
    "settings.scope": "settings:\n  scope:\n    usernames: [\"eng-*\"]\n    email_domains: [eng.example.com]\n",
    "settings.owner": "settings:\n  owner: eng\n",
    "bots": ciBot + "    display_name: CI\n",
    "bots[].username": ciBot,
    "bots[].display_name": ciBot + "    display_name: CI\n",
    "bots[].description": ciBot + "    description: deploys from the pipeline\n",
    "bots[].owner": "users:\n  - username: alice\n" + ciBot + "    owner: alice\n",
    "bots[].roles": ciBot + "    roles: [system_user, system_post_all]\n",
    "bots[].active": ciBot + "    active: false\n",
    "bots[].tokens": ciBot + "    tokens:\n      - description: deploy\n        rotate_after_days: 90\n",
    "settings.managed_fields": "settings:\n  managed_fields: [email, first_name, last_name, roles, tokens]\n",
    "defaults.nickname": "defaults:\n  nickname: \"\"\n",
    "defaults.position": "defaults:\n  position: Engineer\n",
    "defaults.locale": "defaults:\n  locale: de\n",
    "defaults.roles": "defaults:\n  roles: [system_user]\n",
    "defaults.active": "defaults:\n  active: true\n",
    "defaults.auth_service": "defaults:\n  auth_service: saml\n",
    "defaults.teams": "defaults:\n  teams:\n    eng: {}          # users without a teams key join eng\n",
    "users[].username": alice,
    "users[].email": alice + "    email: alice@example.com\n",
    "users[].first_name": alice + "    first_name: Alice\n",
    "users[].last_name": alice + "    last_name: Liddell\n",
    "users[].nickname": alice + "    nickname: al\n",
    "users[].position": alice + "    position: Site Reliability Engineer\n",
    "users[].locale": alice + "    locale: pt-BR\n",
    "users[].roles": alice + "    roles: [system_user, system_admin]\n",
    "users[].active": alice + "    active: false     # deactivates alice\n",
    "users[].password": alice + "    password: ${ALICE_PASSWORD}   # from the environment, on create only\n",
    "users[].auth_service": alice + "    auth_service: ldap\n    auth_data: alice\n",
    "users[].auth_data": alice + "    auth_service: gitlab\n    auth_data: \"4711\"\n",
    "users[].email_verified": alice + "    email: alice@example.com\n    email_verified: true\n",
    "users[].tokens": alice + "    tokens:\n      - description: ci-deploy\n",
    "users[].teams": alice + "    teams:\n      eng: [admin]\n      ops: []\n",
    "users[].previous_usernames": "users:\n  - username: robin\n    previous_usernames: [rob]\n",
    "users[].ignore_fields": alice + "    nickname: al\n    ignore_fields: [nickname]\n",
    "users[].initial_password":
      "users:\n  - username: nina\n    email: nina@example.com\n    initial_password: generate\n",
    "users[].send_password_reset":
      "users:\n  - username: nina\n    email: nina@example.com\n    initial_password: generate\n"
      + "    send_password_reset: true\n",
    "users[].tokens[].description": alice + "    tokens:\n      - description: ci-deploy\n",
    "users[].tokens[].active": alice + "    tokens:\n      - description: old-ci\n        active: false\n",
    "users[].tokens[].expires_in_days": alice + "    tokens:\n      - description: ci\n        expires_in_days: 90\n",
    "users[].tokens[].rotate_after_days":
      alice + "    tokens:\n      - description: ci\n        rotate_after_days: 30\n",
    "users[].teams.TEAM.roles": alice + "    teams:\n      eng:\n        roles: [admin]\n",
    "users[].teams.TEAM.channels":
      alice + "    teams:\n      eng:\n        channels:\n          incidents: [admin]\n          deploys: []\n",
    "teams.TEAM.unmanaged_members": "teams:\n  eng:\n    unmanaged_members: remove\n",
    "teams.TEAM.channels": "teams:\n  eng:\n    channels:\n      incidents:\n        unmanaged_members: remove\n",
    "teams.TEAM.channels.CHANNEL.unmanaged_members":
      "teams:\n  eng:\n    channels:\n      deploys:\n        unmanaged_members: ignore\n",
  ]
}
