"""Teams reaction types -> the configured vote emoji names (legacy types and newer emoji ids)."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Newer clients send "<hex codepoints>_<name>", e.g. "1f44d_thumbsup" or "2764_heart".
_EMOJI_ID = re.compile(r"^(?:[0-9a-f]{2,6}(?:[-_][0-9a-f]{2,6})*)_(?P<name>.+)$")

# Names Teams uses for the same emoji Slack-style configurations name differently.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "like": ("+1", "thumbsup", "thumbs_up"),
    "thumbsup": ("+1", "like", "thumbs_up"),
    "heart": ("hearts", "red_heart", "love"),
    "laugh": ("joy", "laughing", "smile"),
    "surprised": ("open_mouth", "astonished", "wow"),
    "sad": ("cry", "disappointed"),
    "angry": ("rage", "pout"),
}


def reaction_name(teams_type: str) -> str:
    """'1f44d_thumbsup' -> 'thumbsup'; 'like' -> 'like' (lower case, without the code-point prefix)."""
    name = teams_type.strip().lower()
    match = _EMOJI_ID.match(name)
    return match.group("name") if match else name


def vote_reaction(teams_type: str, vote_emoji: Iterable[str]) -> str:
    """The configured vote emoji this Teams reaction stands for, or its own name when none matches."""
    configured = [emoji.strip(":").lower() for emoji in vote_emoji]
    name = reaction_name(teams_type)
    if name in configured:
        return name
    for synonym in SYNONYMS.get(name, ()):
        if synonym in configured:
            return synonym
    return name
