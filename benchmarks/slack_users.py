"""users.info as Slack answers it, shared by the fake Slack servers of the tests and the benchmarks.

The user object carries the account handle (`name`), the full name and the profile's display name; an unknown
id gets `ok: false` with `user_not_found`. users.info is a Tier 4 method (slack_tiers.METHOD_TIERS).
"""

from __future__ import annotations

from typing import Any

TEAM = "T0TEST"


def slack_user(user_id: str, *, display_name: str = "", real_name: str = "", handle: str = "") -> dict[str, Any]:
    handle = handle or user_id.lower()
    return {
        "id": user_id, "team_id": TEAM, "name": handle, "deleted": False, "real_name": real_name,
        "tz": "Europe/London", "tz_label": "Greenwich Mean Time", "tz_offset": 0, "is_bot": False,
        "is_admin": False, "is_app_user": False, "updated": 1700000000,
        "profile": {"display_name": display_name, "display_name_normalized": display_name,
                    "real_name": real_name, "real_name_normalized": real_name, "team": TEAM},
    }


def users_info_answer(users: dict[str, dict[str, Any]], args: dict[str, Any]) -> dict[str, Any]:
    """The body of a users.info answer for `args["user"]` among `users` (id -> slack_user(...))."""
    user = users.get(str(args.get("user") or ""))
    if user is None:
        return {"ok": False, "error": "user_not_found"}
    return {"ok": True, "user": user}
