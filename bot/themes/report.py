"""`crowdbot themes suggest`: the suggestions for one challenge as JSON ([{"theme", "terms", "ideas"}]) or text."""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.context import Core
from bot.erasure import REMOVED_TEXT
from bot.errors import UserError
from bot.similarity.search import vocabulary_for
from bot.themes.suggest import ThemeSuggestion, suggest_themes
from storage import suggested_themes


async def themes_for(core: Core, challenge_key: str) -> list[ThemeSuggestion]:
    if core.config.challenge(challenge_key) is None:
        known = ", ".join(c.key for c in core.config.challenges)
        raise UserError(f"There is no challenge called {challenge_key!r}. Challenges: {known}.")
    async with core.db.transaction() as session:
        texts = await suggested_themes.surviving_ideas(session, challenge_key=challenge_key,
                                                       removed_text=REMOVED_TEXT)
    return suggest_themes(texts, vocabulary_for(core.config.similarity.synonyms))


def themes_as_json(found: Sequence[ThemeSuggestion]) -> str:
    return json.dumps([{"theme": s.theme, "terms": list(s.terms), "ideas": list(s.ideas)} for s in found],
                      ensure_ascii=False)


def themes_as_text(found: Sequence[ThemeSuggestion]) -> str:
    if not found:
        return "Too few ideas to group yet."
    return "\n".join(f"{s.theme} ({len(s.ideas)} ideas; {', '.join(s.terms)}): "
                     + " ".join(f"#{n}" for n in s.ideas) for s in found)
