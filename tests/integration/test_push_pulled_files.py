"""Text that came from a site never names a local file that a push then sends.

Against the real WordPress: a post whose HTML (or whose text, written as Markdown) names a file on
this computer is pulled, and pushing it back is refused with a message that names the file and says
why; nothing reaches the media library, the outbox job fails for good. The same holds for the site's
version taken over a piece and for a merge. Pictures the user inserts later still go out, and so do
those of a piece written in the app. Pieces made before the origin was recorded are judged from their
revisions (:func:`app.pieces.origin.origin_of`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.core import Core
from app.errors import InvalidInputError
from app.outbox.data import JobState
from app.pieces import origin
from app.pieces.data import PieceData
from app.publishing.safety import PushConflictError
from app.remote import RemoteServices
from tests.helpers.pictures import write_png
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import AddSite

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]

REFUSED = "was named by text that came from the site, not chosen by you"


def media_names(wp: WordPressServer) -> list[str]:
    media = wp.rest("GET", "/wp/v2/media", params={"per_page": 100})
    assert isinstance(media, list)
    return sorted(str(m["source_url"]).rsplit("/", 1)[-1] for m in media)


def post(wp: WordPressServer, content: str, title: str = "Harbour lights") -> dict[str, Any]:
    """A post written on the site by its editor (who may use any HTML)."""
    made = wp.rest("POST", "/wp/v2/posts", "editor", json={"title": title, "content": content})
    assert isinstance(made, dict)
    return made


@pytest.fixture
def private(tmp_path: Path) -> Path:
    """A picture of the user's that no site should be able to name into a push."""
    return write_png(tmp_path / "Pictures" / "private.png", 40, 30, (200, 0, 0))


def assert_refused_everywhere(  # noqa: PLR0913, PLR0917 - the whole scene of one refusal
    remote: RemoteServices,
    wordpress: WordPressServer,
    piece_id: int,
    site_id: int,
    private: Path,
    uploaded: tuple[str, ...] = (),
) -> None:
    """A push and an outbox job of the piece are refused because of *private*; nothing more goes out
    than *uploaded*."""
    with pytest.raises(InvalidInputError) as refused:
        remote.publisher.push(piece_id, site_id)
    assert f"{private} {REFUSED}, so it was not sent." in refused.value.message
    assert "Remove the image from the text" in refused.value.hint
    assert media_names(wordpress) == list(uploaded)
    job = remote.outbox.enqueue_push(piece_id, site_id)
    outcome = remote.worker().run_job(job.id)
    assert outcome.job.state == JobState.FAILED and outcome.job.attempts == 1
    assert outcome.job.error_kind == "input" and str(private) in outcome.job.last_error
    assert remote.worker().run_due() == []
    assert media_names(wordpress) == list(uploaded)


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        ('<p>Night.</p><figure><img src="{path}" alt="x"></figure>', "![x]({path})"),
        ('<p>Night.</p><img src="file://{path}">', "file://{path}"),
        ("<p>Night.</p><p>![x]({path})</p>", "![x]({path})"),  # Markdown written out as text
    ],
    ids=["absolute-path", "file-uri", "markdown-as-text"],
)
def test_a_pulled_post_cannot_make_a_push_upload_a_local_file(
    *,
    core: Core,
    remote: RemoteServices,
    add_site: AddSite,
    wordpress: WordPressServer,
    private: Path,
    expect_log: Any,
    content: str,
    shown: str,
) -> None:
    expect_log("app.publishing.pull", "WARNING", f"a push will not send them .*{private}")
    site = add_site("editor")
    hostile = post(wordpress, content.replace("{path}", str(private)))
    piece = remote.puller.import_post(site.id, hostile["id"])
    assert piece.id is not None
    visible = piece.body.replace("\\_", "_")  # Markdown written as text comes back escaped
    assert shown.replace("{path}", str(private)) in visible  # kept in the text, for the user to see
    assert origin.Origin.of(piece.extra) == origin.Origin(
        origin.PULLED, None, frozenset(), frozenset({str(private)})
    )
    assert_refused_everywhere(remote, wordpress, piece.id, site.id, private)
    # once the user takes the image out, the push goes through
    stored = core.pieces.get(piece.id)
    core.pieces.save(stored.copy(body="Night.\n"))
    assert remote.publisher.push(piece.id, site.id).uploaded == 0


