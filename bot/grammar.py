"""The one command grammar every platform shares: text after `/idea` (or `idea`) -> a command."""

from __future__ import annotations

import re
from dataclasses import dataclass

STATUSES = ("new", "under_review", "taken_forward", "in_progress", "done", "not_taken_forward")
DECIDED_STATUSES = ("taken_forward", "in_progress", "done", "not_taken_forward")
NOTE_REQUIRED = ("done", "not_taken_forward")
CLOSED_STATUSES = ("done", "not_taken_forward")
HORIZONS = ("H1", "H2", "H3", "H4")
HORIZON_NAMES = {
    "H1": "quick win",
    "H2": "business plan",
    "H3": "business plan (longer term)",
    "H4": "innovative idea to test",
}


@dataclass(frozen=True)
class Help:
    topic: str | None = None
    problem: str | None = None  # why help is shown, e.g. a malformed command


@dataclass(frozen=True)
class Submit:
    text: str
    anonymous: bool = False


@dataclass(frozen=True)
class OpenForm:
    pass


@dataclass(frozen=True)
class Top:
    challenge: str | None = None


@dataclass(frozen=True)
class Mine:
    pass


@dataclass(frozen=True)
class Stats:
    pass


@dataclass(frozen=True)
class Show:
    number: int


@dataclass(frozen=True)
class CastVote:
    number: int
    remove: bool = False


@dataclass(frozen=True)
class SetStatus:
    number: int
    status: str
    note: str = ""


@dataclass(frozen=True)
class SetHorizon:
    number: int
    horizon: str


@dataclass(frozen=True)
class ChangeTheme:
    number: int
    theme: str
    remove: bool = False


@dataclass(frozen=True)
class Merge:
    duplicate: int
    survivor: int


@dataclass(frozen=True)
class Unmerge:
    number: int


@dataclass(frozen=True)
class Notifications:
    enabled: bool


@dataclass(frozen=True)
class Prompt:
    challenge: str | None = None


@dataclass(frozen=True)
class Digest:
    preview: bool = False


@dataclass(frozen=True)
class Themes:
    """`themes suggest [challenge]` or `themes apply S [name] [-#N ...]` (community managers)."""

    action: str
    rest: str = ""


@dataclass(frozen=True)
class Duplicates:
    """`duplicates [challenge]`: pairs of ideas that probably say the same thing (community managers)."""

    challenge: str | None = None


Command = (
    Help | Submit | OpenForm | Top | Mine | Stats | Show | CastVote | SetStatus | SetHorizon | ChangeTheme
    | Merge | Unmerge | Notifications | Prompt | Digest | Themes | Duplicates
)

USAGE = {
    "help": "help",
    "submit": "<your idea>  (or: anon <your idea> to post without your name)",
    "top": "top [challenge]",
    "mine": "mine",
    "stats": "stats",
    "show": "show #N",
    "vote": "vote #N  /  unvote #N",
    "status": "status #N <" + "|".join(STATUSES) + "> [note]",
    "horizon": "horizon #N H1|H2|H3|H4",
    "theme": "theme #N <theme>  /  theme #N -<theme> to remove",
    "merge": "merge #N into #M",
    "unmerge": "unmerge #N",
    "notifications": "notifications on|off",
    "prompt": "prompt [challenge]",
    "digest": "digest [preview]",
    "duplicates": "duplicates [challenge]",
    "themes": "themes suggest [challenge]  /  themes apply S [other name] [-#N to leave an idea out]",
}

_NUMBER = r"#?(\d{1,9})"
_SHAPES: dict[str, re.Pattern[str]] = {
    "show": re.compile(rf"^{_NUMBER}$"),
    "vote": re.compile(rf"^{_NUMBER}$"),
    "unvote": re.compile(rf"^{_NUMBER}$"),
    "status": re.compile(rf"^{_NUMBER}\s+(\S+)(?:\s+(.*))?$", re.S),
    "horizon": re.compile(rf"^{_NUMBER}\s+(h[1-4])$", re.I),
    "theme": re.compile(rf"^{_NUMBER}\s+(-?)(\S.*)$", re.S),
    "merge": re.compile(rf"^{_NUMBER}\s+(?:into\s+)?{_NUMBER}$", re.I),
    "unmerge": re.compile(rf"^{_NUMBER}$"),
    "notifications": re.compile(r"^(on|off)$", re.I),
    "digest": re.compile(r"^(preview)?$", re.I),
}


def _usage_problem(keyword: str) -> Help:
    usage_key = "vote" if keyword == "unvote" else keyword
    return Help(topic=usage_key, problem=f"That `{keyword}` command is not quite right. Usage: {USAGE[usage_key]}")


def parse(text: str) -> Command:
    """Parses the text typed after the command word. Anything that is not a keyword is an idea."""
    stripped = text.strip()
    if not stripped:
        return OpenForm()
    keyword, _, rest = stripped.partition(" ")
    keyword = keyword.lower()
    rest = rest.strip()
    if keyword in ("help", "?"):
        return Help(topic=rest.lower() or None)
    if keyword in ("anon", "anonymous"):
        return Submit(rest, anonymous=True)
    if keyword in ("submit", "new"):
        return Submit(rest)
    if keyword in ("mine", "stats") and not rest:
        return Mine() if keyword == "mine" else Stats()
    if keyword in ("top", "prompt"):
        challenge = rest.lower() or None
        return Top(challenge) if keyword == "top" else Prompt(challenge)
    if keyword == "themes" and rest.partition(" ")[0].lower() in ("suggest", "apply"):
        # Only these two words make it a command: "Themes for the staff awards" is still an idea.
        action, _, more = rest.partition(" ")
        return Themes(action.lower(), more.strip())
    if keyword == "duplicates" and len(rest.split()) <= 1:
        return Duplicates(rest.lower() or None)
    shape = _SHAPES.get(keyword)
    if shape is None:
        return Submit(stripped)
    match = shape.match(rest)
    if match is None:
        return _usage_problem(keyword)
    return _build(keyword, match)


def _build(keyword: str, match: re.Match[str]) -> Command:
    groups = match.groups()
    if keyword == "show":
        return Show(int(groups[0]))
    if keyword in ("vote", "unvote"):
        return CastVote(int(groups[0]), remove=keyword == "unvote")
    if keyword == "status":
        status = groups[1].lower().replace("-", "_")
        if status not in STATUSES:
            return Help(topic="status", problem=f"Unknown status {groups[1]!r}. Use one of: {', '.join(STATUSES)}.")
        return SetStatus(int(groups[0]), status, (groups[2] or "").strip())
    if keyword == "horizon":
        return SetHorizon(int(groups[0]), groups[1].upper())
    if keyword == "theme":
        return ChangeTheme(int(groups[0]), groups[2].strip(), remove=groups[1] == "-")
    if keyword == "merge":
        return Merge(int(groups[0]), int(groups[1]))
    if keyword == "unmerge":
        return Unmerge(int(groups[0]))
    if keyword == "notifications":
        return Notifications(groups[0].lower() == "on")
    return Digest(preview=bool(groups[0]))
