#!/usr/bin/env python3
"""Runs three Mattermost clients nobody here wrote against a running roster-sandbox.

Called by scripts/client-compat (which makes the virtual environment) as `client_compat.py ROUTES_SWIFT`;
it starts roster-sandbox from $ROSTER_PRODUCTS through scripts/roster_harness.py. Each client walks every
route the sandbox serves (read from Sources/RosterSandbox/Routes.swift, so a new route without a check
here fails):

  mattermostdriver  its endpoint methods where it has them, its client's get/post/put/delete otherwise
  mattermost        the MMApi bindings' methods where they exist, their _get/_post/_put/_delete otherwise
  generated         mattermost-api-reference-client, generated from the official OpenAPI description:
                    every answer parsed into its typed model, and each model field's value checked
                    against the type the description gives it (the strictest of the three)

Prints a table (client x route) and exits 1 on any failure.
"""
import importlib
import json
import os
import re
import sys
import tempfile
import types
import typing

import attrs
import mattermost
import roster_harness as h
from mattermost_api_reference_client import AuthenticatedClient
from mattermost_api_reference_client import models as gm
from mattermost_api_reference_client.api.bots import (
    assign_bot,
    create_bot,
    disable_bot,
    enable_bot,
    get_bot,
    get_bots,
    patch_bot,
)
from mattermost_api_reference_client.api.roles import get_roles_by_names
from mattermost_api_reference_client.api.system import get_ping
from mattermost_api_reference_client.types import Unset
from mattermostdriver import Driver
from mattermostdriver.endpoints.bots import Bots

# The generated package does not import its operation modules from api/users/__init__.py.
gu = types.SimpleNamespace(**{
    name: importlib.import_module(f"mattermost_api_reference_client.api.users.{name}") for name in (
        "create_user create_user_access_token delete_user demote_user_to_guest disable_user_access_token "
        "enable_user_access_token get_total_users_stats get_total_users_stats_filtered get_user "
        "get_user_access_token get_user_access_tokens get_user_access_tokens_for_user get_user_by_email "
        "get_user_by_username get_users get_users_by_ids get_users_by_usernames login patch_user "
        "promote_guest_to_user revoke_user_access_token search_user_access_tokens send_password_reset_email "
        "update_user update_user_active update_user_roles").split()})

ROUTES_FILE = sys.argv[1]
ADMIN = h.ADMIN_TOKEN
URL = ""  # the sandbox's, once main has started it
# Bots may be created (the server's default is off), guests may be demoted to (a licensed server).
SEED = {"users": [{"username": "admin", "email": "admin@sandbox.local", "roles": "system_admin system_user"}],
        "settings": {"enable_bot_account_creation": True, "guest_accounts": True}}
PASSWORD = "compat-Password-1"


class Failure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Failure(message)


def served_routes():
    text = open(ROUTES_FILE, encoding="utf-8").read()
    return [f"{m} {p}" for m, p in re.findall(r'r\("(GET|POST|PUT|DELETE)", "([^"]+)"', text)]


class Table:
    def __init__(self):
        self.rows = {}
        self.failed = False

    def run(self, client, route, action):
        try:
            note = action()
            note = note if isinstance(note, str) else None
            self.rows[(client, route)] = "ok" + (f" ({note})" if note else "")
        except Exception as error:  # every failure is reported, none stops the walk
            self.failed = True
            self.rows[(client, route)] = f"FAIL {type(error).__name__}: {str(error)[:150]}"


# ---- strict model check for the generated client ----

# Where the description and the server's code disagree, the code wins (and so does the sandbox):
# (model, field) -> why. Each is reported as a note, never hidden.
SPEC_GAPS = {
    ("Timezone", "use_automatic_timezone"):
        "the description says boolean; model.User.Timezone is a StringMap, so the server sends \"true\" "
        "(server/public/model/user.go, timezones.DefaultUserTimezone)",
}
gaps_seen = set()

