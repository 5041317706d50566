"""The one command grammar every platform shares: text after `/idea` (or `idea`) -> a command."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
    text: str = field(default="", compare=False)  # as typed, should the challenge turn out not to exist
    by: str = "votes"  # or "preference": the "A or B?" scores


@dataclass(frozen=True)
class Compare:
    """`compare [challenge]`: rounds of "A or B?" between two of the challenge's ideas, privately."""

    challenge: str | None = None


@dataclass(frozen=True)
class MaybeIdea:
    """Starts with a command word but does not fit the command: ask privately, never post it on a guess."""

    keyword: str
    text: str


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
    text: str = field(default="", compare=False)


@dataclass(frozen=True)
class Digest:
    preview: bool = False


@dataclass(frozen=True)
class ForgetMe:
    confirmed: bool = False


@dataclass(frozen=True)
class HourControl:
    """`hour start KEY`, `hour next [KEY]`, `hour end [KEY]`: a host moves an idea hour on."""

    action: str
    key: str | None = None


@dataclass(frozen=True)
class MakeAnonymous:
    """`anonymise #N`: the author of an idea made from their idea hour answer takes their name off it."""

    number: int


@dataclass(frozen=True)
class Promote:
    """`promote <hour-key> <question> <answer-number>`: an idea hour's answer becomes an idea."""

    hour_key: str
    question: int
    answer: int


@dataclass(frozen=True)
class Fika:
    action: str  # on | off | skip | round


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
    | Merge | Unmerge | Notifications | Prompt | Digest | ForgetMe | HourControl | Promote | Fika | Themes
    | Duplicates | Compare | MakeAnonymous
)

USAGE = {
    "help": "help",
    "submit": "<your idea>  (or: anon <your idea> to post without your name)",
    "top": "top [challenge] [--by votes|preference]",
    "compare": "compare [challenge]  (A or B? between two ideas, as many rounds as you like)",
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
    "forget": "forget me  (then: forget me confirm)",
    "hour": "hour start <hour-key>  /  hour next [hour-key]  /  hour end [hour-key]",
    "promote": "promote <hour-key> <question number> <answer number>, e.g. promote handovers-hour 2 5",
    "anonymise": "anonymise #N  (an idea made from your idea hour answer: take your name off it)",
    "fika": "fika on|off|skip  (managers: fika round)",
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
    "forget": re.compile(r"^me(\s+confirm)?$", re.I),
    "hour": re.compile(r"^(start|next|end)(?:\s+([a-z0-9][a-z0-9-]{0,39}))?$", re.I),
    "promote": re.compile(r"^([a-z0-9][a-z0-9-]{0,39})\s+q?(\d{1,3})\s+#?(\d{1,6})$", re.I),
    "fika": re.compile(r"^(on|off|skip|round)$", re.I),
    "anonymise": re.compile(rf"^{_NUMBER}$"),
    "anonymize": re.compile(rf"^{_NUMBER}$"),
}


# An idea number right after the command word: whatever follows, this was meant as the command.
_STARTS_WITH_NUMBER = re.compile(r"^(?:#\d|\d{1,9}(?:\s|$))")
COMMAND_WORDS = frozenset({"help", "?", "top", "prompt", "mine", "stats", "compare", *_SHAPES})
RANKINGS = ("votes", "preference")


def usage_of(keyword: str) -> str:
    return USAGE["vote" if keyword == "unvote" else keyword if keyword in USAGE else "help"]


def _usage_problem(keyword: str) -> Help:
    usage_key = "vote" if keyword == "unvote" else keyword
    return Help(topic=usage_key, problem=f"That '{keyword}' command is not quite right. Usage: {USAGE[usage_key]}")


def parse(text: str) -> Command | MaybeIdea:
    """Parses the text typed after the command word.

    Text that does not start with a command word is an idea. Text that starts with one is that command
    when what follows fits the command's arguments (or begins with an idea number, so it can only be a
    malformed command); otherwise it may be either, and the person is asked privately (MaybeIdea).
    `new <text>` and `anon <text>` are always ideas.
    """
    stripped = text.strip()
    if not stripped:
        return OpenForm()
    keyword, _, rest = stripped.partition(" ")
    keyword = keyword.lower()
    rest = rest.strip()
    if keyword in ("anon", "anonymous"):
        return Submit(rest, anonymous=True)
    if keyword in ("submit", "new"):
        return Submit(rest)
    if keyword == "themes" and rest.partition(" ")[0].lower() in ("suggest", "apply"):
        # Only these two words make it a command: "Themes for the staff awards" is still an idea.
        action, _, more = rest.partition(" ")
        return Themes(action.lower(), more.strip())
    if keyword == "duplicates" and len(rest.split()) <= 1:
        return Duplicates(rest.lower() or None)
    if keyword not in COMMAND_WORDS:
        return Submit(stripped)
    if keyword in ("help", "?"):
        topic = rest.lower()
        return Help(topic=topic or None) if not topic or topic in COMMAND_WORDS else MaybeIdea(keyword, stripped)
    if keyword in ("mine", "stats"):
        if rest:
            return MaybeIdea(keyword, stripped)
        return Mine() if keyword == "mine" else Stats()
    if keyword == "top" and "--by" in rest.lower().split():
        return _top_by(rest, stripped)
    if keyword in ("top", "prompt", "compare"):
        if len(rest.split()) > 1:  # challenge keys are one word
            return MaybeIdea(keyword, stripped)
        challenge = rest.lower() or None
        if keyword == "compare":
            return Compare(challenge)
        return Top(challenge, stripped) if keyword == "top" else Prompt(challenge, stripped)
    match = _SHAPES[keyword].match(rest)
    if match is not None:
        return _build(keyword, match)
    if not rest or _STARTS_WITH_NUMBER.match(rest):
        return _usage_problem(keyword)
    return MaybeIdea(keyword, stripped)


def _top_by(rest: str, stripped: str) -> Top | Help:
    """`top [challenge] --by votes|preference`, the option before or after the challenge."""
    words = rest.split()
    at = [word.lower() for word in words].index("--by")
    ranking = words[at + 1].lower() if at + 1 < len(words) else ""
    others = words[:at] + words[at + 2:]
    if ranking not in RANKINGS or len(others) > 1:
        return Help(topic="top", problem=f"That 'top' command is not quite right. Usage: {USAGE['top']}")
    return Top(others[0].lower() if others else None, stripped, by=ranking)


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
    if keyword == "fika":
        return Fika(groups[0].lower())
    if keyword == "notifications":
        return Notifications(groups[0].lower() == "on")
    if keyword == "forget":
        return ForgetMe(confirmed=bool(groups[0]))
    if keyword == "hour":
        if groups[0].lower() == "start" and not groups[1]:
            return Help(topic="hour", problem=f"Which hour? Usage: {USAGE['hour']}")
        return HourControl(groups[0].lower(), groups[1].lower() if groups[1] else None)
    if keyword in ("anonymise", "anonymize"):
        return MakeAnonymous(int(groups[0]))
    if keyword == "promote":
        return Promote(groups[0].lower(), int(groups[1]), int(groups[2]))
    return Digest(preview=bool(groups[0]))
