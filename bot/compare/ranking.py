"""Preference scores per idea, fitted per challenge (ideas are only ever compared within their challenge)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.compare.score import Preference, fit_preferences
from bot.erasure import REMOVED_TEXT
from storage import comparisons
from storage.models import Idea


@dataclass(frozen=True)
class Ranked:
    idea: Idea
    preference: Preference


def _fit_each(answers: dict[str, list[tuple[int, int, str]]]) -> dict[int, Preference]:
    scores: dict[int, Preference] = {}
    for key in sorted(answers):
        scores.update(fit_preferences(answers[key]))
    return scores


async def preference_scores(session: AsyncSession, *, challenge_key: str | None = None) -> dict[int, Preference]:
    """Idea id -> its preference, for every surviving idea with at least one answer.

    Erased ideas are left out of the fit, not only of the lists: their text is gone, so they are no longer among
    the challenge's ideas a score is a chance of being preferred over. Closed ideas (done, not taken forward)
    stay: people compared them while open, and how much a decided idea was preferred is still worth knowing.
    """
    by_challenge: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for answer in await comparisons.outcomes(session, challenge_key=challenge_key, removed_text=REMOVED_TEXT):
        by_challenge[answer.challenge_key].append((answer.idea_a_id, answer.idea_b_id, answer.outcome))
    if not by_challenge:
        return {}
    # The fit is CPU work (about a second at 50,000 answers): off the event loop, so other requests go on.
    return await asyncio.to_thread(_fit_each, dict(by_challenge))


async def top_by_preference(session: AsyncSession, *, challenge_key: str | None = None, limit: int = 10
                            ) -> list[Ranked]:
    """The most preferred ideas; equal scores by more answers, then by number, so the order is always the same."""
    scores = await preference_scores(session, challenge_key=challenge_key)
    ideas = await comparisons.ideas_by_ids(session, idea_ids=scores)
    ranked = [Ranked(ideas[i], p) for i, p in scores.items() if i in ideas and ideas[i].merged_into_id is None]
    ranked.sort(key=lambda r: (-round(r.preference.score, 6), -r.preference.comparisons, r.idea.number))
    return ranked[:limit]


def preference_label(preference: Preference) -> str:
    count = preference.comparisons
    return f"score {preference.score:.0f} of 100 from {count} comparison{'s' if count != 1 else ''}"