def test_pictures_the_user_inserts_in_a_pulled_piece_go_out(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer, tmp_path: Path
) -> None:
    site = add_site("editor")
    pulled = remote.puller.import_post(site.id, post(wordpress, "<p>Night.</p>")["id"])
    assert pulled.id is not None
    inserted = write_png(tmp_path / "Pictures" / "inserted.png", 10, 10, (9, 9, 9))
    front = write_png(tmp_path / "Pictures" / "front.png", 30, 20, (0, 0, 200))
    stored = core.pieces.get(pulled.id)
    core.pieces.save(
        stored.copy(body=stored.body + f"\n![Lights]({inserted})\n", featured_image=str(front))
    )
    result = remote.publisher.push(pulled.id, site.id)
    assert result.uploaded == 2
    assert media_names(wordpress) == ["front.png", "inserted.png"]


def test_the_sites_version_taken_over_a_piece_cannot_name_a_local_file(
    *,
    core: Core,
    remote: RemoteServices,
    add_site: AddSite,
    wordpress: WordPressServer,
    tmp_path: Path,
    private: Path,
) -> None:
    site = add_site("editor")
    own = write_png(tmp_path / "Pictures" / "own.png", 12, 12, (0, 120, 0))
    piece = core.pieces.create(PieceData(title="Tides", body=f"Words.\n\n![Own]({own})\n"))
    assert piece.id is not None
    first = remote.publisher.push(piece.id, site.id)
    assert first.uploaded == 1
    # on the site, someone adds a picture that points into the user's home
    wordpress.rest(
        "POST",
        f"/wp/v2/posts/{first.post_id}",
        "editor",
        json={"content": f'<p>Words.</p><img src="{private}" alt="p">'},
    )
    taken = remote.publisher.take_theirs(piece.id, site.id)
    assert f"![p]({private})" in taken.body
    assert_refused_everywhere(remote, wordpress, piece.id, site.id, private, uploaded=("own.png",))


def test_a_merge_keeps_the_sites_files_refused(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer, private: Path
) -> None:
    site = add_site("editor")
    piece = core.pieces.create(PieceData(title="Tides", body="Words.\n"))
    assert piece.id is not None
    first = remote.publisher.push(piece.id, site.id)
    wordpress.rest(
        "POST",
        f"/wp/v2/posts/{first.post_id}",
        "editor",
        json={"content": f'<p>Words.</p><img src="{private}" alt="p">'},
    )
    core.pieces.save(core.pieces.get(piece.id).copy(body="Words, mine.\n"))
    with pytest.raises(PushConflictError) as conflict:
        remote.publisher.push(piece.id, site.id)
    info = conflict.value.info
    merged = info.mine.copy(body=f"Words, mine.\n\n![p]({private})\n")  # what the merge view makes
    with pytest.raises(InvalidInputError, match=REFUSED):
        remote.publisher.push_merged(info, merged)
    assert media_names(wordpress) == []


@pytest.mark.parametrize("reason", ["pulled", "imported"])
def test_a_piece_from_before_the_record_is_judged_by_its_first_revision(
    *,
    core: Core,
    remote: RemoteServices,
    add_site: AddSite,
    wordpress: WordPressServer,
    tmp_path: Path,
    private: Path,
    reason: Any,
) -> None:
    """No record: the files its first text named are refused (where they came from is unknown);
    pictures inserted since go out, and a piece written in the app is not touched."""
    site = add_site("editor")
    old = core.pieces.create(PieceData(title="Old", body=f"Hi.\n\n![p]({private})\n"), reason=reason)
    assert old.id is not None and origin.Origin.of(old.extra) is None
    with pytest.raises(InvalidInputError) as refused:
        remote.publisher.push(old.id, site.id)
    assert str(private) in refused.value.message
    expected = REFUSED if reason == "pulled" else origin.UNKNOWN_FOLDER
    assert expected in refused.value.message
    assert media_names(wordpress) == []
    # taken out, and a picture inserted since: that one goes out
    inserted = write_png(tmp_path / "Pictures" / "later.png", 10, 10, (1, 2, 3))
    core.pieces.save(core.pieces.get(old.id).copy(body=f"Hi.\n\n![l]({inserted})\n"))
    assert remote.publisher.push(old.id, site.id).uploaded == 1
    # written in the app, the same file named: the user chose it, it goes out
    written = core.pieces.create(PieceData(title="Mine", body=f"![p]({private})\n"))
    assert written.id is not None
    assert remote.publisher.push(written.id, site.id).uploaded == 1
    assert media_names(wordpress) == ["later.png", "private.png"]
