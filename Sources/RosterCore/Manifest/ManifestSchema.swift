/// The JSON Schema (draft 2020-12) of manifest version 1, for editors through yaml-language-server.
///
/// Generated: the profile fields come from `ProfileField`, so a new field appears here by itself.
/// `schemas/roster.schema.json` is this text, committed; a test regenerates it and fails when they differ
/// (`swift run roster schema > schemas/roster.schema.json` updates it), and another checks that the
/// schema's property names are exactly the keys `ManifestLoader` accepts.
public enum ManifestSchema {
  /// `"key": schema` lines for the fields `defaults:` may set (as references into `$defs`).
  private static let defaultsProfileProperties = ProfileField.allCases.filter(\.defaultsMaySet)
    .map { "\"\($0.key)\": " + reference($0) + "," }.joined(separator: "\n        ")
  /// A user's profile fields: shared definitions by reference, the others inline.
  private static let userProfileProperties = ProfileField.allCases
    .map { "\"\($0.key)\": " + ($0.defaultsMaySet ? reference($0) : $0.schema) + "," }
    .joined(separator: "\n        ")
  /// The `$defs` entries of the fields `defaults:` may set.
  private static let profileDefinitions = ProfileField.allCases.filter(\.defaultsMaySet)
    .map { "\"\($0.key)\": \($0.schema)," }.joined(separator: "\n    ")

  /// One threshold property per safety gate, from `GateKind`.
  private static let gateProperties = GateKind.allCases.map { kind in
    """
    "\(kind.key)": {
                  "description": "Safety gate: the most \(kind.noun) one plan may hold without --force, as a count or a percentage (operator flags and the default may only be tightened here).",
                  "oneOf": [
                    { "type": "integer", "minimum": 0 },
                    { "type": "string", "pattern": "^(100|[1-9]?[0-9])%$" }
                  ],
                  "default": "\(kind.defaultThreshold)"
                },
    """
  }.joined(separator: "\n            ")

  private static func reference(_ field: ProfileField) -> String { "{ \"$ref\": \"#/$defs/\(field.key)\" }" }

