"""Text handling shared by the search backends: CJK tokenisation, query parsing, highlighting.

SQLite's unicode61 tokenizer keeps a run of Chinese characters as one token and the trigram tokenizer
cannot match one- or two-character words, so CJK runs are split here before they reach the index:
every run is written as its overlapping bigrams followed by its unigrams ("太极拳" -> "太极 极拳 太 极 拳").
A query word of one character matches a unigram, two characters a bigram, and longer words the phrase
of their bigrams, which must be adjacent in the index, so "太极拳" does not match "太极" plus "拳" elsewhere.
This is what Elasticsearch's ``cjk`` analyzer does (bigrams) plus unigrams for one-character queries.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# CJK Unified Ideographs (+ extension A, compatibility), kana and Hangul syllables.
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
CJK_RUN = re.compile(f"[{CJK_CLASS}]+")
QUERY_PART = re.compile(f"[{CJK_CLASS}]+|[^\\W_]+", re.UNICODE)
TAG = re.compile(r"<[^>]+>")
MAX_QUERY_TERMS = 12


def is_cjk(text: str) -> bool:
    return bool(CJK_RUN.fullmatch(text))


def cjk_bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokenise_cjk_run(run: str) -> str:
    """The index form of one CJK run: bigrams in order (adjacent, for phrase matching), then unigrams."""
    if len(run) == 1:
        return run
    return " ".join(cjk_bigrams(run) + list(run))


def index_text(text: str) -> str:
    """Text as it is written to the full-text index; non-CJK text is left to the FTS tokenizer."""
    return CJK_RUN.sub(lambda m: f" {tokenise_cjk_run(m.group(0))} ", text or "")


def strip_tags(value: str) -> str:
    return html.unescape(TAG.sub(" ", value or ""))


@dataclass(frozen=True)
class QueryTerm:
    """One word of a query. ``tokens`` are the index tokens that must appear adjacent, in order."""

    text: str
    tokens: tuple[str, ...]
    cjk: bool


def query_terms(query: str) -> list[QueryTerm]:
    terms: list[QueryTerm] = []
    for part in QUERY_PART.findall(query or "")[:MAX_QUERY_TERMS]:
        if is_cjk(part):
            tokens = (part,) if len(part) <= 2 else tuple(cjk_bigrams(part))
            terms.append(QueryTerm(part, tokens, True))
        else:
            terms.append(QueryTerm(part.lower(), (part.lower(),), False))
    return terms


def fts_quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts_match_expression(query: str, *, prefix_last: bool = False) -> str:
    """An FTS5 MATCH expression: every term must match (AND); CJK words longer than two characters
    become phrases of their bigrams. With ``prefix_last`` the last non-CJK word matches as a prefix
    (autocomplete as the user types)."""
    terms = query_terms(query)
    parts = []
    for index, term in enumerate(terms):
        if term.cjk:
            parts.append(fts_quote(" ".join(term.tokens)))
        elif prefix_last and index == len(terms) - 1:
            parts.append(fts_quote(term.text) + "*")
        else:
            parts.append(fts_quote(term.text))
    return " AND ".join(parts)


def highlight_pattern(query: str) -> re.Pattern | None:
    """Matches what the query matched in the original text: CJK words verbatim, English words by prefix
    of their stem-ish root so "courses" highlights "course" and "coursework"."""
    alternatives = []
    for term in query_terms(query):
        if term.cjk:
            alternatives.append(re.escape(term.text))
        else:
            root = term.text if len(term.text) <= 4 else term.text[: max(4, len(term.text) - 3)]
            alternatives.append(r"\b" + re.escape(root) + r"\w*")
    if not alternatives:
        return None
    alternatives.sort(key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def highlight(text: str, query: str) -> str:
    """HTML-escaped text with matches wrapped in <mark>."""
    pattern = highlight_pattern(query)
    if pattern is None:
        return html.escape(text)
    out, position = [], 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[position : match.start()]))
        out.append(f"<mark>{html.escape(match.group(0))}</mark>")
        position = match.end()
    out.append(html.escape(text[position:]))
    return "".join(out)


def snippet(text: str, query: str, length: int = 160) -> str:
    """A window of ``length`` characters around the first match, highlighted and HTML-escaped."""
    text = " ".join((text or "").split())
    pattern = highlight_pattern(query)
    start = 0
    if pattern is not None:
        first = pattern.search(text)
        if first is not None and first.start() > length // 3:
            start = first.start() - length // 3
    window = text[start : start + length]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return prefix + highlight(window, query) + suffix
