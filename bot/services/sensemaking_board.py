"""The dashboard's sensemaking pages: a challenge's suggested themes and probable duplicates, and the two actions
they offer (apply a theme to the ideas a manager ticked; merge a pair), with the same rules as the chat commands.

The dashboard has no per-person sign-in (it is open on loopback, else to holders of its token, both given to
community managers and leaders), so its actions are recorded in the audit log as the actor "dashboard"."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.config import ChallengeConfig
from bot.context import Core
from bot.erasure import REMOVED_TEXT
from bot.errors import UserError
from bot.services import ideas, moderation
from bot.similarity.search import vocabulary_for
from bot.themes.apply import theme_ideas
from bot.themes.duplicates import DuplicatePair, duplicate_pairs
from bot.themes.suggest import ThemeSuggestion, suggest_themes
from storage import audit, suggested_themes

DASHBOARD_ACTOR = "dashboard"
MAX_TICKED = 5000  # idea numbers one apply may carry: more than any cluster of a realistic challenge


@dataclass(frozen=True)
class ThemesBoard:
    challenge: ChallengeConfig
    suggestions: list[ThemeSuggestion]
    texts: dict[int, str]  # idea number -> text, for every idea the suggestions name


@dataclass(frozen=True)
class DuplicatesBoard:
    challenge: ChallengeConfig
    pairs: list[DuplicatePair]
    texts: dict[int, str]


def challenge_of(core: Core, key: str) -> ChallengeConfig:
    """The challenge a dashboard address names (there is no channel to fall back on)."""
    return ideas.resolve_challenge(core, key, platform=DASHBOARD_ACTOR, conversation=None)


async def _ideas_of(core: Core, key: str) -> list[tuple[int, str]]:
    async with core.db.snapshot() as session:
        return await suggested_themes.surviving_ideas(session, challenge_key=key, removed_text=REMOVED_TEXT)


async def themes_board(core: Core, key: str) -> ThemesBoard:
    return await themes_for(core, challenge_of(core, key))


async def themes_for(core: Core, challenge: ChallengeConfig) -> ThemesBoard:
    """The challenge's suggested themes, from a snapshot (no write lock held) and off the event loop: clustering
    takes seconds of CPU at national scale, while the bot keeps taking votes."""
    texts = await _ideas_of(core, challenge.key)
    found = await asyncio.to_thread(suggest_themes, texts, vocabulary_for(core.config.similarity.synonyms))
    return ThemesBoard(challenge, found, dict(texts))


async def duplicates_board(core: Core, key: str) -> DuplicatesBoard:
    return await duplicates_for(core, challenge_of(core, key))


async def duplicates_for(core: Core, challenge: ChallengeConfig) -> DuplicatesBoard:
    """The challenge's probable duplicates, computed as `themes_for` computes its themes."""
    texts = await _ideas_of(core, challenge.key)
    pairs = await asyncio.to_thread(duplicate_pairs, texts, vocabulary_for(core.config.similarity.synonyms),
                                    threshold=core.config.similarity.threshold)
    return DuplicatesBoard(challenge, pairs, dict(texts))


def idea_number(value: str) -> int:
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise UserError(f"{value[:20]!r} is not an idea number.")
    return int(value)


async def apply_theme(core: Core, key: str, theme: str, numbers: list[int]) -> str:
    """Gives `theme` to the ticked ideas of the challenge; ideas merged, erased or moved since are left out."""
    challenge = challenge_of(core, key)
    name = moderation.normalise_theme(theme)
    if not numbers:
        raise UserError("Tick at least one idea to give the theme to. Nothing was changed.")
    if len(numbers) > MAX_TICKED:
        raise UserError(f"At most {MAX_TICKED} ideas at a time. Nothing was changed.")
    async with core.db.transaction() as session:
        themed = await theme_ideas(core, session, numbers=sorted(set(numbers)), challenge_key=challenge.key,
                                   theme=name, by_ref=DASHBOARD_ACTOR)
    if not themed:
        return f"No idea needed the theme {name!r}: the ticked ideas have it already, or were merged or removed."
    listed = " ".join(f"#{n}" for n in themed[:30]) + (" ..." if len(themed) > 30 else "")
    return f"Theme {name!r} is now on {len(themed)} idea(s): {listed}."


async def merge_pair(core: Core, key: str, duplicate_number: int, survivor_number: int) -> str:
    challenge = challenge_of(core, key)
    async with core.db.transaction() as session:
        duplicate = await ideas.find_idea(session, duplicate_number, for_update=True)
        survivor = await ideas.find_idea(session, survivor_number, for_update=True)
        if {duplicate.challenge_key, survivor.challenge_key} != {challenge.key}:
            raise UserError(f"#{duplicate_number} and #{survivor_number} are not both ideas of {challenge.title}. "
                            "Nothing was changed.")
        await moderation.merge(core, session, duplicate=duplicate, survivor=survivor)
        await audit.record(session, actor_ref=DASHBOARD_ACTOR, action="merge", idea_number=duplicate_number,
                           detail=f"into #{survivor_number}", now=core.now())
    return (f"Merged #{duplicate_number} into #{survivor_number}: votes count once per person. "
            f"`unmerge #{duplicate_number}` in chat undoes it.")
