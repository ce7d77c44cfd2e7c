from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.core import Core
from app.errors import InvalidInputError
from app.pieces import frontmatter
from app.pieces.data import PieceData
from app.pieces.workflow import Status

FULL = """---
title: "Slow news: why we wait"
standfirst: The case for *patience*
slug: slow-news
byline: Mere Kingi
tags: [media, patience]
categories: [Opinion, Media]
excerpt: Waiting is a virtue.
featured_image: images/clock.jpg
publish_at: 2026-12-01T09:30:00+13:00
comments: closed
status: approved
disclaimer: Opinion column
snippets: [Newsletter sign-up]
series: {name: Slow, part: 2}
---

Body with ![a clock](images/clock.jpg) and ![remote](https://example.org/x.png).
"""


def test_every_field_parses(tmp_path: Path) -> None:
    doc = frontmatter.parse(FULL, base_dir=tmp_path)
    p = doc.piece
    assert p.title == "Slow news: why we wait"
    assert p.slug == "slow-news" and p.slug_manual
    assert p.tags == ["media", "patience"] and p.categories == ["Opinion", "Media"]
    assert p.publish_at == datetime(2026, 11, 30, 20, 30, tzinfo=UTC)
    assert p.comment_status == "closed" and p.status == Status.APPROVED
    assert p.featured_image == str(tmp_path / "images" / "clock.jpg")
    assert f"]({tmp_path / 'images' / 'clock.jpg'})" in p.body
    assert "](https://example.org/x.png)" in p.body
    assert doc.disclaimer == "Opinion column" and doc.snippets == ["Newsletter sign-up"]
    clock = str(tmp_path / "images" / "clock.jpg")
    assert p.extra == {
        "series": {"name": "Slow", "part": 2},
        "copydesk_import": {"dir": str(tmp_path), "files": [clock]},  # see app.pieces.origin
    }


def test_import_export_round_trips_every_field(core: Core, tmp_path: Path) -> None:
    source = tmp_path / "piece.md"
    source.write_text(FULL, encoding="utf-8")
    piece = core.import_markdown(source)
    exported = core.export_markdown(piece.id or 0)
    again = tmp_path / "again.md"
    again.write_text(exported, encoding="utf-8")
    second = core.import_markdown(again)
    first, other = core.pieces.get(piece.id or 0), core.pieces.get(second.id or 0)
    assert first.content_equals(other)
    assert core.export_markdown(second.id or 0) == exported


def test_without_front_matter_a_leading_heading_is_the_title() -> None:
    doc = frontmatter.parse("# A plain file\n\nJust text.\n")
    assert doc.piece.title == "A plain file"
    assert doc.piece.body == "Just text.\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\ntitle: [unclosed\n---\nx", r"not valid YAML \(line 3"),
        ("---\ntitle: x\nno end", "never ends"),
        ("---\n- a\n- b\n---\nx", "key: value"),
        ("---\npublish_at: tomorrow\n---\n", "not an ISO 8601"),
        ("---\npublish_at: 2026-12-01T09:00:00\n---\n", "no UTC offset"),
        ("---\ncomments: maybe\n---\n", "open or closed"),
        ("---\nstatus: lost\n---\n", "must be one of"),
        ("---\ntags: {a: 1}\n---\n", "list of names"),
        ("---\ntitle: {a: 1}\n---\n", "must be text"),
    ],
)
def test_malformed_front_matter_names_the_problem(text: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        frontmatter.parse(text, source="bad.md")


def test_a_failed_import_changes_nothing(core: Core, tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\ndisclaimer: No such thing\n---\nBody\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="No such thing"):
        core.import_markdown(bad)
    assert core.pieces.count() == 0


def test_dump_keeps_the_instant_and_unicode() -> None:
    moment = datetime(2026, 12, 1, 9, 0, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    piece = PieceData(title="Ōtautahi — “Christchurch”", publish_at=moment, body="Line")
    text = frontmatter.dump(piece)
    assert "Ōtautahi — “Christchurch”" in text
    assert frontmatter.parse(text).piece.publish_at == moment


def _alias_bomb(levels: int) -> str:
    """Nested aliases ("billion laughs"): each level repeats the one before nine times."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]")
    return "---\ntitle: Laughs\n" + "\n".join(lines) + "\n---\nBody\n"


@pytest.mark.parametrize("levels", [2, 6])
def test_an_alias_bomb_is_refused_in_one_line(core: Core, tmp_path: Path, levels: int) -> None:
    """Six levels would expand to 531,441 strings (twelve, to 282 billion): refused unread."""
    bomb = tmp_path / "laughs.md"
    bomb.write_text(_alias_bomb(levels), encoding="utf-8")
    with pytest.raises(InvalidInputError) as refused:
        core.import_markdown(bomb)
    assert str(refused.value).count("\n") == 0
    assert refused.value.message == (
        "laughs.md: the front matter cannot be read (line 4): it uses a YAML alias (*l0), which "
        "Copydesk does not accept; write the value out in full."
    )
    assert core.pieces.count() == 0


@pytest.mark.parametrize(
    "nested",
    [
        "deep: " + "[" * 3000 + "]" * 3000,
        "deep: " + "{a: " * 3000 + "1" + "}" * 3000,
        "".join("  " * n + f"k{n}:\n" for n in range(200)),
        "deep:\n" + "".join("  " * n + "- \n" for n in range(1, 200)),
    ],
    ids=["flow-lists", "flow-mappings", "block-mappings", "block-lists"],
)
def test_deep_nesting_is_refused_without_a_recursion_error(nested: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        frontmatter.parse(f"---\n{nested}\n---\nBody\n", source="deep.md")
    assert refused.value.message.startswith("deep.md: the front matter cannot be read (line ")
    assert refused.value.message.endswith(f"it is nested more than {frontmatter.MAX_DEPTH} levels deep.")


def test_front_matter_nested_to_the_limit_is_kept() -> None:
    value: object = "end"
    for _ in range(frontmatter.MAX_DEPTH - 2):  # the document mapping and "deep" are two levels
        value = [value]
    text = "---\ndeep: " + str(value).replace("'", '"') + "\n---\nBody\n"
    assert frontmatter.parse(text).piece.extra["deep"] == value


def test_an_anchor_alone_is_fine_and_oversized_front_matter_is_refused() -> None:
    assert frontmatter.parse("---\ntitle: &t Plain\n---\nx").piece.title == "Plain"
    huge = "---\nexcerpt: " + "x" * (frontmatter.MAX_FRONT_MATTER + 1) + "\n---\nBody\n"
    with pytest.raises(InvalidInputError, match=r"at most 262,144 are accepted\.$"):
        frontmatter.parse(huge, source="big.md")
