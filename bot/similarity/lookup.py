"""`crowdbot similar`: the ranked matches for a text, as lines or JSON (never an author: ideas may be anonymous)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.compose import shorten
from bot.context import Core
from bot.errors import UserError
from bot.similarity.search import SimilarIdea, find_similar, vocabulary_for


async def similar_ideas(core: Core, text: str, *, challenge_key: str | None, limit: int) -> list[SimilarIdea]:
    if challenge_key is not None and core.config.challenge(challenge_key) is None:
        known = ", ".join(c.key for c in core.config.challenges)
        raise UserError(f"There is no challenge called {challenge_key!r}. Challenges: {known}.")
    if not 1 <= limit <= 100:
        raise UserError(f"--limit must be between 1 and 100, not {limit}.")
    async with core.db.transaction() as session:
        return await find_similar(session, vocabulary_for(core.config.similarity.synonyms), text,
                                  challenge_key=challenge_key, limit=limit)


def as_json(matches: Sequence[SimilarIdea]) -> str:
    return json.dumps([{"number": m.number, "score": m.score, "text": m.text} for m in matches], ensure_ascii=False)


def as_text(matches: Sequence[SimilarIdea], threshold: float) -> str:
    if not matches:
        return "No similar ideas."
    lines = [f"#{m.number}\t{m.score:.3f}{' *' if m.score >= threshold else '  '}\t{shorten(m.text, 100)}"
             for m in matches]
    return "\n".join([*lines, f"(* at or above similarity.threshold {threshold}: the author would be asked)"])
