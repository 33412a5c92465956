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


def most_similar(title: str, candidates, threshold: float = SIMILARITY_THRESHOLD, limit: int = 5) -> list:
    """Candidates (objects with .title) at least `threshold` similar, best first."""
    scored = [(similarity(title, c.title), c) for c in candidates]
    scored = [pair for pair in scored if pair[0] >= threshold]
    scored.sort(key=lambda pair: -pair[0])
    return [c for _score, c in scored[:limit]]
