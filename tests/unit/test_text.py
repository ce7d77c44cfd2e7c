from __future__ import annotations

import pytest

from app.core import Core
from app.pieces.data import PieceData
from app.text import slugs
from app.text import stats as textstats


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("One two three.", 3),
        ("Don’t count well-known 3.5 items as more", 7),
        ("# Heading\n\n*emphasis* and **strong**", 4),
        ("A [link text](https://example.org/long/url) here", 4),
        ("![alt words](pic.png) only", 1),
        ("Before\n\n```\ncode is not counted at all\n```\n\nAfter", 2),
        ("<span class='x'>tagged</span> word", 2),
        ("Ngā mihi — café", 3),
    ],
)
def test_word_count(text: str, words: int) -> None:
    assert textstats.count(text).words == words


def test_reading_time() -> None:
    assert textstats.count("word " * 238).reading_minutes == 1
    assert textstats.count("word " * 239).reading_minutes == 2
    assert textstats.count("word " * 1200).reading_label == "6 min read"
    assert textstats.count("").reading_minutes == 0


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "Café society: why we’re all — still — talking",
            "cafe-society-why-were-all-still-talking",
        ),
        ("Rock & roll", "rock-and-roll"),
        ("  --Hello--  ", "hello"),
        ("Ōtautahi", "otautahi"),
        ("", ""),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugs.slugify(title) == slug


def test_long_slugs_are_cut_at_a_word() -> None:
    slug = slugs.slugify("word " * 40)
    assert len(slug) <= slugs.MAX_LENGTH and not slug.endswith("-")
    assert slugs.is_valid(slug) and not slugs.is_valid("Not Valid")


def test_a_piece_goes_by_its_own_slug_only_when_set_by_hand() -> None:
    assert slugs.piece_slug("Café society", "mine", manual=True) == "mine"
    assert slugs.piece_slug("Café society", "stale-old-slug", manual=False) == "cafe-society"
    assert slugs.is_manual("Café society", "mine")
    assert not slugs.is_manual("Café society", "cafe-society") and not slugs.is_manual("Café", "")


def test_the_library_stores_the_slug_the_rule_gives(core: Core) -> None:
    piece = core.new_piece(PieceData(title="Café society"))
    assert piece.slug == slugs.piece_slug(piece.title, "", manual=False) == "cafe-society"
    saved = core.pieces.save(piece.copy(title="Tea society", slug="cafe-society"), reason="saved")
    assert saved.slug == "tea-society"
    manual = core.pieces.save(saved.copy(slug="my-own", slug_manual=True), reason="saved")
    assert manual.slug == slugs.piece_slug("Tea society", "my-own", manual=True) == "my-own"
