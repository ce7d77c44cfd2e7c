from __future__ import annotations

from app.pieces.data import PieceData
from app.pieces.diff import compare, summarize, word_diff


def _render(chunks: list) -> str:  # type: ignore[type-arg]
    marks = {"equal": "{}", "insert": "[+{}]", "delete": "[-{}]"}
    return "".join(marks[c.op].format(c.text) for c in chunks)


def test_word_level_changes() -> None:
    chunks = word_diff("The quick brown fox.", "The slow brown fox jumped.")
    assert _render(chunks) == "The [-quick][+slow] brown fox[+ jumped]."
    summary = summarize(chunks)
    assert (summary.words_added, summary.words_removed) == (2, 1)


def test_identical_texts_have_one_equal_chunk() -> None:
    assert [c.op for c in word_diff("same\ntext", "same\ntext")] == ["equal"]


def test_long_texts_diff_by_paragraph_first() -> None:
    paragraphs = [f"Paragraph {i} says something about item {i}." for i in range(3000)]
    old = "\n\n".join(paragraphs)
    paragraphs[1500] = "Paragraph 1500 says something else entirely."
    chunks = word_diff(old, "\n\n".join(paragraphs))
    changed = [c for c in chunks if c.op != "equal"]
    assert [c.text for c in changed] == ["about item 1500", "else entirely"]


def test_compare_lists_only_changed_fields_in_reading_order() -> None:
    a = PieceData(title="Old", body="Same body", tags=["a"])
    b = PieceData(title="New", body="Same body", tags=["a", "b"])
    assert [d.label for d in compare(a, b)] == ["Headline", "Tags"]
