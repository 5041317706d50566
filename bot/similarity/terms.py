"""From idea text to the terms that carry its meaning: words, minus stopwords, stemmed, synonyms folded."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import snowballstemmer

_WORD = re.compile(r"[a-z0-9]+")
STEM_CACHE_SIZE = 200_000
# Function words plus the phrases people wrap ideas in ("I think we could..."): they say nothing about the idea.
_STOPWORD_TEXT = """
a about above after again all also am an and any are as at be because been before being below between both but
by can cannot could did do does doing done down during each either else etc even ever every few for from further
get gets getting got had has have having he her here hers him his how i if in into is it its itself just let lets
like make may me might more most much must my need needs no nor not now of off on once one only or other our ours
out over own per please really same shall she should so some such than that the their them then there these they
this those through to too under until up us use used using very via was way we were what when where which while who
whom why will with within without would yes yet you your idea ideas think suggest suggestion maybe perhaps propose
proposal new better good great im ive id dont cant wont isnt arent thing things lot lots bit
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class Vocabulary:
    """Stemming and the campaign's synonym groups; `terms` maps a text to {term: words that produced it}."""

    synonyms: Sequence[Sequence[str]] = ()
    _stemmer: object = field(default_factory=lambda: snowballstemmer.stemmer("english"), compare=False)
    _canonical: dict[str, str] = field(default_factory=dict, compare=False)
    _group_words: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    _stems: dict[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for group in self.synonyms:
            canonical = self.stem(group[0])
            for word in group:
                self._canonical[self.stem(word)] = canonical
            self._group_words[canonical] = tuple(dict.fromkeys(group))

    def stem(self, word: str) -> str:
        # Snowball in pure Python costs about a millisecond a word; a campaign uses a few thousand words.
        cached = self._stems.get(word)
        if cached is None:
            cached = self._stemmer.stemWord(word)  # type: ignore[attr-defined]
            if len(self._stems) < STEM_CACHE_SIZE:
                self._stems[word] = cached
        return cached

    def terms(self, text: str) -> dict[str, tuple[str, ...]]:
        """Each meaningful term of the text with the words to search for it (its synonyms included)."""
        found: dict[str, list[str]] = {}
        for word in _WORD.findall(text.lower()):
            if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
                continue
            stem = self.stem(word)
            term = self._canonical.get(stem, stem)
            words = found.setdefault(term, [])
            if word not in words:
                words.append(word)
        return {term: tuple(dict.fromkeys([*words, *self._group_words.get(term, ())]))
                for term, words in found.items()}

    def term_set(self, text: str) -> frozenset[str]:
        return frozenset(self.terms(text))
