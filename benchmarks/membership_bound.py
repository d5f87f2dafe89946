"""The membership read's stated bound, computed from a seed's shape and not from the reader's code: the
formula of the doc comment on ServerReader+Memberships.swift, for a read with whole listings (more managed
users than live teams, or an apply's re-read), no registry list read whole and no channel re-read (the
sandbox's member pages do not drift unless asked). With T teams (T' live), C channels, U managed users:

    1 (GET /config) + floor(T/200)+1 (GET /teams) + floor(C/200)+1 (GET /channels)
  + T' (stats of every live team) + min(U, sum over live teams of floor(m_t/200)+1)
  + sum over live teams t holding R_t > 0 managed users of min(R_t, K_t * (floor(m_t/200)+2))

with m_t the team's members and K_t its channels (archived ones included). The U <= T' branch (per-user
team rows, scoped listings) needs each user's declared teams and is not computed here.
"""

PAGE = 200


def membership_bound(teams, channels, managed, members, readers, channels_per_team):
    """teams, channels: T and C; managed: U; members: {team: m_t} over the live teams; readers: {team: R_t};
    channels_per_team: {team: K_t}. Returns (bound, its terms)."""
    live = len(members)
    if managed <= live:
        raise ValueError(f"{managed} managed users for {live} live teams: the per-user branch, not computed here")
    terms = {
        "config": 1,
        "teams listing": teams // PAGE + 1,
        "channels listing": channels // PAGE + 1,
        "team stats": live,
        "team rows": min(managed, sum(m // PAGE + 1 for m in members.values())),
        "channel rows": sum(
            min(r, channels_per_team[t] * (members[t] // PAGE + 2)) for t, r in readers.items() if r > 0
        ),
    }
    return sum(terms.values()), terms


def describe(terms):
    return " + ".join(f"{n:,} ({name})" for name, n in terms.items())


def seed_shape(declared, team_members, missing_teams, missing_channels, managed_teams):
    """What the bound needs of a seed: members per team, the team adds of the drift per team, and the users
    the apply's steps name (missing team or channel memberships) with how many of them each managed team
    holds once applied."""
    step_users = {i for i, _ in missing_teams} | {i for i, _, _ in missing_channels}
    return {
        "members": {t: len(m) for t, m in team_members.items()},
        "added": {t: sum(1 for _, s in missing_teams if s == t) for t in team_members},
        "step users": len(step_users),
        "step readers": {t: sum(1 for i in step_users if t in declared[i]) for t in range(managed_teams)},
    }


def membership_requests(by_route):
    """Reads of memberships in a request log: teams, channels, their members and stats (the POST .../ids reads
    too), and GET /config. Writes (adds, removals, roles) are not reads."""
    return sum(
        n
        for route, n in by_route.items()
        if ("/teams" in route or "channel" in route or route == "GET /api/v4/config")
        and (route.startswith("GET ") or route.endswith("/ids"))
    )
