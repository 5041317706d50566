"""Each challenge's character n-gram weights (bot/similarity/characters.py), learnt from its recent ideas and
kept per database and process until the number of ideas moves by more than DRIFT."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.similarity.characters import SAMPLE, fit
from storage import similarity

# N-gram rarity barely moves as a campaign grows: refit once the ideas (all challenges: the cheap count the
# lookup already has) moved by this share of those the model saw, or of all when its sample was full.
DRIFT = 0.05


class CharacterModels:
    def __init__(self) -> None:
        # Per engine (gone with it): challenge key (None: all challenges) -> (ideas when fitted, texts seen, model).
        self._engines: WeakKeyDictionary[object, dict[str | None, tuple[int, int, TfidfVectorizer | None]]] = (
            WeakKeyDictionary())

    async def model(self, session: AsyncSession, challenge_key: str | None, total: int) -> TfidfVectorizer | None:
        """The challenge's model; `total` is about how many ideas there are (all challenges), read by the lookup."""
        models = self._engines.setdefault(session.get_bind(), {})
        kept = models.get(challenge_key)
        if kept is not None:
            fitted_total, seen, model = kept
            if abs(total - fitted_total) <= DRIFT * (fitted_total if seen >= SAMPLE else seen):
                return model
        texts = await similarity.recent_texts(session, challenge_key=challenge_key, limit=SAMPLE)
        model = fit(texts)
        models[challenge_key] = (total, len(texts), model)
        return model


MODELS = CharacterModels()
