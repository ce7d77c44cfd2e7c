"""The pre-publish checklist: its configuration as JSON, each item, and the report."""

from __future__ import annotations

import json

import pytest

from app.checklist.config import ChecklistConfig, Level
from app.checklist.rules import FEATURED_ALT, evaluate
from app.core import Core
from app.errors import InvalidInputError
from app.pieces.data import PieceData


def strict() -> ChecklistConfig:
    config = ChecklistConfig(word_min=5, word_max=20, standfirst_max=40, headline_max=20)
    for key in ("disclaimer", "word_count", "standfirst", "headline", "featured_image",
                "category", "spelling", "open_notes"):  # fmt: skip
        config = config.with_level(key, Level.REQUIRED)
    return config


def test_every_item_fails_on_a_bare_piece_and_says_why() -> None:
    report = evaluate(PieceData(title="A headline far too long for the slot", body="Short."), strict(),
                      open_notes=2, spelling=lambda body: ["slott"])  # fmt: skip
    details = {item.key: item.detail for item in report.missing}
    assert details == {
        "disclaimer": "none attached",
        "word_count": "1 words, 4 short of 5",
        "standfirst": "no standfirst",
        "headline": "36 characters, over 20",
        "featured_image": "no featured image",
        "category": "no category",
        "spelling": "1 misspelt: slott",
        "open_notes": "2 open",
    }
    assert not report.passed and "links" not in {i.key for i in report.items}


def test_a_piece_that_meets_the_checklist_passes() -> None:
    piece = PieceData(
        title="Night buses", standfirst="Who rides at midnight.",
        body="The last bus leaves at midnight, full of nurses.", categories=["City"],
        featured_image="bus.jpg", extra={FEATURED_ALT: "A bus at night"}, disclaimer_id=1,
    )  # fmt: skip
    report = evaluate(piece, strict(), open_notes=0, spelling=lambda body: [])
    assert report.passed and report.missing == () and report.warnings == ()


def test_recommended_items_warn_and_unchecked_items_do_not_count() -> None:
    report = evaluate(PieceData(title="T", body="x"), ChecklistConfig())
    assert report.passed
    assert {i.key for i in report.warnings} >= {"disclaimer", "category", "standfirst"}
    spelling = [i for i in report.items if i.key == "spelling"]
    assert spelling[0].ok is None and spelling[0].detail == "not checked"


def test_the_configuration_round_trips_and_bad_json_is_refused() -> None:
    config = strict()
    assert ChecklistConfig.from_json(config.dumps()) == config
    with pytest.raises(InvalidInputError, match="unknown keys: colour"):
        ChecklistConfig.from_json('{"colour": 1}')
    with pytest.raises(InvalidInputError, match="not a checklist level"):
        ChecklistConfig.from_json('{"levels": {"category": "maybe"}}')
    with pytest.raises(InvalidInputError, match="no items spellin"):
        ChecklistConfig.from_json('{"levels": {"spellin": "off"}}')
    with pytest.raises(InvalidInputError, match="above its maximum"):
        ChecklistConfig.from_json('{"word_min": 900, "word_max": 800}')
    with pytest.raises(InvalidInputError, match="not JSON"):
        ChecklistConfig.from_json("{")


def test_the_library_keeps_a_checklist_and_exports_and_imports_it(core: Core) -> None:
    assert core.checklist.config() == ChecklistConfig()
    core.checklist.set_config(None, strict())
    exported = core.checklist.export_json()
    assert json.loads(exported)["levels"]["category"] == "required"
    core.checklist.import_json(None, exported.replace('"required"', '"off"'))
    assert core.checklist.config().level("category") is Level.OFF


def test_open_notes_count_in_the_check(core: Core) -> None:
    created = core.pieces.create(PieceData(title="Night buses", body="The last bus."))
    assert created.id is not None
    core.checklist.set_config(None, ChecklistConfig().with_level("open_notes", "required"))
    core.notes.add(created.id, "Longer, please.")
    [missing] = core.checklist.check(created.id).missing
    assert (missing.key, missing.detail) == ("open_notes", "1 open")
