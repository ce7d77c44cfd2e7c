"""Custom statuses a site registers (as PublishPress does) are read from ``/wp/v2/statuses`` and
shown by the site's own label, in the queue, the timeline and the piece's status; Copydesk never
sets one."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.pieces.workflow import Status
from tests.helpers.cli_runner import Cli
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import Clock
from tests.integration.workflow_helpers import desk, new_piece, post

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]

LABEL = "Story pitch — to assign"
REGISTER = f"""
add_action('init', function () {{
    register_post_status('pitch', array(
        'label' => {json.dumps(LABEL, ensure_ascii=False)},
        'protected' => true,
        'show_in_admin_all_list' => true,
        'show_in_admin_status_list' => true,
    ));
}});
"""


@pytest.fixture
def make_cli(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    secret_service: SecretService,
) -> Callable[[Path], Cli]:
    return lambda folder: Cli(capsys, monkeypatch, folder)


@pytest.fixture
def pitch(wordpress: WordPressServer) -> Iterator[WordPressServer]:
    with wordpress.mu_plugin("pitch-status", REGISTER):
        yield wordpress


def test_a_custom_status_is_shown_by_the_sites_label(
    tmp_path: Path, pitch: WordPressServer, clock: Clock, make_cli: Callable[[Path], Cli]
) -> None:
    statuses = pitch.rest("GET", "/wp/v2/statuses", "editor")
    assert statuses["pitch"]["name"] == LABEL  # the site really registers it
    with (
        desk(tmp_path / "columnist", pitch, "contributor", clock) as writer,
        desk(tmp_path / "editor", pitch, "editor", clock) as editor,
    ):
        piece = new_piece(writer.core)
        outcome = writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id)
        assert outcome.done, outcome.job.last_error
        post_id = int(outcome.job.result["post_id"])
        other = new_piece(writer.core, "Ferry timetables")
        assert writer.send(writer.core.workflow.submit(other.id, writer.site.id).id).done
        # the site's own workflow (PublishPress, say) moves the first one to its custom status
        pitch.rest("POST", f"/wp/v2/posts/{post_id}", "admin", json={"status": "pitch"})
        assert post(pitch, post_id)["status"] == "pitch"

        # the queue: both posts, the custom one by its label
        items = {item.post_id: item for item in editor.core.workflow.queue(editor.site.id)}
        assert items[post_id].status == "pitch" and items[post_id].status_label == LABEL
        assert {i.status_label for i in items.values() if i.post_id != post_id} == {"Pending review"}
        cached = {item.post_id: item for item in editor.core.workflow.cached_queue(editor.site.id)}
        assert cached[post_id].status_label == LABEL  # offline too

        # the columnist's sync: the piece keeps its status here, and says where it stands there
        writer.sync()
        flow = writer.core.workflow
        assert writer.core.pieces.get(piece.id).status is Status.SUBMITTED
        assert flow.site_statuses(piece.id) == [("Gazette", LABEL)]
        steps = [e.text for e in flow.timeline(piece.id) if e.to_status == "pitch"]
        assert steps and all(step.endswith(f"→ {LABEL}") for step in steps)
        # never offered as something to set: the local statuses are the piece's own
        assert all(isinstance(s, Status) for s in flow.allowed_statuses(piece.id))

    code, out, err = make_cli(tmp_path / "editor")(
        "review", "list", "--site", "Gazette", "--cached", "--json"
    )
    assert code == 0, err
    shown = {row["post_id"]: row["status_label"] for row in json.loads(out)}
    assert shown[post_id] == LABEL
    code, out, err = make_cli(tmp_path / "columnist")("timeline", str(piece.id))
    assert code == 0, err
    assert out.splitlines()[0] == f"On Gazette: {LABEL}."