def check_model(value, where="answer"):
    """Every attrs field holds a value of the type the OpenAPI description gives it."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            check_model(item, f"{where}[{i}]")
        return
    expect(attrs.has(type(value)), f"{where}: not a typed model but {type(value).__name__}")
    # Models name each other only under TYPE_CHECKING: resolve with the models package in scope.
    namespace = dict(vars(sys.modules[type(value).__module__]), **vars(gm))
    hints = typing.get_type_hints(type(value), globalns=namespace)
    for field in attrs.fields(type(value)):
        if field.name == "additional_properties":
            continue
        item = getattr(value, field.name)
        if isinstance(item, Unset):
            continue
        if (type(value).__name__, field.name) in SPEC_GAPS:
            gaps_seen.add((type(value).__name__, field.name))
            continue
        expect(type_matches(item, hints[field.name]), f"{where}.{field.name}={item!r} is not {hints[field.name]}")
        if attrs.has(type(item)):
            check_model(item, f"{where}.{field.name}")


def type_matches(value, hint):
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(type_matches(value, arg) for arg in typing.get_args(hint))
    if origin is list:
        return isinstance(value, list)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is typing.Any:
        return True
    return isinstance(value, hint)


def parsed(response, model, status=200):
    expect(response.status_code == status, f"status {int(response.status_code)}: {response.content[:200]!r}")
    value = response.parsed
    if value is None:  # a status the description does not list for success: parse it ourselves
        value = model.from_dict(__import__("json").loads(response.content))
    if isinstance(value, list):
        expect(all(isinstance(item, model) for item in value), f"not a list of {model.__name__}")
    else:
        expect(isinstance(value, model), f"parsed as {type(value).__name__}, not {model.__name__}")
    check_model(value)
    return value


# ---- the three clients ----

def user_body(prefix, name):
    return {"username": f"{prefix}{name}", "email": f"{prefix}{name}@example.com", "password": PASSWORD}


def walk_driver(table, prefix):
    host, port = URL.split("//")[1].split(":")
    d = Driver({"url": host, "port": int(port), "scheme": "http", "token": ADMIN, "basepath": "/api/v4"})
    c, s = d.client, {}
    def run(route, action):
        return table.run("mattermostdriver", route, action)

    def login():
        me = d.login()
        expect(me["username"] == "admin", "not the admin")
        s["admin"] = me["id"]
    run("GET /users/me", login)
    run("GET /system/ping", lambda: expect(d.system.check_system_health()["status"] == "OK", "ping"))
    run("GET /config/client", lambda: expect(
        d.system.get_client_configuration({"format": "old"})["ShowFullName"] == "true", "ShowFullName"))

    def roles():
        # The driver's get_list_of_roles_by_name sends GET without a body; the route is POST.
        answer = c.make_request("post", "/roles/names", options=["system_user"]).json()
        expect([r["name"] for r in answer] == ["system_user"] and "view_members" in answer[0]["permissions"], "roles")
        return "sent with make_request: the driver's helper uses GET"
    run("POST /roles/names", roles)

    def create():
        s["one"] = d.users.create_user(user_body(prefix, "one"))["id"]
        s["two"] = d.users.create_user(user_body(prefix, "two"))["id"]
    run("POST /users", create)
    run("POST /users/login", lambda: expect(
        c.make_request("post", "/users/login", {"login_id": f"{prefix}one", "password": PASSWORD}).headers["Token"],
        "no Token header"))
    run("GET /users", lambda: expect(
        any(u["id"] == s["one"] for u in d.users.get_users({"per_page": 200, "active": True})), "created user missing"))
    run("GET /users/{user_id}", lambda: expect(d.users.get_user(s["one"])["username"] == f"{prefix}one", "get"))
    run("PUT /users/{user_id}", lambda: expect(d.users.update_user(s["one"], {
        "id": s["one"], "username": f"{prefix}one", "email": f"{prefix}one@example.com", "first_name": "One"})[
        "first_name"] == "One", "update"))
    run("PUT /users/{user_id}/patch", lambda: expect(
        d.users.patch_user(s["one"], {"nickname": "uno"})["nickname"] == "uno", "patch"))
    run("GET /users/username/{username}", lambda: expect(
        d.users.get_user_by_username(f"{prefix}one")["id"] == s["one"], "by username"))
    run("GET /users/email/{email}", lambda: expect(
        d.users.get_user_by_email(f"{prefix}one@example.com")["id"] == s["one"], "by email"))
    run("POST /users/usernames", lambda: expect(len(d.users.get_users_by_usernames([f"{prefix}one"])) == 1, "names"))
    run("POST /users/ids", lambda: expect(len(d.users.get_users_by_ids([s["one"], s["two"]])) == 2, "ids"))
    run("PUT /users/{user_id}/roles", lambda: expect(
        d.users.update_user_role(s["two"], {"roles": "system_user system_user_access_token"})["status"] == "OK", "roles"))
    run("POST /users/{user_id}/demote", lambda: expect(c.post(f"/users/{s['two']}/demote")["status"] == "OK", "demote"))
    run("POST /users/{user_id}/promote", lambda: expect(c.post(f"/users/{s['two']}/promote")["status"] == "OK", "promote"))
    walk_tokens(run, s, lambda path, body=None: c.post(path, options=body), lambda path, params=None: c.get(path, params=params),
                lambda uid: d.users.create_user_access_token(uid, {"description": "compat"}))
    run("POST /users/password/reset/send", lambda: expect(
        d.users.send_password_reset_mail({"email": f"{prefix}two@example.com"})["status"] == "OK", "reset"))
    run("GET /users/stats", lambda: expect(d.users.get_stats()["total_users_count"] >= 2, "stats"))
    run("GET /users/stats/filtered", lambda: expect(
        c.get("/users/stats/filtered", params={"include_bots": True})["total_users_count"] >= 2, "filtered"))
    bots = Bots(c)  # the package has the endpoint class but no Driver.bots property
    walk_bots(run, s, prefix, bots.create_bot, bots.get_bots, bots.get_bot, bots.disable_bot, bots.enable_bot,
              bots.patch_bot, bots.assign_bot_to_user)
    run("PUT /users/{user_id}/active", lambda: expect(
        d.users.update_user_active_status(s["one"], {"active": False})["status"] == "OK", "deactivate"))
    run("DELETE /users/{user_id}", lambda: expect(d.users.deactivate_user(s["two"])["status"] == "OK", "delete"))


def walk_tokens(run, s, post, get, create):
    def make():
        token = create(s["two"])
        expect(len(token["token"]) == 26, "no secret")
        s["token"] = token["id"]
    run("POST /users/{user_id}/tokens", make)
    run("GET /users/{user_id}/tokens", lambda: expect(len(get(f"/users/{s['two']}/tokens")) == 1, "user tokens"))
    run("GET /users/tokens", lambda: expect(any(t["id"] == s["token"] for t in get("/users/tokens", {"per_page": 200})), "all"))
    run("GET /users/tokens/{token_id}", lambda: expect(get(f"/users/tokens/{s['token']}")["user_id"] == s["two"], "one"))
    run("POST /users/tokens/search", lambda: expect(len(post("/users/tokens/search", {"term": s["two"]})) == 1, "search"))
    run("POST /users/tokens/disable", lambda: expect(post("/users/tokens/disable", {"token_id": s["token"]})["status"] == "OK", "off"))
    run("POST /users/tokens/enable", lambda: expect(post("/users/tokens/enable", {"token_id": s["token"]})["status"] == "OK", "on"))
    run("POST /users/tokens/revoke", lambda: expect(post("/users/tokens/revoke", {"token_id": s["token"]})["status"] == "OK", "revoke"))


def walk_bots(run, s, prefix, create, list_bots, get, disable, enable, patch, assign):
    def make():
        bot = create({"username": f"{prefix}bot", "display_name": "Compat", "description": "client-compat"})
        expect(bot["owner_id"] == s["admin"], "the caller owns the bot")
        s["bot"] = bot["user_id"]
    run("POST /bots", make)
    run("GET /bots", lambda: expect(any(b["user_id"] == s["bot"] for b in list_bots({"per_page": 200})), "bot list"))
    run("GET /bots/{bot_user_id}", lambda: expect(get(s["bot"])["username"] == f"{prefix}bot", "bot"))
    run("PUT /bots/{bot_user_id}", lambda: expect(
        patch(s["bot"], {"description": "patched"})["description"] == "patched", "patch"))
    run("POST /bots/{bot_user_id}/assign/{user_id}", lambda: expect(
        assign(s["bot"], s["one"])["owner_id"] == s["one"], "assign"))
    run("POST /bots/{bot_user_id}/disable", lambda: expect(disable(s["bot"])["delete_at"] > 0, "disable"))
    run("POST /bots/{bot_user_id}/enable", lambda: expect(enable(s["bot"])["delete_at"] == 0, "enable"))


def walk_bindings(table, prefix):
    api = mattermost.MMApi(URL + "/api")
    s = {}
    def run(route, action):
        return table.run("mattermost", route, action)


    def login():
        me = api.login(bearer=ADMIN)
        expect(me and me["username"] == "admin", "bearer login")
        s["admin"] = me["id"]
    run("GET /users/me", login)
    run("GET /system/ping", lambda: expect(api._get("/v4/system/ping")["status"] == "OK", "ping"))
    run("GET /config/client", lambda: expect(
        api._get("/v4/config/client", params={"format": "old"})["ShowEmailAddress"] == "true", "config"))
    run("POST /roles/names", lambda: expect(
        "manage_system" in api._post("/v4/roles/names", data=["system_admin"])[0]["permissions"], "roles"))

    def create():
        s["one"] = api._post("/v4/users", data=user_body(prefix, "one"))["id"]
        s["two"] = api._post("/v4/users", data=user_body(prefix, "two"))["id"]
    run("POST /users", create)
    run("POST /users/login", lambda: expect(
        mattermost.MMApi(URL + "/api").login(f"{prefix}one", PASSWORD)["id"] == s["one"], "password login"))
    run("GET /users", lambda: expect(sum(1 for u in api.get_users() if u["username"].startswith(prefix)) == 2, "paging"))
    run("GET /users/{user_id}", lambda: expect(api.get_user(s["one"])["id"] == s["one"], "get"))
    run("PUT /users/{user_id}", lambda: expect(api._put(f"/v4/users/{s['one']}", data={
        "id": s["one"], "username": f"{prefix}one", "email": f"{prefix}one@example.com"})["id"] == s["one"], "update"))
    run("PUT /users/{user_id}/patch", lambda: expect(api.patch_user(s["one"], {"position": "p"})["position"] == "p", "patch"))
    run("GET /users/username/{username}", lambda: expect(api.get_user_by_username(f"{prefix}one")["id"] == s["one"], "name"))
    run("GET /users/email/{email}", lambda: expect(api._get(f"/v4/users/email/{prefix}one@example.com")["id"] == s["one"], "email"))
    run("POST /users/usernames", lambda: expect(len(api.get_users_by_usernames_list([f"{prefix}one", f"{prefix}two"])) == 2, "names"))
    run("POST /users/ids", lambda: expect(len(api.get_users_by_ids_list([s["one"]])) == 1, "ids"))
    run("PUT /users/{user_id}/roles", lambda: expect(
        api._put(f"/v4/users/{s['two']}/roles", data={"roles": "system_user"})["status"] == "OK", "roles"))
    run("POST /users/{user_id}/demote", lambda: expect(api.demote_a_user(s["two"])["status"] == "OK", "demote"))
    run("POST /users/{user_id}/promote", lambda: expect(api.promote_a_guest(s["two"])["status"] == "OK", "promote"))
    walk_tokens(run, s, lambda path, body=None: api._post("/v4" + path, data=body),
                lambda path, params=None: api._get("/v4" + path, params=params),
                lambda uid: api._post(f"/v4/users/{uid}/tokens", data={"description": "compat"}))
    run("POST /users/password/reset/send", lambda: expect(
        api._post("/v4/users/password/reset/send", data={"email": f"{prefix}one@example.com"})["status"] == "OK", "reset"))
    run("GET /users/stats", lambda: expect(api._get("/v4/users/stats")["total_users_count"] >= 2, "stats"))
    run("GET /users/stats/filtered", lambda: expect(
        api._get("/v4/users/stats/filtered", params={"include_deleted": True})["total_users_count"] >= 2, "filtered"))
    walk_bots(run, s, prefix, lambda body: api._post("/v4/bots", data=body),
              lambda params: api._get("/v4/bots", params=params), lambda bid: api._get(f"/v4/bots/{bid}"),
              lambda bid: api._post(f"/v4/bots/{bid}/disable"), lambda bid: api._post(f"/v4/bots/{bid}/enable"),
              lambda bid, body: api._put(f"/v4/bots/{bid}", data=body),
              lambda bid, uid: api._post(f"/v4/bots/{bid}/assign/{uid}"))
    run("PUT /users/{user_id}/active", lambda: expect(
        api._put(f"/v4/users/{s['one']}/active", data={"active": False})["status"] == "OK", "deactivate"))
    run("DELETE /users/{user_id}", lambda: expect(api._delete(f"/v4/users/{s['two']}")["status"] == "OK", "delete"))


def walk_generated(table, prefix):
    client = AuthenticatedClient(base_url=URL, token=ADMIN, raise_on_unexpected_status=False)
    raw = client.get_httpx_client()
    s = {}
    def run(route, action):
        return table.run("generated", route, action)


    def me():
        s["admin"] = parsed(gu.get_user.sync_detailed("me", client=client), gm.User).id
    run("GET /users/me", me)
    run("GET /system/ping", lambda: expect(
        parsed(get_ping.sync_detailed(client=client), gm.SystemStatusResponse).status == "OK", "ping"))

    def config():
        answer = raw.get("/api/v4/config/client", params={"format": "old"})
        expect(answer.status_code == 200 and all(isinstance(v, str) for v in answer.json().values()), "config strings")
        return "no format=old parameter in the description; sent raw"
    run("GET /config/client", config)

    def roles():
        answer = parsed(get_roles_by_names.sync_detailed(client=client, body=["system_user_access_token"]), gm.Role)
        expect("read_user_access_token" in answer[0].permissions, "roles")
    run("POST /roles/names", roles)

    def create():
        for name in ("one", "two"):
            body = gm.CreateUserBody.from_dict(user_body(prefix, name))
            s[name] = parsed(gu.create_user.sync_detailed(client=client, body=body), gm.User, 201).id
    run("POST /users", create)

    def login():
        body = gm.LoginBody.from_dict({"login_id": f"{prefix}one", "password": PASSWORD})
        answer = gu.login.sync_detailed(client=client, body=body)
        expect(answer.headers.get("Token"), "no Token header")
        parsed(answer, gm.User, 200)
        return "200, as the handler writes; the description says 201"
    run("POST /users/login", login)

    def users():
        listed = parsed(gu.get_users.sync_detailed(client=client, per_page=200, active=True), gm.User)
        expect(any(u.id == s["one"] for u in listed), "created user missing")
        expect(all(isinstance(u.notify_props, Unset) for u in listed), "a list entry kept notify_props")
    run("GET /users", users)
    run("GET /users/{user_id}", lambda: expect(
        parsed(gu.get_user.sync_detailed(s["one"], client=client), gm.User).username == f"{prefix}one", "get"))
    run("PUT /users/{user_id}", lambda: parsed(gu.update_user.sync_detailed(s["one"], client=client, body=gm.UpdateUserBody.from_dict(
        {"id": s["one"], "username": f"{prefix}one", "email": f"{prefix}one@example.com", "last_name": "Gen"})), gm.User))
    run("PUT /users/{user_id}/patch", lambda: expect(parsed(gu.patch_user.sync_detailed(
        s["one"], client=client, body=gm.PatchUserBody.from_dict({"nickname": "gen"})), gm.User).nickname == "gen", "patch"))
    run("GET /users/username/{username}", lambda: parsed(
        gu.get_user_by_username.sync_detailed(f"{prefix}one", client=client), gm.User))
    run("GET /users/email/{email}", lambda: parsed(
        gu.get_user_by_email.sync_detailed(f"{prefix}one@example.com", client=client), gm.User))
    run("POST /users/usernames", lambda: expect(len(parsed(
        gu.get_users_by_usernames.sync_detailed(client=client, body=[f"{prefix}one"]), gm.User)) == 1, "names"))
    run("POST /users/ids", lambda: expect(len(parsed(
        gu.get_users_by_ids.sync_detailed(client=client, body=[s["one"], s["two"]], since=1), gm.User)) == 2, "ids"))
    run("PUT /users/{user_id}/roles", lambda: parsed(gu.update_user_roles.sync_detailed(
        s["two"], client=client, body=gm.UpdateUserRolesBody.from_dict({"roles": "system_user"})), gm.StatusOK))
    run("POST /users/{user_id}/demote", lambda: parsed(gu.demote_user_to_guest.sync_detailed(s["two"], client=client), gm.StatusOK))
    run("POST /users/{user_id}/promote", lambda: parsed(gu.promote_guest_to_user.sync_detailed(s["two"], client=client), gm.StatusOK))

    def token():
        body = gm.CreateUserAccessTokenBody.from_dict({"description": "compat"})
        s["token"] = parsed(gu.create_user_access_token.sync_detailed(s["two"], client=client, body=body), gm.UserAccessToken).id
        return "200, as the handler writes; the description says 201"
    run("POST /users/{user_id}/tokens", token)
    run("GET /users/{user_id}/tokens", lambda: parsed(
        gu.get_user_access_tokens_for_user.sync_detailed(s["two"], client=client), gm.UserAccessTokenSanitized))
    run("GET /users/tokens", lambda: parsed(
        gu.get_user_access_tokens.sync_detailed(client=client, per_page=200), gm.UserAccessTokenSanitized))
    run("GET /users/tokens/{token_id}", lambda: parsed(
        gu.get_user_access_token.sync_detailed(s["token"], client=client), gm.UserAccessTokenSanitized))
    run("POST /users/tokens/search", lambda: parsed(gu.search_user_access_tokens.sync_detailed(
        client=client, body=gm.SearchUserAccessTokensBody.from_dict({"term": s["token"]})), gm.UserAccessTokenSanitized))
    for change, module, model in [("disable", gu.disable_user_access_token, gm.DisableUserAccessTokenBody),
                                  ("enable", gu.enable_user_access_token, gm.EnableUserAccessTokenBody),
                                  ("revoke", gu.revoke_user_access_token, gm.RevokeUserAccessTokenBody)]:
        run(f"POST /users/tokens/{change}", lambda module=module, model=model: parsed(
            module.sync_detailed(client=client, body=model.from_dict({"token_id": s["token"]})), gm.StatusOK))
    run("POST /users/password/reset/send", lambda: parsed(gu.send_password_reset_email.sync_detailed(
        client=client, body=gm.SendPasswordResetEmailBody.from_dict({"email": f"{prefix}one@example.com"})), gm.StatusOK))
    run("GET /users/stats", lambda: parsed(gu.get_total_users_stats.sync_detailed(client=client), gm.UsersStats))
    run("GET /users/stats/filtered", lambda: parsed(gu.get_total_users_stats_filtered.sync_detailed(
        client=client, include_deleted=True, include_bots=True), gm.UsersStats))

    def bot():
        body = gm.CreateBotBody.from_dict({"username": f"{prefix}bot", "description": "generated"})
        made = parsed(create_bot.sync_detailed(client=client, body=body), gm.Bot, 201)
        expect(made.owner_id == s["admin"], "the caller owns the bot")
        s["bot"] = made.user_id
    run("POST /bots", bot)
    run("GET /bots", lambda: parsed(get_bots.sync_detailed(client=client, include_deleted=True), gm.Bot))
    run("GET /bots/{bot_user_id}", lambda: parsed(get_bot.sync_detailed(s["bot"], client=client), gm.Bot))
    patched = {"username": f"{prefix}bot", "description": "patched"}
    run("PUT /bots/{bot_user_id}", lambda: expect(parsed(patch_bot.sync_detailed(
        s["bot"], client=client, body=gm.PatchBotBody.from_dict(patched)), gm.Bot).description == "patched", "patch"))
    run("POST /bots/{bot_user_id}/assign/{user_id}", lambda: expect(
        parsed(assign_bot.sync_detailed(s["bot"], s["one"], client=client), gm.Bot).owner_id == s["one"], "assign"))
    run("POST /bots/{bot_user_id}/disable", lambda: expect(
        parsed(disable_bot.sync_detailed(s["bot"], client=client), gm.Bot).delete_at > 0, "disabled"))
    run("POST /bots/{bot_user_id}/enable", lambda: parsed(enable_bot.sync_detailed(s["bot"], client=client), gm.Bot))
    run("PUT /users/{user_id}/active", lambda: parsed(gu.update_user_active.sync_detailed(
        s["one"], client=client, body=gm.UpdateUserActiveBody.from_dict({"active": False})), gm.StatusOK))
    run("DELETE /users/{user_id}", lambda: parsed(gu.delete_user.sync_detailed(s["two"], client=client), gm.StatusOK))


def main():
    global URL
    table = Table()
    with tempfile.TemporaryDirectory() as work:
        seed = os.path.join(work, "seed.json")
        with open(seed, "w") as f:
            json.dump(SEED, f)
        sandbox = h.Sandbox(work, seed)
        try:
            URL = sandbox.url
            walk_driver(table, "md")
            walk_bindings(table, "mm")
            walk_generated(table, "gen")
        finally:
            sandbox.stop()
    clients = ["mattermostdriver", "mattermost", "generated"]
    routes = served_routes()
    for route in routes:
        for client in clients:
            if (client, route) not in table.rows:
                table.failed = True
                table.rows[(client, route)] = "FAIL not exercised (add a check to scripts/client_compat.py)"
    width = max(len(r) for r in routes)
    print(f"{'route':<{width}}  " + "  ".join(f"{c:<16}" for c in clients))
    for route in routes:
        cells = [table.rows[(c, route)] for c in clients]
        print(f"{route:<{width}}  " + "  ".join(f"{('ok' if cell.startswith('ok') else 'FAIL'):<16}" for cell in cells))
    notes = sorted({(c, r, v) for (c, r), v in table.rows.items() if v != "ok"})
    for client, route, value in notes:
        print(f"  {client} {route}: {value}")
    for model, field in sorted(gaps_seen):
        print(f"  spec gap {model}.{field}: {SPEC_GAPS[(model, field)]}")
    ok = sum(1 for v in table.rows.values() if v.startswith("ok"))
    print(f"client-compat: {ok} of {len(table.rows)} client/route checks passed")
    return 1 if table.failed else 0


if __name__ == "__main__":
    sys.exit(main())
