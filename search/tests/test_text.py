"""Chinese tokenisation for the embedded index, and highlighting."""

from __future__ import annotations

import sqlite3

import pytest

from search.text import fts_match_expression, highlight, index_text, query_terms, snippet


def test_cjk_runs_become_bigrams_then_unigrams():
    assert index_text("太极拳") .split() == ["太极", "极拳", "太", "极", "拳"]
    assert index_text("书").split() == ["书"]
    assert index_text("学 Python 编程").split() == ["学", "Python", "编程", "编", "程"]


def test_query_words_map_to_unigram_bigram_or_bigram_phrase():
    assert [t.tokens for t in query_terms("书")] == [("书",)]
    assert [t.tokens for t in query_terms("书法")] == [("书法",)]
    assert [t.tokens for t in query_terms("人工智能")] == [("人工", "工智", "智能")]
    assert fts_match_expression("太极拳 yoga") == '"太极 极拳" AND "yoga"'
    assert fts_match_expression("pyth", prefix_last=True) == '"pyth"*'
    assert fts_match_expression('a"b') == '"a" AND "b"'  # quotes cannot break out of the expression


@pytest.fixture
def fts():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE t USING fts5(title, tokenize='porter unicode61 remove_diacritics 2')")
    for rowid, text in enumerate(["书法入门", "太极拳晨练", "智能手机使用", "人工智能导论", "读书会", "手工编织"], 1):
        connection.execute("INSERT INTO t(rowid, title) VALUES (?, ?)", (rowid, index_text(text)))
    return connection


@pytest.mark.parametrize(
    ("q", "expected"),
    [("书", {1, 5}), ("书法", {1}), ("太极", {2}), ("手机", {3}), ("太极拳", {2}), ("人工智能", {4}),
     ("智能", {3, 4}), ("手工", {6}), ("人工", {4}), ("极拳晨", {2}), ("法入门", {1})],
)
def test_fts5_finds_chinese_words_of_one_to_four_characters(fts, q, expected):
    rows = fts.execute("SELECT rowid FROM t WHERE t MATCH ?", (fts_match_expression(q),)).fetchall()
    assert {row[0] for row in rows} == expected


def test_longer_words_need_adjacent_bigrams(fts):
    # 工智 occurs nowhere except inside 人工智能; "手智" is not adjacent in any title.
    assert fts.execute("SELECT rowid FROM t WHERE t MATCH ?", (fts_match_expression("手智能"),)).fetchall() == []


def test_highlight_escapes_html_and_marks_matches():
    assert highlight("<b>书法</b>入门", "书法") == "&lt;b&gt;<mark>书法</mark>&lt;/b&gt;入门"
    assert highlight("Writing programs", "program") == "Writing <mark>programs</mark>"


def test_snippet_is_a_window_around_the_first_match():
    text = "开头" * 100 + "太极拳" + "结尾" * 100
    result = snippet(text, "太极拳", length=60)
    assert result.startswith("…") and result.endswith("…") and "<mark>太极拳</mark>" in result
