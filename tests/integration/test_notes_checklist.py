"""The pre-publish checklist against the real WordPress with the companion plugin: it blocks the
workflow's actions in the library, and the site refuses a REST publish that skips it."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from app.checklist.config import ChecklistConfig, Level
from app.checklist.service import ChecklistBlockedError
from app.errors import PermissionDenied
from app.outbox.queue import JobState
from app.pieces.workflow import Status
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import Clock
from tests.integration.workflow_helpers import desk, new_piece, post

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]

CATEGORY_REQUIRED = ChecklistConfig().with_level("category", Level.REQUIRED)
# 50 words at least: the test piece has 12
WORDS_REQUIRED = ChecklistConfig(word_min=50).with_level("word_count", Level.REQUIRED)


def rest(
    wordpress: WordPressServer, method: str, route: str, user: str, **kwargs: object
) -> requests.Response:
    with requests.Session() as session:
        session.trust_env = False
        return session.request(method, wordpress.rest_url(route), auth=wordpress.auth(user),
                               timeout=30, **kwargs)  # type: ignore[arg-type]  # fmt: skip


def test_the_checklist_blocks_an_approval_until_an_editor_overrides_it_with_a_reason(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock) as editor,
    ):
        piece = new_piece(writer.core)
        assert piece.id is not None
        outcome = writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id)
        assert outcome.done, outcome.job.last_error
        post_id = int(outcome.job.result["post_id"])

        # the editor sets the site's checklist: 50 words at least, here and on the site
        editor.core.checklist.set_config(editor.site.id, WORDS_REQUIRED)
        editor.core.checklist.publish(editor.site.id)
        on_site = wordpress.rest("GET", "/copydesk/v1/checklist", "contributor")
        assert (on_site["levels"]["word_count"], on_site["word_min"]) == ("required", 50)
        with pytest.raises(PermissionDenied):  # only editors set it
            writer.core.checklist.publish(writer.site.id)

        opened = editor.core.workflow.open_post(editor.site.id, post_id)
        assert opened.id is not None
        with pytest.raises(ChecklistBlockedError, match="Word count within the slot") as blocked:
            editor.core.workflow.approve(opened.id, publish=True)
        assert [item.key for item in blocked.value.report.missing] == ["word_count"]
        queued = editor.remote.outbox.jobs([JobState.QUEUED])
        assert [j.kind for j in queued] == []  # nothing was queued

        # a contributor may not override it
        writer.core.checklist.fetch(writer.site.id)  # the newsroom's checklist, from the site
        with pytest.raises(ChecklistBlockedError):
            writer.core.workflow.submit(piece.id, writer.site.id)
        with pytest.raises(PermissionDenied, match="Only editors"):
            writer.core.workflow.submit(piece.id, writer.site.id, override="I say so")

        # the editor overrides it with a reason: recorded here and on the site, and it publishes
        job = editor.core.workflow.approve(opened.id, publish=True, override="Breaking news")
        outcome = editor.send(job.id)
        assert outcome.done, outcome.job.last_error
        assert post(wordpress, post_id)["status"] == "publish"
        assert editor.core.pieces.get(opened.id).status is Status.PUBLISHED
        overridden = [e for e in editor.core.workflow.timeline(opened.id)
                      if e.action == "checklist-overridden"]  # fmt: skip
        by_source = {e.source: e.note for e in overridden}  # here, and as the site recorded it
        assert by_source == {
            "local": "Breaking news (unmet: Word count within the slot (12 words, 38 short of 50))",
            "site": "Breaking news",
        }
        review = wordpress.rest("GET", f"/copydesk/v1/reviews/{post_id}", "editor")
        notes = [e["note"] for e in review["timeline"] if e["action"] == "checklist-overridden"]
        assert notes == ["Breaking news"]


def test_the_site_refuses_a_rest_publish_that_skips_its_checklist(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    config = CATEGORY_REQUIRED.with_level("disclaimer", Level.REQUIRED)
    assert (
        rest(wordpress, "POST", "/copydesk/v1/checklist", "author", json=config.to_json()).status_code
        == 403
    )
    assert rest(wordpress, "POST", "/copydesk/v1/checklist", "editor", json=config.to_json()).ok

    # straight through core's REST API, as any other client would: refused, with what is missing
    made = rest(wordpress, "POST", "/wp/v2/posts", "author",
                json={"title": "Bypass", "content": "<p>Text</p>", "status": "publish"})  # fmt: skip
    assert made.status_code == 409 and made.json()["code"] == "copydesk_checklist"
    assert set(made.json()["data"]["missing"]) == {"category", "disclaimer"}
    draft = rest(wordpress, "POST", "/wp/v2/posts", "author", json={"title": "Draft", "content": "x"})
    draft_id = draft.json()["id"]
    moved = rest(wordpress, "POST", f"/wp/v2/posts/{draft_id}", "author", json={"status": "future",
                 "date_gmt": "2099-01-01T09:00:00"})  # fmt: skip
    assert moved.status_code == 409
    assert post(wordpress, draft_id)["status"] == "draft"
    category = wordpress.rest("POST", "/wp/v2/categories", "editor", json={"name": "City"})["id"]
    content = '<p>Text</p><footer class="cd-disclaimer"><p>Views are my own.</p></footer>'
    fixed = rest(wordpress, "POST", f"/wp/v2/posts/{draft_id}", "author", json={
        "status": "publish", "categories": [category], "content": content})  # fmt: skip
    assert fixed.status_code == 200 and fixed.json()["status"] == "publish"

    # the plugin's own approve route, from a library whose local checklist asks for nothing
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock) as editor,
    ):
        piece = new_piece(writer.core)
        assert piece.id is not None
        outcome = writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id)
        assert outcome.done, outcome.job.last_error
        post_id = int(outcome.job.result["post_id"])
        opened = editor.core.workflow.open_post(editor.site.id, post_id)
        assert opened.id is not None
        outcome = editor.send(editor.core.workflow.approve(opened.id, publish=True).id)
        assert not outcome.done and "checklist" in (outcome.job.last_error or "")
        assert post(wordpress, post_id)["status"] == "pending"
