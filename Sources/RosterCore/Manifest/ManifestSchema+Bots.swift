/// The `bots:` entry's schema (`$defs/bot`), kept apart so the main schema stays readable. Limits are the
/// server's (model/bot.go IsValidCreate: display name up to 64 characters, description up to 1024).
extension ManifestSchema {
  /// `settings.unmanaged_bots`, `settings.on_deactivate`, `settings.scope` and `settings.owner`.
  static let botSettingsProperties = #"""
    "unmanaged_bots": {
      "description": "What to do with bots no bots entry declares: left alone (ignore) or disabled (disable). unmanaged_users never touches bots.",
      "enum": [\#(UnmanagedBotPolicy.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))],
      "default": "ignore"
    },
    "on_deactivate": {
      "description": "What deactivating an account (or disabling a bot) does to its active personal access tokens, in the same plan: disable them, revoke them, or keep them (the server keeps them, and they work again on reactivation). A reactivation enables only the tokens the manifest declares.",
      "enum": [\#(DeactivationTokenPolicy.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))],
      "default": "disable_tokens"
    },
    "scope": {
      "description": "The accounts this manifest governs, so several manifests can share one server. An account is in scope when it matches every criterion given (a list matches when any entry does). Accounts outside the scope are never changed and never counted as unmanaged; a declared user outside it is an error.",
      "type": "object",
      "additionalProperties": false,
      "minProperties": 1,
      "properties": {
        "usernames": { "description": "Username globs: * matches any run of characters, ? one character.", "type": "array", "minItems": 1, "items": { "type": "string", "minLength": 1 } },
        "email_domains": { "description": "Domains the account's email must be in, such as example.com (exact match, no subdomains).", "type": "array", "minItems": 1, "items": { "type": "string", "minLength": 1, "pattern": "^[^@]+$" } },
        "auth_services": { "description": "Sign-in services, such as email (email/password accounts), ldap, saml, gitlab or openid.", "type": "array", "minItems": 1, "items": { "type": "string", "minLength": 1 } }
      }
    },
    "owner": {
      "description": "This manifest's name as an owner: roster marks the accounts it creates or adopts with it (the key \#(OwnerMarker.key) in the user's props), refuses declared accounts another owner marked, and unmanaged_users: deactivate touches only accounts carrying this mark.",
      "type": "string",
      "pattern": "^[a-z0-9._-]{1,64}$"
    }
    """#.replacingEvery("\n", with: "\n            ")

  static let botDefinition = #"""
    "bot": {
      "type": "object",
      "additionalProperties": false,
      "required": ["username"],
      "properties": {
        "username": { "description": "The key; bots and users share one name space. Matched case-insensitively; the server stores it lowercase.", "type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$" },
        "display_name": { "description": "Shown as the bot's name. Absent: not managed.", "type": "string", "maxLength": 64 },
        "description": { "description": "What the bot is for. Absent: not managed.", "type": "string", "maxLength": 1024 },
        "owner": { "description": "The username of the user who owns the bot; reassigned when it differs. A bot roster creates is owned by the acting user until then. Absent: not managed.", "type": "string" },
        "roles": { "$ref": "#/$defs/roles" },
        "active": { "description": "false disables the bot (its user is deactivated with it).", "type": "boolean", "default": true },
        "tokens": {
          "description": "The bot's personal access tokens, matched by description; undeclared ones are revoked. Absent: tokens are not managed.",
          "type": "array",
          "items": { "$ref": "#/$defs/token" }
        }
      }
    },
    """#
}
