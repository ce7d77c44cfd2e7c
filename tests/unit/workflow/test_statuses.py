"""Statuses in words: WordPress's by Copydesk's labels, a custom one by the site's own, an unknown one
as it is; and the queue's reader keeps each post's status."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.cms.wordpress.review_data import parse_queue_entry
from app.errors import RemoteError
from app.workflow.data import TimelineEntry, status_label
from app.workflow.queue import custom_statuses

SITE = {"draft": "Brouillon", "pending": "En attente", "pitch": "Story pitch"}


def test_a_status_is_shown_by_its_label() -> None:
    assert status_label("pending") == "Pending review"
    assert status_label("pending", SITE) == "Pending review"  # WordPress's own: Copydesk's words
    assert status_label("pitch", SITE) == "Story pitch"  # a custom one: the site's
    assert status_label("pitch") == "pitch"  # not read yet: the word itself
    assert custom_statuses({**SITE, "publish": "Published", "future": "Scheduled"}) == ["pitch"]


def test_the_timeline_names_a_custom_status_by_the_sites_label() -> None:
    entry = TimelineEntry(
        at=datetime.now(UTC), action="status", from_status="pending", to_status="pitch",
        user_name="", machine="", note="", source="site", site_labels=SITE,
    )  # fmt: skip
    assert entry.text == "Pending review → Story pitch"


def test_a_queue_entry_keeps_its_status_and_reads_numbers_safely() -> None:
    entry = parse_queue_entry(
        {"id": "12", "title": {"raw": "Ferries"}, "author": None, "status": "pitch",
         "categories": [3, "x"], "content": {"raw": "<p>Two words.</p>"}}
    )  # fmt: skip
    assert (entry.id, entry.title, entry.author, entry.status) == (12, "Ferries", 0, "pitch")
    assert entry.categories == (3, 0)
    assert entry.content == "<p>Two words.</p>"
    assert parse_queue_entry({"id": 1}).status == "pending"
    with pytest.raises(RemoteError):
        parse_queue_entry({"id": 2**70})
