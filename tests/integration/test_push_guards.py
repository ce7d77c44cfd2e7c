"""What a push refuses or repairs, on the real WordPress: a schedule WordPress would publish at once,
a post deleted on the site (unlink, push as new), a post id the site reuses after a reset."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.core import Core
from app.errors import NotFoundError
from app.outbox.data import JobState
from app.pieces.data import PieceData
from app.publishing.guards import ScheduleTooSoonError
from app.remote import RemoteServices
from tests.helpers.cli_runner import Cli
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import AddSite, Clock
from tests.integration.test_cli_remote import add_site as cli_add_site
from tests.integration.test_cli_remote import new_piece as cli_new_piece

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


def posts(wp: WordPressServer) -> list[dict[str, Any]]:
    found = wp.rest("GET", "/wp/v2/posts", params={"status": "any", "context": "edit"})
    assert isinstance(found, list)
    return found


def new_piece(core: Core, title: str = "Night buses", **fields: Any) -> PieceData:
    data = PieceData(title=title, body="It was late.\n")
    return core.pieces.create(data.copy(**fields))


# -- the scheduling guard ----------------------------------------------------------------------


def test_a_schedule_that_passed_while_queued_is_not_published(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer, clock: Clock
) -> None:
    """Queued 90 s ahead, sent two minutes later: refused, nothing on the site."""
    site = add_site("editor")
    piece = new_piece(core, publish_at=clock() + timedelta(seconds=90))
    job = remote.outbox.enqueue_push(piece.id, site.id, status="future")
    clock.advance(120)
    outcome = remote.worker().run_job(job.id)
    assert outcome.job.state == JobState.FAILED
    assert isinstance(outcome.error, ScheduleTooSoonError) and outcome.error.passed
    assert "WordPress would publish the piece at once" in outcome.job.last_error
    assert posts(wordpress) == []


def test_the_command_line_offers_publish_now_or_a_time(
    cli: Cli, wordpress: WordPressServer, tmp_path: Path
) -> None:
    cli_add_site(cli, wordpress, "editor")
    piece = cli_new_piece(cli, tmp_path)
    code, out, err = cli(
        "push", piece, "--site", "Gazette", "--status", "future", "--at", "2020-01-01T09:00"
    )
    assert code == 1 and out == ""
    assert "has passed, so nothing was sent" in err
    assert f'copydesk push {piece} --site "Gazette" --status publish' in err
    assert "--at 2026-12-24T09:00" in err
    assert posts(wordpress) == []
    later = (datetime.now(UTC) + timedelta(hours=3)).replace(microsecond=0)
    code, out, err = cli(
        "push", piece, "--site", "Gazette", "--status", "future", "--at", later.isoformat(),
        "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert json.loads(out)["status"] == "future"
    [post] = posts(wordpress)
    assert post["date_gmt"] == later.strftime("%Y-%m-%dT%H:%M:%S")


# -- unlink and push as a new post -------------------------------------------------------------


def test_unlink_after_the_post_was_deleted_on_the_site(
    cli: Cli, wordpress: WordPressServer, tmp_path: Path
) -> None:
    cli_add_site(cli, wordpress)
    code, out, _ = cli("site", "list", "--json")
    assert json.loads(out)[0]["mapping"] == (
        "byline as the post's author; standfirst as the lead paragraph"
    )
    piece = cli_new_piece(cli, tmp_path)
    code, out, _ = cli("push", piece, "--site", "Gazette", "--json")
    first = json.loads(out)["post_id"]
    wordpress.rest("DELETE", f"/wp/v2/posts/{first}", params={"force": "true"})
    code, _, err = cli("push", piece, "--site", "Gazette")
    assert code == 1 and "no longer exists" in err and "--as-new" in err
    code, out, err = cli("unlink", piece)
    assert (code, err) == (0, "")
    assert out == (
        f"Unlinked piece {piece} from Gazette (post #{first} stays on the site); its next push "
        "there makes a new post.\n"
    )
    code, out, err = cli("unlink", piece)
    assert code == 1 and "is not linked to any site" in err
    code, out, _ = cli("push", piece, "--site", "Gazette", "--json")
    assert code == 0 and json.loads(out)["created"]
    assert [p["id"] for p in posts(wordpress)] == [json.loads(out)["post_id"]]


def test_push_as_new_makes_a_second_post(cli: Cli, wordpress: WordPressServer, tmp_path: Path) -> None:
    cli_add_site(cli, wordpress)
    piece = cli_new_piece(cli, tmp_path)
    code, out, _ = cli("push", piece, "--site", "Gazette", "--json")
    first = json.loads(out)["post_id"]
    code, out, err = cli("push", piece, "--site", "Gazette", "--as-new")
    assert (code, err) == (0, "")
    assert out.startswith("Forgot the post it was pushed to on Gazette; pushing it as a new post.\n")
    assert "Pushed a new post on Gazette" in out
    ids = sorted(p["id"] for p in posts(wordpress))
    assert len(ids) == 2 and first in ids


# -- a post id reused after a site reset -------------------------------------------------------


def test_a_post_id_reused_after_a_reset_is_explained_not_a_crash(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("editor")
    old = new_piece(core, "Before the reset")
    before = remote.publisher.push(old.id, site.id, status="publish")
    wordpress.reset()  # the site is restored from its snapshot: post ids start again
    new = new_piece(core, "After the reset")
    after = remote.publisher.push(new.id, site.id, status="publish")
    assert after.post_id == before.post_id and after.created  # the same number, another post
    assert after.notices == (
        f"{site.name} gave this post the number #{after.post_id}, which “Before the reset” was "
        "linked to: that post is gone (the site was probably reset or restored). “Before the "
        "reset” is no longer linked there; its next push makes a new post.",
    )
    assert remote.publisher.links_of(old.id) == []
    [link] = remote.publisher.links_of(new.id)
    assert link.remote_id == after.post_id
    again = remote.publisher.push(old.id, site.id, status="publish")  # a new post of its own
    assert again.created and again.post_id != after.post_id
    assert {p["id"]: p["title"]["raw"] for p in posts(wordpress)} == {
        after.post_id: "After the reset",
        again.post_id: "Before the reset",
    }


def test_a_linked_post_that_is_another_pieces_now_is_never_overwritten(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("editor")
    mine = new_piece(core, "Mine")
    before = remote.publisher.push(mine.id, site.id, status="draft")
    wordpress.reset()
    other_uid = str(uuid.uuid4())  # made by another Copydesk library after the reset
    made = wordpress.rest(
        "POST", "/wp/v2/posts",
        json={"title": "Theirs", "content": "<p>Theirs.</p>", "meta": {"copydesk_uid": other_uid}},
    )  # fmt: skip
    assert made["id"] == before.post_id
    core.pieces.save(core.pieces.get(mine.id).copy(body="Edited.\n"))
    with pytest.raises(NotFoundError, match="no longer this piece's") as refused:
        remote.publisher.push(mine.id, site.id)
    assert refused.value.hint == "Push it again to make a new post."
    post = wordpress.rest("GET", f"/wp/v2/posts/{made['id']}", params={"context": "edit"})
    assert post["content"]["raw"] == "<p>Theirs.</p>"  # untouched
    assert remote.publisher.links_of(mine.id) == []
    again = remote.publisher.push(mine.id, site.id)
    assert again.created and again.post_id != made["id"]
