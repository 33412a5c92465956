"""Duplicate detection for topic titles by character bigrams, which works for Chinese (no word breaks)
as well as for alphabetic languages."""

from __future__ import annotations

import unicodedata

SIMILARITY_THRESHOLD = 0.5


def normalise(title: str) -> str:
    """Lower case, full-width folded to half-width, punctuation and spaces dropped."""
    text = unicodedata.normalize("NFKC", title).lower()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def bigrams(title: str) -> set[str]:
    text = normalise(title)
    if len(text) < 2:
        return {text} if text else set()
    return {text[i:i + 2] for i in range(len(text) - 1)}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the two titles' bigram sets, 0–1."""
    left, right = bigrams(a), bigrams(b)
    if not left or not right:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))


class BigramIndex:
    """Inverted index bigram → candidates, so a lookup only touches titles that share a bigram."""

    def __init__(self, candidates):
        self.candidates = list(candidates)
        self.sizes: list[int] = []
        self.postings: dict[str, list[int]] = {}
        for position, candidate in enumerate(self.candidates):
            grams = bigrams(candidate.title)
            self.sizes.append(len(grams))
            for gram in grams:
                self.postings.setdefault(gram, []).append(position)

    def query(self, title: str, threshold: float = SIMILARITY_THRESHOLD, limit: int = 5,
              exclude_pk=None) -> list:
        grams = bigrams(title)
        if not grams:
            return []
        shared: dict[int, int] = {}
        for gram in grams:
            for position in self.postings.get(gram, ()):
                shared[position] = shared.get(position, 0) + 1
        scored = []
        for position, common in shared.items():
            score = 2 * common / (len(grams) + self.sizes[position])
            candidate = self.candidates[position]
            if score >= threshold and candidate.pk != exclude_pk:
                scored.append((-score, position, candidate))
        scored.sort(key=lambda item: item[:2])
        return [candidate for _score, _position, candidate in scored[:limit]]


def most_similar(title: str, candidates, threshold: float = SIMILARITY_THRESHOLD, limit: int = 5) -> list:
    """Candidates (objects with .pk and .title) at least `threshold` similar, best first."""
    return BigramIndex(candidates).query(title, threshold, limit)