  public static let json = #"""
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "$id": "https://roster.dev/schemas/roster.schema.json",
      "title": "Roster manifest",
      "description": "Mattermost user accounts as code: the users, their profile fields, system roles, active state, personal access tokens and team and channel memberships.",
      "type": "object",
      "additionalProperties": false,
      "required": ["version"],
      "properties": {
        "version": {
          "description": "Manifest format version.",
          "const": 1
        },
        "settings": {
          "description": "Roster-wide behaviour and safety gates. May appear in one file only.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "unmanaged_users": {
              "description": "What to do with server users not listed here. Bots, protected users and the acting user are never deactivated.",
              "enum": ["ignore", "deactivate"],
              "default": "ignore"
            },
            "protected_users": {
              "description": "Usernames roster never changes.",
              "type": "array",
              "items": { "type": "string" }
            },
            \#(gateProperties)
            "required_admins": {
              "description": "Usernames that must be active system admins after every plan.",
              "type": "array",
              "items": { "type": "string" }
            },
            "min_system_admins": {
              "description": "Invariant: after apply at least this many active system admins remain.",
              "type": "integer",
              "minimum": 0,
              "default": 1
            },
            "managed_fields": {
              "description": "The fields roster compares and changes; the others are sent on create only. Absent: every field the manifest mentions.",
              "$ref": "#/$defs/field_names"
            },
            \#(botSettingsProperties)
          }
        },
        "defaults": {
          "description": "Values merged under every user; a user's own value wins. May appear in one file only.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            \#(defaultsProfileProperties)
            "roles": { "$ref": "#/$defs/roles" },
            "active": { "$ref": "#/$defs/active" },
            "auth_service": { "$ref": "#/$defs/auth_service" },
            "teams": { "$ref": "#/$defs/teams" }
          }
        },
        "teams": {
          "description": "Registry of teams: scope and policy only, never member lists. Any file may add teams; each team once.",
          "type": "object",
          "propertyNames": { "$ref": "#/$defs/team_name" },
          "additionalProperties": { "$ref": "#/$defs/team_policy" }
        },
        "users": {
          "description": "The user accounts roster manages, one entry each. Any file may add users; a username once.",
          "type": "array",
          "items": { "$ref": "#/$defs/user" }
        },
        "bots": {
          "description": "The bot accounts roster manages, one entry each; bots and users share one name space. A bot nobody declares is left alone unless settings.unmanaged_bots is disable.",
          "type": "array",
          "items": { "$ref": "#/$defs/bot" }
        }
      },
      "$defs": {
        \#(botDefinition)
        "user": {
          "type": "object",
          "additionalProperties": false,
          "required": ["username"],
          "properties": {
            "username": {
              "description": "The key. Matched case-insensitively; the server stores it lowercase.",
              "type": "string",
              "pattern": "^[A-Za-z0-9._-]{1,64}$"
            },
            \#(userProfileProperties)
            "roles": { "$ref": "#/$defs/roles" },
            "active": { "$ref": "#/$defs/active" },
            "password": {
              "description": "Used only when the user is created, never compared. Write ${VARIABLE}: secrets do not belong in Git.",
              "type": "string"
            },
            "auth_service": { "$ref": "#/$defs/auth_service" },
            "auth_data": {
              "description": "The user's id at the identity provider; goes with auth_service.",
              "type": "string",
              "maxLength": 128
            },
            "email_verified": {
              "description": "true creates the user with a verified address (sent on create only, never compared).",
              "type": "boolean"
            },
            "tokens": {
              "description": "Absent: tokens are not managed. Present: the exact set of personal access tokens, keyed by description.",
              "type": "array",
              "items": { "$ref": "#/$defs/token" }
            },
            "teams": { "$ref": "#/$defs/teams" },
            "previous_usernames": {
              "description": "Names the account had before: when the username is not on the server and one of these is, the account is renamed in place (same id, messages and memberships).",
              "type": "array",
              "items": { "type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$" }
            },
            "ignore_fields": {
              "description": "Fields of this user roster sets on create and leaves alone afterwards.",
              "$ref": "#/$defs/field_names"
            },
            "initial_password": {
              "description": "generate: roster makes a password that meets the server's policy and writes it to the secrets file (never to output).",
              "const": "generate"
            },
            "send_password_reset": {
              "description": "true: after creating the user, the server mails a password reset link.",
              "type": "boolean"
            }
          }
        },
        "teams": {
          "description": "The user's teams by team name (the URL name, never the display name). Absent: memberships are not managed (defaults.teams fills it). {}: exactly no teams. A team left out is one the user leaves, with all its channels.",
          "type": "object",
          "propertyNames": { "$ref": "#/$defs/team_name" },
          "additionalProperties": { "$ref": "#/$defs/team_membership" }
        },
        "team_membership": {
          "description": "A list of roles ([] a plain member, [admin] a team admin) or a mapping with roles and channels; {} is a member whose admin flag and channels are not managed.",
          "oneOf": [
            { "$ref": "#/$defs/membership_roles" },
            { "$ref": "#/$defs/team_membership_fields" }
          ]
        },
        "team_membership_fields": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "roles": {
              "description": "[] a plain member, [admin] a team admin. Absent: the admin flag is not managed.",
              "$ref": "#/$defs/membership_roles"
            },
            "channels": {
              "description": "The user's channels in this team by channel name, each with its roles. Absent: not managed. {}: only the default channels (town-square, off-topic), which are never left; listing one sets the role there. A guest declares at least one channel in each team.",
              "type": "object",
              "propertyNames": { "$ref": "#/$defs/channel_name" },
              "additionalProperties": { "$ref": "#/$defs/membership_roles" }
            }
          }
        },
        "membership_roles": {
          "description": "[] a plain member, [admin] the team's or channel's admin (scheme_admin). Guests are never admins.",
          "type": "array",
          "uniqueItems": true,
          "items": { "enum": [\#(MembershipRole.all.sorted().map { "\"\($0)\"" }.joined(separator: ", "))] }
        },
        "team_name": {
          "description": "A team's URL name (model.IsValidTeamName): lowercase letters, digits and '-', starting and ending with a letter or digit.",
          "type": "string",
          "minLength": \#(ServerRules.teamNameMinLength),
          "maxLength": \#(ServerRules.teamNameMaxLength),
          "pattern": "^[a-z0-9]+([a-z0-9-]+|(__)?)[a-z0-9]+$"
        },
        "channel_name": {
          "description": "A channel's URL name (model.IsValidChannelIdentifier): lowercase letters, digits, '-' and '_', starting with a letter or digit.",
          "type": "string",
          "minLength": 1,
          "maxLength": \#(ServerRules.channelNameMaxLength),
          "pattern": "^[a-z0-9]+([a-z0-9_-]+|(__)?)[a-z0-9]*$"
        },
        "team_policy": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "unmanaged_members": { "$ref": "#/$defs/unmanaged_members" },
            "channels": {
              "description": "Policies of this team's channels by channel name.",
              "type": "object",
              "propertyNames": { "$ref": "#/$defs/channel_name" },
              "additionalProperties": { "$ref": "#/$defs/channel_policy" }
            }
          }
        },
        "channel_policy": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "unmanaged_members": { "$ref": "#/$defs/unmanaged_members" }
          }
        },
        "unmanaged_members": {
          "description": "Members no user entry declares: left alone (ignore) or removed (remove). town-square cannot be remove: the server keeps everyone but guests in it.",
          "enum": [\#(UnmanagedMembersPolicy.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))],
          "default": "ignore"
        },
        "field_names": {
          "type": "array",
          "uniqueItems": true,
          "items": { "enum": [\#(ManagedField.all.map { "\"\($0.key)\"" }.joined(separator: ", "))] }
        },
        "token": {
          "type": "object",
          "additionalProperties": false,
          "required": ["description"],
          "properties": {
            "description": { "description": "The token's key: declared and live tokens are matched by description.", "type": "string", "minLength": 1, "maxLength": 255 },
            "active": { "description": "false disables the token.", "type": "boolean", "default": true },
            "expires_in_days": {
              "description": "Lifetime of a new token, for servers with a maximum token lifetime; an expired token is replaced.",
              "type": "integer", "minimum": 1, "maximum": 36500
            },
            "rotate_after_days": {
              "description": "Replace the token (create, keep the secret, then revoke) once the secrets file's record says it is this many days old.",
              "type": "integer", "minimum": 1, "maximum": 36500
            }
          }
        },
        \#(profileDefinitions)
        "active": {
          "description": "false deactivates the user.",
          "type": "boolean",
          "default": true
        },
        "roles": {
          "description": "A set of the server's built-in system roles including system_user, or exactly [system_guest] for a guest. Absent: roles are not managed.",
          "oneOf": [
            { "const": ["system_guest"] },
            {
              "type": "array",
              "uniqueItems": true,
              "contains": { "const": "system_user" },
              "items": {
                "enum": [
                  "system_user", "system_admin", "system_post_all", "system_post_all_public",
                  "system_user_access_token", "system_user_manager", "system_read_only_admin", "system_manager",
                  "system_custom_group_admin", "system_shared_channel_manager"
                ]
              }
            }
          ]
        },
        "auth_service": {
          "description": "Single sign-on service; needs auth_data.",
          "enum": ["ldap", "saml", "gitlab", "google", "office365", "openid"]
        }
      }
    }
    """# + "\n"
}
