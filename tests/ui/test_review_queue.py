"""The review queue in the window, offline: the cached queue, newest first, with what an editor needs
to choose (byline, words, age, who submitted), the site filter, and the keyboard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.core import Core
from tests.helpers.review import QUEUE, ReviewParts, review_parts, seed_review
from tests.ui.conftest import WAIT_MS
from ui.review.queue import COLUMNS, age_text


@pytest.fixture
def parts(qtbot: QtBot, core: Core) -> Iterator[ReviewParts]:
    seed_review(core)
    with review_parts(qtbot, core) as found:
        yield found


def test_the_cached_queue_shows_newest_first_and_says_it_is_cached(
    qtbot: QtBot, parts: ReviewParts
) -> None:
    panel = parts.controller.panel
    qtbot.waitUntil(lambda: len(panel.items()) == len(QUEUE), timeout=WAIT_MS)
    assert [title for _site, _post, title in panel.items()] == [row[1] for row in QUEUE]
    first = panel.tree.topLevelItem(0)
    assert first is not None
    shown = {COLUMNS[c]: first.text(c) for c in range(len(COLUMNS))}
    assert shown == {
        "Piece": "The night bus is a parliament\nby Mere Kingi",  # one site: its name is above
        "Words": "812", "Age": "20 min",
    }  # fmt: skip
    last = panel.tree.topLevelItem(3)
    assert last is not None and last.text(2) == "5 days"
    assert panel.state.text().startswith("Offline: the queue as it was last fetched")
    assert [panel.site.itemText(i) for i in range(panel.site.count())] == [
        "All sites",
        "The Evening Gazette",
    ]


def test_age_reads_in_the_fewest_words() -> None:
    assert [age_text(s) for s in (5, 600, 3 * 3600, 50 * 3600)] == [
        "just now",
        "10 min",
        "3 h",
        "2 days",
    ]


def test_every_control_has_a_name_and_is_reached_by_tab(qtbot: QtBot, parts: ReviewParts) -> None:
    panel = parts.controller.panel
    qtbot.waitUntil(lambda: bool(panel.items()), timeout=WAIT_MS)
    controls = [panel.site, panel.category, panel.refresh, panel.tree, panel.open]
    for button in panel.buttons:
        assert button.accessibleName()
    for control in [*controls, panel.toolbar, panel.state]:
        assert control.accessibleName(), control.objectName()
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))  # Open needs a selection
    panel.site.setFocus()
    qtbot.waitUntil(panel.site.hasFocus, timeout=WAIT_MS)
    reached = [panel.site]
    for _ in controls[1:]:
        qtbot.keyClick(parts.window.focusWidget(), "\t")
        reached.append(parts.window.focusWidget())
    assert reached == controls


def test_the_review_actions_are_in_the_panel_and_declared_once(parts: ReviewParts) -> None:
    texts = [b.text().replace("&", "") for b in parts.controller.panel.buttons]
    assert texts == [
        "Submit for Review", "Return with a Note", "Approve", "Approve and Schedule", "Publish Now",
    ]  # fmt: skip
    ids = [a.objectName() for a in parts.table]
    for action_id in ("review/submit", "review/return", "review/approve", "review/schedule",
                      "review/publish-now", "review/queue", "review/timeline", "review/calendar",
                      "pieces/sync"):  # fmt: skip
        assert ids.count(action_id) == 1
