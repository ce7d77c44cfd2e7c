"""Notes on passages through the real WordPress with the companion plugin: an editor's and a
columnist's library (two data folders, two users) share one piece's notes, and nobody else sees them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from app.errors import PermissionDenied
from tests.helpers.fault_proxy import FaultProxy, Request, route
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import Clock
from tests.integration.workflow_helpers import Desk, desk, new_piece

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


def submitted(writer: Desk, editor: Desk) -> tuple[int, int, int]:
    """The columnist submits a piece; the editor opens it. (writer's piece, post, editor's piece)"""
    piece = new_piece(writer.core)
    assert piece.id is not None
    outcome = writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id)
    assert outcome.done, outcome.job.last_error
    post_id = int(outcome.job.result["post_id"])
    opened = editor.core.workflow.open_post(editor.site.id, post_id)
    assert opened.id is not None
    return piece.id, post_id, opened.id


def site_notes(
    wordpress: WordPressServer, post_id: int, user: str = "editor"
) -> list[dict[str, object]]:
    found = wordpress.rest("GET", "/copydesk/v1/notes", user, params={"posts": str(post_id)})
    notes: list[dict[str, object]] = found["notes"]
    return notes


def anonymous(wordpress: WordPressServer, url: str, **params: object) -> requests.Response:
    with requests.Session() as session:
        session.trust_env = False
        return session.get(url, params=params, timeout=30)


def test_the_editors_notes_reach_the_columnist_and_the_replies_come_back(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock) as editor,
    ):
        piece_id, post_id, opened_id = submitted(writer, editor)
        assert editor.core.notes.sharing(opened_id).shared

        on_passage = editor.core.notes.add_on_quote(opened_id, "Nobody on it", "Who? Name one.")
        whole = editor.core.notes.add(opened_id, "Good length for the slot.")
        assert on_passage.pending and whole.pending
        report = editor.core.notes.sync()
        assert report.errors == [] and report.sent == 1
        assert len(site_notes(wordpress, post_id)) == 2

        report = writer.core.notes.sync()
        assert (report.added, report.errors) == (2, [])
        threads = writer.core.notes.threads(piece_id)
        assert [t.note.body for t in threads] == ["Who? Name one.", "Good length for the slot."]
        first = threads[0]
        body = writer.core.pieces.get(piece_id).body
        assert first.placement is not None
        assert body[first.placement.start : first.placement.end] == "Nobody on it"
        assert (first.note.author, first.note.mine) == ("Editor", False)
        with pytest.raises(PermissionDenied):
            writer.core.notes.edit(first.note.id, "Not mine to change")

        # the columnist replies; the editor gets the reply and resolves the note
        writer.core.notes.reply(first.note.id, "Ana, a night nurse; added.")
        [outcome] = writer.core.notes.send(piece_id)
        assert outcome.done, outcome.job.last_error
        editor.core.notes.sync()
        [editor_thread, _whole] = editor.core.notes.threads(opened_id)
        assert [(r.author, r.body) for r in editor_thread.replies] == [
            ("Contributor", "Ana, a night nurse; added.")
        ]
        editor.core.notes.resolve(editor_thread.note.id)
        editor.core.notes.edit(whole.id, "Good length; keep the ending.")
        editor.core.notes.sync()
        writer.core.notes.sync()
        by_body = {t.note.body: t for t in writer.core.notes.threads(piece_id)}
        assert by_body["Who? Name one."].note.resolved
        assert by_body["Who? Name one."].note.resolved_by == "Editor"
        assert "Good length; keep the ending." in by_body
        assert writer.core.notes.open_count(piece_id) == 1

        # deleted by its author: gone from the site and, at the next sync, from the columnist's library
        editor.core.notes.delete(whole.id)
        editor.core.notes.sync()
        assert len(site_notes(wordpress, post_id)) == 2  # the note on the passage and its reply
        assert writer.core.notes.sync().removed == 1
        assert [t.note.body for t in writer.core.notes.threads(piece_id)] == ["Who? Name one."]


def make_contributor(wordpress: WordPressServer) -> tuple[str, str]:
    """A second contributor on the site (user name, application password)."""
    out = wordpress.run_php(
        """
        $id = wp_insert_user(array('user_login' => 'contributor2', 'user_pass' => wp_generate_password(),
            'user_email' => 'c2@example.test', 'role' => 'contributor', 'display_name' => 'Other'));
        $made = WP_Application_Passwords::create_new_application_password($id, array('name' => 't'));
        $password = $made[0];
        echo json_encode(array('contributor2', $password));
        """
    )
    name, password = json.loads(out.strip().splitlines()[-1])
    return str(name), str(password)


def test_notes_are_invisible_to_visitors_other_contributors_and_core_comment_routes(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock) as editor,
    ):
        piece_id, post_id, opened_id = submitted(writer, editor)
        editor.core.notes.add_on_quote(opened_id, "Nobody on it", "SECRET-NOTE-TEXT")
        assert editor.core.notes.sync().errors == []
        [note] = site_notes(wordpress, post_id)
        note_id = int(str(note["id"]))

        # published: the columnist (the post's author) still reads the notes; visitors see none
        outcome = editor.send(editor.core.workflow.approve(opened_id, publish=True).id)
        assert outcome.done, outcome.job.last_error
        writer.core.notes.sync()
        assert [t.note.body for t in writer.core.notes.threads(piece_id)] == ["SECRET-NOTE-TEXT"]
        link = str(wordpress.rest("GET", f"/wp/v2/posts/{post_id}")["link"])
        for url, params in (
            (link, {}),
            (f"{wordpress.url}/?feed=comments-rss2", {}),
            (f"{link.rstrip('/')}/feed/", {}),
            (wordpress.rest_url("/wp/v2/comments"), {"post": post_id}),
        ):
            page = anonymous(wordpress, url, **params)
            assert "SECRET-NOTE-TEXT" not in page.text, url
        assert (
            anonymous(wordpress, wordpress.rest_url("/copydesk/v1/notes"), posts=post_id).status_code
            == 401
        )

        # core's comment routes: not listed, whatever is asked; not readable by id; not counted
        for params in ({"post": post_id}, {"post": post_id, "status": "copydesk_note",
                                           "type": "copydesk_note"}):  # fmt: skip
            assert wordpress.rest("GET", "/wp/v2/comments", "admin", params=params) == []
        with requests.Session() as session:
            session.trust_env = False
            got = session.get(wordpress.rest_url(f"/wp/v2/comments/{note_id}"),
                              auth=wordpress.auth("admin"), timeout=30)  # fmt: skip
        assert got.status_code == 404
        counts = wordpress.run_php(
            f"echo get_comments_number({post_id}) . ' ' . wp_count_comments({post_id})->total_comments;"
        )
        assert counts.strip().splitlines()[-1] == "0 0"

        # another contributor may not read them
        name, password = make_contributor(wordpress)
        with requests.Session() as session:
            session.trust_env = False
            got = session.get(wordpress.rest_url("/copydesk/v1/notes"), params={"posts": post_id},
                              auth=(name, password), timeout=30)  # fmt: skip
            assert got.status_code == 200 and got.json() == {"notes": [], "missing": [post_id]}
            made = session.post(wordpress.rest_url("/copydesk/v1/notes"), auth=(name, password),
                                json={"post": post_id, "text": "x"}, timeout=30)  # fmt: skip
            assert made.status_code == 403


def note_create(request: Request) -> bool:
    return request.method == "POST" and route(request).endswith("/copydesk/v1/notes")


def test_a_note_made_offline_lands_once_even_when_the_answer_is_lost(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    with (
        FaultProxy(wordpress.url) as proxy,
        desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock, url=proxy.url) as editor,
    ):
        _piece_id, post_id, opened_id = submitted(writer, editor)
        proxy.stop()  # offline: the note waits in the outbox
        note = editor.core.notes.add_on_quote(opened_id, "midnight", "Which midnight?")
        [outcome] = editor.core.notes.send(opened_id)
        assert not outcome.done and outcome.job.waiting_to_retry
        assert editor.core.notes.store.get(note.id).pending

        proxy.start()  # back online, but the answer to the create is lost on the way
        proxy.add(note_create, "drop")
        clock.advance(120)
        [outcome] = editor.core.notes.send(opened_id)
        assert not outcome.done and outcome.job.error_kind == "lost"
        assert len(site_notes(wordpress, post_id)) == 1  # it landed, the answer did not

        clock.advance(120)
        [outcome] = editor.core.notes.send(opened_id)
        assert outcome.done, outcome.job.last_error
        assert outcome.job.result["created"] == 0  # the site knew its uid: not made twice
        [on_site] = site_notes(wordpress, post_id)
        assert on_site["uid"] == note.uid and on_site["text"] == "Which midnight?"
        assert not editor.core.notes.store.get(note.id).pending
