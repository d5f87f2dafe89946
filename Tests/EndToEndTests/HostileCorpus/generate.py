#!/usr/bin/env python3
"""Writes the hostile-input manifest corpus next to this script.

Every file is a manifest that `roster validate -f FILE` and `roster plan -f FILE` must refuse with
exit status 1 and at least one `FILE:LINE:COL: error: ...` diagnostic, without sending any request.
The cases complement Tests/RosterCoreTests/Fixtures/bad/ (which holds one plain example per rule) with
the hostile variants: limits, encodings, aliases, control characters, tags, environment references.

Deterministic and re-runnable: the same bytes on every run, no randomness, no clock. It writes the
corpus files into its own directory and nothing else.

    python3 Tests/EndToEndTests/HostileCorpus/generate.py
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_FILE_BYTES = 400 * 1024

CASES = {}  # file name -> bytes


def case(name, content):
    """Registers one case; content is str (written as UTF-8) or bytes (written as is)."""
    if name in CASES:
        raise SystemExit(f"duplicate case name {name}")
    if not (name.endswith(".yaml") or name.endswith(".yml")):
        raise SystemExit(f"bad extension: {name}")
    stem = name.rsplit(".", 1)[0]
    if stem != stem.lower() or not all(c.isalnum() or c == "-" for c in stem):
        raise SystemExit(f"not lowercase-kebab: {name}")
    data = content.encode("utf-8") if isinstance(content, str) else content
    if len(data) > MAX_FILE_BYTES:
        raise SystemExit(f"{name} is {len(data)} bytes; keep each file under {MAX_FILE_BYTES}")
    CASES[name] = data


V = "version: 1\n"
U = "version: 1\nusers:\n"


def user(name="alice", **fields):
    lines = [f"  - username: {name}"]
    for key, value in fields.items():
        lines.append(f"    {key}: {value}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------
# Deep nesting: flow and block, in users and in settings (the fixture has one flow case in a nickname).
# The root mapping is level 1, so N levels in total means N - 1 brackets below it.
# --------------------------------------------------------------------------------------------------

def flow_seq(levels, inner="x"):
    return "[" * levels + inner + "]" * levels


def flow_map(levels, key="k"):
    return ("{" + key + ": ") * levels + "x" + "}" * levels


case("nesting-flow-users-257.yaml", V + "users: " + flow_seq(256) + "\n")
case("nesting-flow-users-300.yaml", V + "users: " + flow_seq(299) + "\n")
case("nesting-flow-users-5000.yaml", V + "users: " + flow_seq(4999) + "\n")
case("nesting-flow-unclosed-5000.yaml", V + "users: " + "[" * 5000 + "\n")
case("nesting-flow-mappings-in-user-300.yaml", U + "  - username: alice\n    nickname: " + flow_map(298) + "\n")
case("nesting-flow-settings-257.yaml", V + "settings:\n  protected_users: " + flow_seq(255) + "\n")
case("nesting-flow-settings-5000.yaml", V + "settings: " + flow_map(5000) + "\n")
case("nesting-flow-token-description-300.yaml",
     U + "  - username: alice\n    tokens:\n      - description: " + flow_seq(300) + "\n")
case("nesting-flow-explicit-key-300.yaml", U + "  - ? " + flow_seq(300) + "\n    : alice\n")
case("nesting-flow-defaults-roles-300.yaml", V + "defaults:\n  roles: " + flow_seq(300, "system_user") + "\n")


def block_seq_compact(levels, inner="x"):
    # "- - - x": each "- " opens one block sequence.
    return "- " * levels + inner


case("nesting-block-users-257.yaml", V + "users:\n  " + block_seq_compact(256, "username: alice") + "\n")
case("nesting-block-users-300.yaml", V + "users:\n  " + block_seq_compact(299) + "\n")
case("nesting-block-users-5000.yaml", V + "users:\n" + block_seq_compact(5000) + "\n")


def block_map(levels, indent0, key="k"):
    out = []
    for i in range(levels):
        out.append(" " * (indent0 + i) + f"{key}{i}:")
    out.append(" " * (indent0 + levels) + "x")
    return "\n".join(out) + "\n"


case("nesting-block-mappings-in-user-300.yaml", U + "  - username: alice\n    nickname:\n" + block_map(298, 5))
case("nesting-block-settings-300.yaml", V + "settings:\n" + block_map(300, 1))
case("nesting-block-settings-seq-5000.yaml", V + "settings:\n  protected_users:\n  " + block_seq_compact(5000) + "\n")
case("nesting-block-defaults-257.yaml", V + "defaults:\n" + block_map(256, 1))
case("nesting-mixed-block-then-flow-300.yml",
     V + "users:\n" + block_map(150, 1).replace("x\n", "") + " " * 152 + flow_seq(150) + "\n")

# An alias can carry a deep subtree into a deep place: 200 levels anchored, used 100 levels down.
case("nesting-alias-carries-depth.yaml",
     V + "anchor: &deep " + flow_seq(200) + "\nusers: " + "[" * 100 + "*deep" + "]" * 100 + "\n")

# --------------------------------------------------------------------------------------------------
# Wide mappings and long lists.
# --------------------------------------------------------------------------------------------------

case("wide-user-keys-5000.yaml",
     U + "  - username: alice\n" + "".join(f"    k{i:05d}: x\n" for i in range(5000)))
case("wide-user-keys-20000.yaml",
     U + "  - username: alice\n" + "".join(f"    k{i:05d}: 1\n" for i in range(20000)))
case("wide-settings-keys-10000.yaml", V + "settings:\n" + "".join(f"  s{i:05d}: 1\n" for i in range(10000)))
case("wide-top-level-keys-10000.yaml", V + "".join(f"t{i:05d}: 1\n" for i in range(10000)))
case("wide-duplicate-key-after-20000.yaml",
     V + "extra:\n" + "".join(f"  k{i:05d}: 1\n" for i in range(20000)) + "  k00000: 2\n")
case("wide-duplicate-key-at-17.yaml",
     V + "settings:\n" + "".join(f"  z{i:02d}: 1\n" for i in range(16)) + "  z03: 2\n")
case("wide-flow-mapping-one-line-10000.yaml",
     U + "  - {username: alice, " + ", ".join(f"k{i}: 1" for i in range(10000)) + "}\n")
case("wide-users-15000-one-invalid.yaml",
     U + "".join(f"  - {{username: u{i:05d}}}\n" if i != 9876 else "  - {username: u09876!}\n"
                 for i in range(15000)))
case("wide-users-12000-duplicate-last.yaml",
     U + "".join(f"  - {{username: u{i:05d}}}\n" for i in range(12000)) + "  - {username: U00000}\n")
case("wide-roles-10000-one-unknown.yaml",
     U + "  - username: alice\n    roles:\n"
     + "".join("      - system_user\n" if i != 7777 else "      - system_root\n" for i in range(10000)))
case("wide-previous-usernames-10000-one-invalid.yaml",
     U + "  - username: alice\n    previous_usernames:\n"
     + "".join(f"      - p{i:05d}\n" if i != 8888 else "      - \"p 08888\"\n" for i in range(10000)))
case("wide-protected-users-20000-one-null.yaml",
     V + "settings:\n  protected_users:\n"
     + "".join(f"    - p{i:05d}\n" if i != 19999 else "    - ~\n" for i in range(20000)))
case("wide-managed-fields-5000-one-unknown.yaml",
     V + "settings:\n  managed_fields:\n"
     + "".join("    - email\n" if i != 4321 else "    - password\n" for i in range(5000)))

# Tokens with 10,000 entries of which one is bad.
case("tokens-10000-one-empty-description.yaml",
     U + "  - username: alice\n    tokens:\n"
     + "".join(f"    - description: t{i:05d}\n" if i != 5000 else "    - description: \"\"\n"
               for i in range(10000)))
case("tokens-10000-one-duplicate.yaml",
     U + "  - username: alice\n    tokens:\n"
     + "".join(f"    - description: t{i:05d}\n" for i in range(10000)) + "    - description: t00042\n")
case("tokens-10000-one-rotate-zero.yml",
     U + "  - username: alice\n    tokens:\n"
     + "".join(f"    - {{description: t{i:05d}}}\n" if i != 9999
               else f"    - {{description: t{i:05d}, rotate_after_days: 0}}\n" for i in range(10000)))

# --------------------------------------------------------------------------------------------------
# Long scalars (about 70 KB), long keys and long lines.
# --------------------------------------------------------------------------------------------------

K70 = 70 * 1024
case("long-username-70k.yaml", U + user("a" * K70))
case("long-username-70k-double-quoted-escapes.yaml", U + '  - username: "' + "\\x61" * (K70 // 4) + '"\n')
case("long-username-literal-block-2000-lines.yaml", U + "  - username: |\n" + "      alice\n" * 2000)
case("long-email-70k.yaml", U + user("alice", email="a" * K70 + "@example.com"))
case("long-email-70k-domain-labels.yaml", U + user("alice", email="alice@" + "a." * (K70 // 2) + "com"))
case("long-nickname-70k.yaml", U + user("alice", nickname="n" * K70))
case("long-first-name-70k-multibyte.yaml", U + user("alice", first_name="日" * (K70 // 3)))
case("long-position-70k-folded.yaml",
     U + "  - username: alice\n    position: >\n" + "      word word word word word word word\n" * 1800)
case("long-token-description-70k.yaml",
     U + "  - username: alice\n    tokens:\n      - description: " + "d" * K70 + "\n")
case("long-password-70k.yaml", U + user("alice", password="p" * K70))
case("long-password-env-name-70k-in-nickname.yaml", U + user("alice", nickname="${" + "A" * K70 + "}"))
case("long-auth-data-70k.yaml", U + user("alice", auth_service="ldap", auth_data="x" * K70))
case("long-locale-70k.yaml", U + user("alice", locale="e" * K70))
case("long-role-70k.yaml", U + user("alice", roles="[system_user, " + "r" * K70 + "]"))
case("long-key-100k-plain.yaml", U + "  - username: alice\n    " + "k" * (100 * 1024) + ": x\n")
case("long-key-100k-explicit.yaml", U + "  - username: alice\n    ? " + "k" * (100 * 1024) + "\n    : x\n")
case("long-key-100k-quoted-top-level.yaml", V + '"' + "q" * (100 * 1024) + '": 1\n')
case("long-line-comment-300k-then-error.yaml",
     "# " + "c" * (300 * 1024) + "\n" + U + user("alice", email="not-an-email"))
case("long-line-flow-users-200k.yaml",
     V + "users: [" + ", ".join(f"{{username: u{i:05d}}}" for i in range(9000)) + ", {username: \"bad name\"}]\n")
case("long-line-300k-error-at-end.yaml",
     V + "settings: {protected_users: [" + ", ".join(f"p{i:05d}" for i in range(40000)) + "], max_deactivations: -1}\n")

# --------------------------------------------------------------------------------------------------
# Aliases: bombs in other places and shapes than the fixture, chains, keys, recursion, merge keys.
# --------------------------------------------------------------------------------------------------

def laughs(prefix, levels, width, indent=""):
    out = [f"{indent}{prefix}0: &{prefix}0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        out.append(f"{indent}{prefix}{i}: &{prefix}{i} [" + ", ".join([f"*{prefix}{i-1}"] * width) + "]")
    return "\n".join(out) + "\n"


case("alias-bomb-in-users-list.yaml",
     V + "users:\n  - username: alice\n    nickname: &n0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
     + "".join(f"  - username: u{i}\n    nickname: &n{i} [" + ", ".join([f"*n{i-1}"] * 10) + "]\n"
               for i in range(1, 9)))
case("alias-bomb-mappings.yaml",
     V + "m0: &m0 {a: lol, b: lol, c: lol, d: lol, e: lol, f: lol, g: lol, h: lol}\n"
     + "".join(f"m{i}: &m{i} {{a: *m{i-1}, b: *m{i-1}, c: *m{i-1}, d: *m{i-1}, e: *m{i-1}, f: *m{i-1}, "
               f"g: *m{i-1}, h: *m{i-1}}}\n" for i in range(1, 9)))
case("alias-bomb-in-settings.yaml",
     V + "settings:\n  protected_users: &p0 [a, a, a, a, a, a, a, a, a, a]\n"
     + "  required_admins: [" + ", ".join(["*p0"] * 10) + "]\n"
     + "defaults:\n  roles: &p1 [" + ", ".join(["*p0"] * 10) + "]\n"
     + "users:\n" + "".join(f"  - username: u{i}\n    roles: &p{i+2} [" + ", ".join([f"*p{i+1}"] * 10) + "]\n"
                              for i in range(6)))
case("alias-bomb-binary-chain-40.yaml",
     V + "b0: &b0 [lol, lol]\n" + "".join(f"b{i}: &b{i} [*b{i-1}, *b{i-1}]\n" for i in range(1, 40)))
case("alias-bomb-flat-many-aliases.yaml",
     V + "big: &big [" + ", ".join("x" for _ in range(1000)) + "]\n"
     + "many:\n" + "".join("  - *big\n" for _ in range(2000)))
case("alias-bomb-token-descriptions.yaml",
     U + "  - username: alice\n    tokens:\n      - description: ok\n        active: &t0 [x, x, x, x, x, x, x, x, x, x]\n"
     + "".join(f"      - description: t{i}\n        active: &t{i} [" + ", ".join([f"*t{i-1}"] * 10) + "]\n"
               for i in range(1, 8)))
case("alias-bomb-as-keys.yaml",
     V + laughs("k", 6, 10) + "users:\n  - username: alice\n    *k5 : 1\n")
case("alias-chain-user-repeated.yaml", U + "  - &u {username: alice}\n  - *u\n")
case("alias-chain-500-anchors.yaml",
     V + "a0: &a0 alice\n" + "".join(f"a{i}: &a{i} [*a{i-1}]\n" for i in range(1, 500))
     + "users:\n  - username: *a499\n")
case("alias-anchor-on-alias.yaml", V + "a: &a alice\nb: &b *a\nusers:\n  - username: *b\n")
case("alias-recursive-self.yaml", V + "users: &u\n  - username: alice\n    tokens: *u\n")
case("alias-recursive-flow.yaml", V + "a: &a [*a]\n")
case("alias-defined-after-use.yaml", U + "  - username: *later\n" + "later: &later alice\n")
case("alias-anchor-redefined.yaml",
     U + "  - username: &name alice\n  - username: &name bob\n  - username: *name\n")
case("alias-mapping-as-key.yaml", V + "base: &m {username: alice}\nusers:\n  - *m : alice\n")
case("alias-sequence-as-key-in-settings.yaml", V + "roles: &r [system_user]\nsettings:\n  ? *r\n  : ignore\n")
case("alias-scalar-as-version.yaml", "users:\n  - username: &v 2\nversion: *v\n")
case("alias-user-as-username.yaml", U + "  - &a {username: alice}\n  - username: *a\n")
case("alias-merge-key-user.yaml",
     U + "  - &base {username: base, roles: [system_user], locale: en}\n  - <<: *base\n    username: alice\n")
case("alias-merge-key-list.yaml",
     U + "  - &a {username: a1, locale: en}\n  - &b {username: b1, nickname: al}\n"
     + "  - username: alice\n    <<: [*a, *b]\n")
case("alias-merge-key-settings.yaml",
     V + "defaults: &d {locale: en}\nsettings:\n  <<: *d\n  min_system_admins: 1\n")
case("alias-merge-key-top-level.yaml", "users: &u []\n<<: {version: 1, users: *u}\n")
case("alias-merge-key-override-duplicate.yaml",
     V + "b: &b {username: bob}\nusers:\n  - <<: *b\n    username: alice\n    username: carol\n")
case("alias-unknown-in-flow-key.yaml", U + "  - {username: alice, *nowhere : x}\n")

# Anchors on the root node.
case("anchor-root-mapping-wrong-version.yaml", "--- &root\nversion: 2\nusers: []\n")
case("anchor-root-used-inside-itself.yaml", "&r\nversion: 1\nusers:\n  - username: alice\n    nickname: *r\n")
case("anchor-root-sequence.yaml", "&r [version, 1]\n")
case("anchor-root-tagged-scalar.yml", "--- !root &r manifest\n")

# --------------------------------------------------------------------------------------------------
# Control characters (raw and escaped), DEL, C1 and bidirectional controls in usernames, emails, keys.
# --------------------------------------------------------------------------------------------------

C0 = [c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)]

# Raw bytes: libyaml refuses them as input; the error must still be positioned.
for c in (0x00, 0x01, 0x07, 0x08, 0x0B, 0x0C, 0x1B, 0x1F):
    case(f"ctrl-raw-{c:02x}-in-username.yaml",
         (U + "  - username: al").encode() + bytes([c]) + b"ice\n")
case("ctrl-raw-esc-sequence-in-email.yaml",
     (U + "  - username: alice\n    email: alice").encode() + b"\x1b[2J\x1b[31m" + b"@example.com\n")
case("ctrl-raw-c0-in-key.yaml", (U + "  - username: alice\n    e").encode() + b"\x08mail: a@example.com\n")
case("ctrl-raw-del-in-username.yaml", (U + "  - username: al").encode() + b"\x7fice\n")
case("ctrl-raw-c1-csi-in-email.yaml",
     (U + "  - username: alice\n    email: al").encode() + "\u009b".encode() + b"ice@example.com\n")
case("ctrl-raw-c1-80-in-key.yaml", (U + "  - username: alice\n    ").encode() + "\u0080".encode() + b"nickname: x\n")
case("ctrl-raw-nel-in-username.yaml", (U + "  - username: al").encode() + "\u0085".encode() + b"ice\n")

# Escaped in double quotes: the scanner accepts them, the rules must refuse them.
case("ctrl-escaped-all-c0-in-username.yaml",
     U + '  - username: "a' + "".join(f"\\x{c:02x}" for c in C0) + '"\n')
case("ctrl-escaped-nul-in-email.yaml", U + user("alice", email='"alice\\0@example.com"'))
case("ctrl-escaped-esc-in-email.yaml", U + user("alice", email='"\\e]52;c;aGk=\\aalice@example.com"'))
case("ctrl-escaped-del-in-username.yaml", U + '  - username: "alice\\x7f"\n')
case("ctrl-escaped-c1-in-username.yaml", U + '  - username: "alice\\x9b31m"\n')
# C1 controls and bidi characters are valid in an email (Go's net/mail counts every rune >= 0x80 as
# atext, and the server accepts them), so they are tried where the rules refuse them.
case("ctrl-escaped-c1-nel-in-locale.yaml", U + user("alice", locale='"en\\x85"'))
case("ctrl-escaped-c1-csi-in-locale.yaml", U + user("alice", locale='"\\x9b31men"'))
case("ctrl-escaped-in-key.yaml", U + '  - username: alice\n    "email\\0": alice@example.com\n')
case("ctrl-escaped-in-top-level-key.yaml", V + '"users\\x1b[8m": []\n')
case("ctrl-escaped-in-role.yaml", U + user("alice", roles='[system_user, "system_admin\\x00"]'))
case("ctrl-escaped-in-previous-username.yaml", U + user("alice", previous_usernames='["al\\x1bice"]'))

# Bidirectional overrides and isolates.
case("bidi-rlo-in-username.yaml", U + '  - username: "admin\\u202Enimda"\n')
case("bidi-rlo-raw-in-username.yaml", U + "  - username: admin\u202enimda\n")
case("bidi-isolates-in-username.yaml", U + '  - username: "al\\u2066i\\u2067c\\u2068e\\u2069"\n')
case("bidi-rlo-in-locale.yaml", U + user("alice", locale='"en\\u202E"'))
case("bidi-isolates-in-auth-service.yaml", U + user("alice", auth_service='"\\u2066saml\\u2069"', auth_data="x"))
case("bidi-rlo-in-key.yaml", U + '  - username: alice\n    "\\u202Eliame": alice@example.com\n')
case("bidi-rlo-raw-in-settings-key.yaml", V + "settings:\n  \u202eunmanaged_users: deactivate\n")
case("bidi-lri-in-role.yaml", U + user("alice", roles='[system_user, "\\u2066system_admin\\u2069"]'))

# NUL bytes in the middle of a file.
case("nul-byte-between-lines.yaml", (U + user("alice")).encode() + b"\x00\n" + user("bob").encode())
case("nul-byte-in-comment.yaml", b"version: 1 # a\x00b\nusers: []\n")
case("nul-byte-in-double-quoted.yaml", (U + '  - username: "al').encode() + b"\x00" + b'ice"\n')
case("nul-byte-after-document-end.yaml", (U + user("alice")).encode() + b"...\n\x00")
case("nul-bytes-run-1000.yaml", V.encode() + b"\x00" * 1000 + b"users: []\n")
case("nul-byte-at-line-5000.yaml",
     (U + "".join(f"  - {{username: u{i:05d}}}\n" for i in range(4998))).encode() + b"  - {username: x\x00}\n")

# --------------------------------------------------------------------------------------------------
# Line endings and byte order marks combined with errors.
# --------------------------------------------------------------------------------------------------

def crlf(text):
    return text.replace("\n", "\r\n")


case("crlf-invalid-email.yaml", crlf(U + user("alice", email="alice@@example.com")))
case("crlf-duplicate-key.yaml", crlf(U + "  - username: alice\n    locale: en\n    locale: de\n"))
case("crlf-unknown-alias.yaml", crlf(U + user("alice", nickname="*ghost")))
case("crlf-inside-double-quoted-username.yaml", U + '  - username: "al\r\n  ice"\n')
case("cr-only-line-endings-invalid-username.yaml", (U + user("Al Ice")).replace("\n", "\r"))
case("cr-only-line-endings-wrong-version.yaml", "version: 3\rusers: []\r")
case("cr-mixed-endings-syntax-error.yaml", "version: 1\r\nusers:\r  - username: alice\n   email: x\r\n")
case("cr-in-key.yaml", U + '  - username: alice\n    "nick\\rname": x\n')
case("bom-utf8-invalid-email.yaml", "\ufeff" + U + user("alice", email="alice"))
case("bom-utf8-comment-first-invalid-email.yaml", "\ufeff# a comment first\n" + U + user("alice", email="alice"))
case("bom-utf8-twice.yaml", "\ufeff\ufeff" + U + user("alice"))
case("bom-utf8-inside-username.yaml", U + "  - username: al\ufeffice\n")
case("bom-utf8-crlf-duplicate-key.yaml", "\ufeff" + crlf(V + "users: []\nusers: []\n"))
case("bom-utf8-in-middle-of-file.yaml", V + "\ufeffusers:\n  - username: alice\n    active: maybe\n")

# UTF-16 and UTF-32: refused as not UTF-8 (a manifest the editor saved in the wrong encoding).
PLAIN = U + user("alice", email="alice@example.com")
case("utf16le-bom.yaml", b"\xff\xfe" + PLAIN.encode("utf-16-le"))
case("utf16be-bom.yaml", b"\xfe\xff" + PLAIN.encode("utf-16-be"))
case("utf16le-no-bom.yaml", PLAIN.encode("utf-16-le"))
case("utf16be-no-bom.yaml", PLAIN.encode("utf-16-be"))
case("utf16le-bom-with-error.yaml", b"\xff\xfe" + (U + user("bad name")).encode("utf-16-le"))
case("utf32le-bom.yml", b"\xff\xfe\x00\x00" + PLAIN.encode("utf-32-le"))

# Invalid UTF-8.
def bad_utf8(name, prefix, bad, suffix=b"\n"):
    case(name, prefix.encode() + bad + suffix)


bad_utf8("utf8-overlong-slash.yaml", U + "  - username: a", b"\xc0\xaf", b"b\n")
bad_utf8("utf8-overlong-3-byte-nul.yaml", U + "  - username: a", b"\xe0\x80\x80", b"b\n")
bad_utf8("utf8-overlong-4-byte.yaml", U + "  - username: a", b"\xf0\x80\x80\xaf", b"b\n")
bad_utf8("utf8-surrogate-high.yaml", U + "  - username: alice\n    email: a", b"\xed\xa0\x80", b"@example.com\n")
bad_utf8("utf8-surrogate-pair-cesu8.yaml", U + "  - username: a", b"\xed\xa0\xbd\xed\xb8\x80", b"\n")
bad_utf8("utf8-truncated-at-eof.yaml", U + "  - username: alice\n    nickname: caf", b"\xc3", b"")
bad_utf8("utf8-truncated-3-byte-mid-line.yaml", U + "  - username: alice\n    nickname: \"", b"\xe2\x82", b"\"\n")
bad_utf8("utf8-lone-continuation.yaml", U + "  - username: ", b"\x80", b"alice\n")
bad_utf8("utf8-above-max-code-point.yaml", U + "  - username: a", b"\xf4\x90\x80\x80", b"\n")
bad_utf8("utf8-f8-five-byte.yaml", U + "  - username: a", b"\xf8\x88\x80\x80\x80", b"\n")
bad_utf8("utf8-fe-ff-bytes.yaml", "", b"\xfe\xff", ("\n" + U).encode())
bad_utf8("utf8-invalid-in-key.yaml", U + "  - username: alice\n    e", b"\xe9", b"mail: a@example.com\n")
bad_utf8("utf8-invalid-in-comment.yaml", V + "# caf", b"\xe9", b"\nusers: []\n")
case("utf8-invalid-at-line-3000.yaml",
     (U + "".join(f"  - {{username: u{i:05d}}}\n" for i in range(2997))).encode()
     + "  - {username: \"日本".encode() + b"\xe8\xaa" + b"\"}\n")
case("latin1-encoded-file.yaml", (U + user("alice", first_name="Ren\u00e9e")).encode("latin-1"))

# --------------------------------------------------------------------------------------------------
# Wrong types.
# --------------------------------------------------------------------------------------------------

case("type-username-list.yaml", U + user("[alice, bob]"))
case("type-username-block-list.yaml", U + "  - username:\n      - alice\n")
case("type-username-mapping.yaml", U + user("{first: alice}"))
case("type-email-number.yaml", U + user("alice", email="12345"))
case("type-email-float.yaml", U + user("alice", email="1.5e10"))
case("type-email-list.yaml", U + user("alice", email="[alice@example.com]"))
case("type-email-mapping.yaml", U + "  - username: alice\n    email:\n      alice: example.com\n")
case("type-tokens-bool.yaml", U + user("alice", tokens="true"))
case("type-token-bool.yaml", U + user("alice", tokens="[true, false]"))
case("type-token-description-list.yaml", U + "  - username: alice\n    tokens:\n      - description: [ci]\n")
case("type-token-description-null.yaml", U + "  - username: alice\n    tokens:\n      - description: ~\n")
case("type-token-active-string.yaml",
     U + "  - username: alice\n    tokens:\n      - description: ci\n        active: \"true\"\n")
case("type-expires-in-days-string.yaml",
     U + "  - username: alice\n    tokens:\n      - description: ci\n        expires_in_days: \"30\"\n")
case("type-null-everywhere.yaml",
     V + "settings:\n  unmanaged_users: ~\n  min_system_admins: null\n  max_deactivations:\n"
     + "defaults:\n  roles: ~\n  locale: NULL\nusers:\n  - username: alice\n    email: ~\n    active: null\n"
     + "    roles:\n    tokens: Null\n  - ~\n")
case("type-users-null.yaml", V + "users: ~\n")
case("type-users-scalar.yaml", V + "users: alice\n")
case("type-settings-list.yaml", V + "settings: [unmanaged_users, ignore]\n")
case("type-defaults-scalar.yaml", V + "defaults: none\n")
case("type-root-sequence.yaml", "- version: 1\n- users: []\n")
case("type-root-scalar.yaml", "version 1\n")
case("type-user-list.yaml", U + "  - [username, alice]\n")
case("type-active-number.yaml", U + user("alice", active="1"))
case("type-email-verified-string.yaml", U + user("alice", email_verified='"true"'))
case("type-roles-mapping.yaml", U + user("alice", roles="{system_user: true}"))
case("type-roles-nested-list.yaml", U + user("alice", roles="[[system_user]]"))
case("type-min-system-admins-float.yaml", V + "settings:\n  min_system_admins: 1.5\n")
case("type-version-single-quoted.yaml", "version: '1'\nusers: []\n")
case("type-version-float.yaml", "version: 1.0\n")
case("type-version-bool.yaml", "version: true\n")
case("type-version-null.yaml", "version:\nusers: []\n")
case("type-version-huge-integer.yaml", "version: 99999999999999999999999999\n")
case("type-version-hex.yaml", "version: 0x1\n")
case("type-version-list.yaml", "version: [1]\n")
case("type-version-2-with-valid-users.yaml", "version: 2\n" + "users:\n" + user("alice", email="alice@example.com"))
case("type-version-negative.yml", "version: -1\n")
case("type-version-infinity.yaml", "version: .inf\n")

# --------------------------------------------------------------------------------------------------
# ${ edge cases outside password (where any reference is an error) and YAML escape mistakes.
# --------------------------------------------------------------------------------------------------

case("env-dollar-brace-alone-in-username.yaml", U + user('"${"'))
case("env-empty-braces-in-email.yaml", U + user("alice", email='"${}@example.com"'))
case("env-unclosed-in-nickname.yaml", U + user("alice", nickname='"hi ${A"'))
case("env-spaces-inside-in-first-name.yaml", U + user("alice", first_name='"${ A }"'))
case("env-default-syntax-in-position.yaml", U + user("alice", position='"${A:-default}"'))
case("env-nested-in-last-name.yaml", U + user("alice", last_name='"${${A}}"'))
case("env-triple-dollar-in-username.yaml", U + user('"$$${USER}"'))
case("env-escape-then-reference-in-nickname.yaml", U + user("alice", nickname='"$${A} ${B}"'))
case("env-in-username.yaml", U + user("${USER}"))
case("env-escaped-literal-in-username.yaml", U + user('"$${USER}"'))
case("env-in-token-description.yaml", U + "  - username: alice\n    tokens:\n      - description: ci-${MM_TOKEN}\n")
case("env-in-auth-data.yaml", U + user("alice", auth_service="ldap", auth_data="${LDAP_ID}"))
case("env-in-locale.yaml", U + user("alice", locale="${LANG}"))
case("env-in-email-domain.yaml", U + user("alice", email="alice@${DOMAIN}"))
case("env-in-user-key.yaml", U + "  - username: alice\n    ${FIELD}: x\n")
case("env-in-top-level-key.yaml", V + "${SECTION}:\n  - username: alice\n")
case("env-in-previous-usernames.yaml", U + user("alice", previous_usernames="[\"${OLD}\"]"))
case("env-in-initial-password.yaml", U + user("alice", initial_password="${PW}"))
case("env-backslash-escape-in-double-quotes.yaml", U + user("alice", nickname='"\\${A}"'))
case("env-in-defaults-nickname.yaml", V + "defaults:\n  nickname: ${NICK}\n")
case("env-block-scalar-in-position.yaml", U + "  - username: alice\n    position: |\n      line one\n      ${SECRET}\n")

# --------------------------------------------------------------------------------------------------
# Duplicate keys in other places than the fixtures (user and top level).
# --------------------------------------------------------------------------------------------------

case("dup-key-in-settings.yaml", V + "settings:\n  unmanaged_users: ignore\n  unmanaged_users: deactivate\n")
case("dup-key-in-defaults.yaml", V + "defaults:\n  locale: en\n  locale: de\n")
case("dup-key-in-token.yaml",
     U + "  - username: alice\n    tokens:\n      - description: ci\n        description: cd\n")
case("dup-key-flow-mapping.yaml", U + "  - {username: alice, username: bob}\n")
case("dup-key-quoted-vs-plain.yaml", U + "  - username: alice\n    'email': a@example.com\n    \"email\": b@example.com\n")
case("dup-key-escaped-equivalent.yaml", U + "  - username: alice\n    \"user\\x6Eame\": bob\n")
case("dup-key-via-alias.yaml", V + "k: &k username\nusers:\n  - username: alice\n    *k : bob\n")
case("dup-key-null-keys.yaml", V + "? \n: a\n? \n: b\n")
case("dup-key-block-literal-key.yaml", V + "? |-\n  users\n: []\nusers: []\n")
case("dup-key-unicode-canonical-equivalent.yaml", V + "\u00e9: 1\ne\u0301: 2\n")

# --------------------------------------------------------------------------------------------------
# Tags and directives.
# --------------------------------------------------------------------------------------------------

case("tag-str-on-version.yaml", "version: !!str 1\nusers: []\n")
case("tag-binary-username.yaml", U + "  - username: !!binary YWxpY2U\n")
case("tag-binary-email.yaml", U + user("alice", email="!!binary YWxpY2VAZXhhbXBsZS5jb20="))
case("tag-null-on-username.yaml", U + "  - username: !!null alice\n")
case("tag-custom-on-user.yaml", U + "  - !custom\n    username: alice\n")
case("tag-python-object-on-root.yaml", "--- !!python/object:__main__.Exploit\nversion: 1\nusers: []\n")
case("tag-python-apply-in-settings.yaml",
     V + "settings: !!python/object/apply:os.system [\"touch /tmp/pwned\"]\n")
case("tag-verbatim-int-on-active.yaml", U + user("alice", active="!<tag:yaml.org,2002:int> 1"))
case("tag-undefined-handle.yaml", U + user("alice", nickname="!e!thing x"))
case("tag-directive-and-custom-handle.yaml",
     "%TAG !e! tag:evil.example,2000:\n---\nversion: !e!version 1\nusers: !e!list []\nextra: 1\n")
case("tag-set-with-duplicates.yaml", V + "settings:\n  protected_users: !!set {a, a}\n")
case("yaml-directive-2-0.yaml", "%YAML 2.0\n---\n" + V)
case("yaml-directive-twice.yaml", "%YAML 1.1\n%YAML 1.1\n---\n" + V)

# --------------------------------------------------------------------------------------------------
# Several documents (the fixture has two plain ones).
# --------------------------------------------------------------------------------------------------

case("multidoc-second-empty.yaml", V + "---\n")
case("multidoc-first-empty.yaml", "---\n---\n" + V)
case("multidoc-end-marker-then-garbage.yaml", V + "...\nusers: []\n")
case("multidoc-1000-documents.yaml", "".join("---\n" + V for _ in range(1000)))
case("multidoc-directive-between.yaml", V + "...\n%YAML 1.1\n---\n" + V)
case("multidoc-second-has-settings.yml", V + "users: []\n---\nsettings:\n  unmanaged_users: deactivate\n")

# --------------------------------------------------------------------------------------------------
# Unknown keys next to valid ones, in every mapping.
# --------------------------------------------------------------------------------------------------

case("unknown-key-in-token.yaml",
     U + "  - username: alice\n    tokens:\n      - description: ci\n        expires_in: 30\n")
case("unknown-key-email-in-defaults.yaml", V + "defaults:\n  locale: en\n  email: all@example.com\n")
case("unknown-key-username-in-defaults.yaml", V + "defaults:\n  username: everyone\n")
case("unknown-key-among-50-users.yaml",
     U + "".join(user(f"u{i:02d}", email=f"u{i:02d}@example.com") for i in range(25))
     + "  - username: u25\n    emails: u25@example.com\n"
     + "".join(user(f"u{i:02d}", email=f"u{i:02d}@example.com") for i in range(26, 50)))
case("unknown-key-settings-singular-gate.yaml", V + "settings:\n  unmanaged_users: ignore\n  max_deactivation: 5\n")
case("unknown-key-empty-string.yaml", U + "  - username: alice\n    \"\": x\n")
case("unknown-key-top-level-capitalised.yaml", "Version: 1\nversion: 1\n")
case("unknown-key-trailing-space-quoted.yaml", U + "  - \"username \": alice\n")

# --------------------------------------------------------------------------------------------------
# Settings errors.
# --------------------------------------------------------------------------------------------------

case("settings-negative-threshold.yaml", V + "settings:\n  max_deactivations: -1\n")
case("settings-percent-150.yaml", V + "settings:\n  max_admin_removals: \"150%\"\n")
case("settings-percent-negative.yaml", V + "settings:\n  max_token_revocations: -5%\n")
case("settings-percent-fraction.yaml", V + "settings:\n  max_profile_updates: 12.5%\n")
case("settings-threshold-exponent.yaml", V + "settings:\n  max_deactivations: 1e3\n")
case("settings-threshold-huge.yaml", V + "settings:\n  max_deactivations: 99999999999999999999999\n")
case("settings-threshold-list.yaml", V + "settings:\n  max_admin_removals: [1, \"10%\"]\n")
case("settings-unmanaged-users-unknown.yaml", V + "settings:\n  unmanaged_users: delete-all\n")
case("settings-unmanaged-users-capitalised.yaml", V + "settings:\n  unmanaged_users: Deactivate\n")
case("settings-managed-fields-unknown.yaml", V + "settings:\n  managed_fields: [email, password, usernme]\n")
case("settings-managed-fields-not-list.yaml", V + "settings:\n  managed_fields: email\n")
case("settings-min-system-admins-string.yaml", V + "settings:\n  min_system_admins: \"2\"\n")
case("settings-protected-users-invalid-names.yaml",
     V + "settings:\n  protected_users: [\"bob!\", \"${ADMIN}\", \"\"]\n")
case("settings-required-admins-invalid-names.yaml",
     V + "settings:\n  required_admins: [\"root user\", \"\\u202Eadmin\"]\n")
case("ignore-fields-unknown.yaml", U + user("alice", ignore_fields="[nickname, active]"))

# --------------------------------------------------------------------------------------------------
# previous_usernames, initial_password, send_password_reset, rotate_after_days.
# --------------------------------------------------------------------------------------------------

case("previous-usernames-invalid-name.yaml", U + user("alice", previous_usernames="[\"old alice\"]"))
case("previous-usernames-lists-itself.yaml", U + user("alice", previous_usernames="[ally, alice]"))
case("previous-usernames-lists-itself-other-case.yaml", U + user("alice", previous_usernames="[ALICE]"))
case("previous-usernames-claimed-by-two.yaml",
     U + user("alice", previous_usernames="[al]") + user("alicia", previous_usernames="[al]"))
case("previous-usernames-is-declared-user.yaml", U + user("alice", previous_usernames="[bob]") + user("bob"))
case("previous-usernames-reserved.yaml", U + user("alice", previous_usernames="[channel]"))
case("previous-usernames-not-list.yaml", U + user("alice", previous_usernames="ally"))
case("previous-usernames-null-entry.yaml", U + user("alice", previous_usernames="[ally, ~]"))
case("initial-password-something-else.yaml", U + user("alice", initial_password="something-else"))
case("initial-password-true.yaml", U + user("alice", initial_password="true"))
case("initial-password-generate-quoted-case.yaml", U + user("alice", initial_password="\"Generate\""))
case("initial-password-with-password.yaml",
     U + user("alice", initial_password="generate", password="${ALICE_PASSWORD}"))
case("initial-password-with-auth-service.yaml",
     U + user("alice", initial_password="generate", auth_service="gitlab", auth_data="42"))
case("send-password-reset-with-auth-service.yaml",
     U + user("alice", send_password_reset="true", auth_service="saml", auth_data="alice"))
case("send-password-reset-with-defaults-auth-service.yaml",
     V + "defaults:\n  auth_service: ldap\nusers:\n" + user("alice", send_password_reset="true", auth_data="alice"))
case("send-password-reset-yes.yaml", U + user("alice", send_password_reset="yes"))
case("rotate-after-days-zero.yaml",
     U + "  - username: alice\n    tokens:\n      - description: ci\n        rotate_after_days: 0\n")
case("rotate-after-days-negative.yaml",
     U + "  - username: alice\n    tokens:\n      - description: ci\n        rotate_after_days: -30\n")
case("rotate-after-days-too-large.yaml",
     U + "  - username: alice\n    tokens:\n      - description: ci\n        rotate_after_days: 36501\n")
case("expires-in-days-zero.yaml",
     U + "  - username: alice\n    tokens:\n      - description: ci\n        expires_in_days: 0\n")


def main():
    for name in sorted(CASES):
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(CASES[name])
    total = sum(len(v) for v in CASES.values())
    print(f"wrote {len(CASES)} files, {total} bytes, to {HERE}", file=sys.stderr)


if __name__ == "__main__":
    main()
