"""Each challenge's character n-gram weights (bot/similarity/characters.py), learnt from its recent ideas and
kept per database and process. They are learnt at startup (`warm`) and relearnt in the background once the
number of ideas moves by more than DRIFT, so a lookup (which runs inside a transaction, on SQLite holding the
write lock) does not spend the 90-180 ms a fit of 500 ideas takes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from weakref import WeakKeyDictionary

from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.similarity.characters import SAMPLE, fit
from storage import similarity, term_stats
from storage.database import Database

logger = logging.getLogger(__name__)

# N-gram rarity barely moves as a campaign grows: refit once the ideas (all challenges: the cheap count the
# lookup already has) moved by this share of those the model saw, or of all when its sample was full.
DRIFT = 0.05

Kept = tuple[int, int, TfidfVectorizer | None]  # (ideas when fitted, texts seen, model)


class CharacterModels:
    def __init__(self) -> None:
        # Per engine (gone with it): challenge key (None: all challenges) -> Kept.
        self._engines: WeakKeyDictionary[object, dict[str | None, Kept]] = WeakKeyDictionary()
        self._refits: dict[tuple[int, str | None], asyncio.Task[None]] = {}

    async def model(self, session: AsyncSession, challenge_key: str | None, total: int) -> TfidfVectorizer | None:
        """The challenge's model; `total` is about how many ideas there are (all challenges), read by the lookup.
        A model gone stale is still used while its successor is learnt in the background."""
        models = self._engines.setdefault(session.get_bind(), {})
        kept = models.get(challenge_key)
        if kept is not None and not _stale(kept, total):
            return kept[2]
        if kept is None or kept[2] is None:
            # Never learnt (no warm-up for this key: `crowdbot similar` without a challenge), or learnt from no
            # ideas at all: learn now. The latter are a challenge's first few ideas, a fit of a millisecond.
            texts = await similarity.recent_texts(session, challenge_key=challenge_key, limit=SAMPLE)
            model = fit(texts)
            models[challenge_key] = (total, len(texts), model)
            return model
        refit_key = (id(models), challenge_key)
        if refit_key not in self._refits:
            texts = await similarity.recent_texts(session, challenge_key=challenge_key, limit=SAMPLE)
            task = asyncio.create_task(self._refit(models, challenge_key, total, texts))
            self._refits[refit_key] = task
            task.add_done_callback(lambda _: self._refits.pop(refit_key, None))
        return kept[2]

    async def warm(self, db: Database, challenge_keys: Iterable[str]) -> None:
        """Learns each challenge's model ahead of its first lookup: reads in a short transaction, fits outside it
        (in a worker thread, so the event loop keeps serving)."""
        learnt = 0
        for challenge_key in challenge_keys:
            async with db.transaction() as session:
                models = self._engines.setdefault(session.get_bind(), {})
                total, _ = await term_stats.term_statistics(session, groups={})
                texts = await similarity.recent_texts(session, challenge_key=challenge_key, limit=SAMPLE)
            models[challenge_key] = (total, len(texts), await asyncio.to_thread(fit, texts))
            learnt += 1
        logger.info("similar ideas: learnt the letters of %d challenges", learnt)

    async def settled(self) -> None:
        """Waits for the relearning under way (tests, and a clean shutdown)."""
        while self._refits:
            await asyncio.gather(*list(self._refits.values()), return_exceptions=True)

    async def _refit(self, models: dict[str | None, Kept], challenge_key: str | None, total: int,
                     texts: list[str]) -> None:
        try:
            models[challenge_key] = (total, len(texts), await asyncio.to_thread(fit, texts))
        except Exception:  # the old model keeps serving; the next stale lookup tries again
            logger.exception("similar ideas: relearning the letters of a challenge failed")


def _stale(kept: Kept, total: int) -> bool:
    fitted_total, seen, _ = kept
    return abs(total - fitted_total) > DRIFT * (fitted_total if seen >= SAMPLE else seen)


MODELS = CharacterModels()
