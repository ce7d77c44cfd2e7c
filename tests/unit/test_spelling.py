from __future__ import annotations

from pathlib import Path

import pytest

from app.text.spelling import WORD, SpellChecker


@pytest.fixture(scope="module")
def british() -> SpellChecker:
    checker = SpellChecker("en_GB")
    checker.load()
    return checker


def test_british_and_american_dictionaries_differ() -> None:
    american = SpellChecker("en_US")
    american.load()
    assert american.check("color") and not american.check("colour")


def test_british_spelling(british: SpellChecker) -> None:
    assert british.check("colour") and british.check("organise")
    assert not british.check("recieve")
    assert british.check("don’t") and british.check("NATO") and british.check("a")
    assert british.misspelt(["teh", "the", "definately"]) == {"teh", "definately"}


def test_suggestions(british: SpellChecker) -> None:
    assert "receive" in british.suggest("recieve")
    assert "definitely" in british.suggest("definately")


def test_personal_dictionary_persists(tmp_path: Path) -> None:
    personal = tmp_path / "dictionary.txt"
    checker = SpellChecker("en_GB", personal)
    checker.load()
    assert not checker.check("Copydesk")
    checker.add_to_dictionary("Copydesk")
    assert checker.check("Copydesk")
    again = SpellChecker("en_GB", personal)
    again.load()
    assert again.check("Copydesk")


def test_ignore_lasts_for_the_session(british: SpellChecker) -> None:
    assert not british.check("Aotearoaa")
    british.ignore("Aotearoaa")
    assert british.check("Aotearoaa")


def test_word_pattern_keeps_apostrophes_and_skips_digits() -> None:
    assert WORD.findall("It’s 3pm, isn't it? well-known") == [
        "It’s",
        "pm",
        "isn't",
        "it",
        "well",
        "known",
    ]
