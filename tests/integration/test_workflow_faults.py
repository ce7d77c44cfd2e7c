"""The review round trip with the network cut and answers lost at each step: every action waits in the
outbox and lands once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.outbox.queue import Job, JobState
from app.outbox.worker import JobOutcome
from app.pieces.workflow import Status
from tests.helpers.fault_proxy import FaultProxy, Request, route
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import Clock
from tests.integration.workflow_helpers import Desk, desk, new_piece, post

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


@pytest.fixture
def proxy(wordpress: WordPressServer) -> Iterator[FaultProxy]:
    with FaultProxy(wordpress.url) as running:
        yield running


def review_write(action: str) -> object:
    def match(request: Request) -> bool:
        return request.method == "POST" and route(request).endswith(f"/{action}")

    return match


def queued_then_sent(who: Desk, job_id: int, proxy: FaultProxy, clock: Clock) -> JobOutcome:
    """The job could not be sent (network cut): it waits; with the network back it lands."""
    outcome = who.send(job_id)
    assert not outcome.done
    assert outcome.job.state is JobState.QUEUED and outcome.job.waiting_to_retry
    proxy.start()
    clock.advance(120)
    [landed] = who.core.workflow.send_due()
    assert landed.done, landed.job.last_error
    return landed


def site_actions(wordpress: WordPressServer, post_id: int, action: str) -> int:
    review = wordpress.rest("GET", f"/copydesk/v1/reviews/{post_id}", "editor")
    return len([e for e in review["timeline"] if e["action"] == action])


def test_every_step_waits_offline_and_lands_once(
    tmp_path: Path,
    wordpress: WordPressServer,
    proxy: FaultProxy,
    secret_service: SecretService,
    clock: Clock,
) -> None:
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock, url=proxy.url) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock, url=proxy.url) as editor,
    ):
        piece = new_piece(writer.core)
        proxy.stop()
        job = writer.core.workflow.submit(piece.id, writer.site.id)
        landed = queued_then_sent(writer, job.id, proxy, clock)
        post_id = int(landed.job.result["post_id"])
        assert site_actions(wordpress, post_id, "submitted") == 1
        assert len(wordpress.rest("GET", "/wp/v2/posts", params={"status": "any"})) == 1

        opened = editor.core.workflow.open_post(editor.site.id, post_id)
        proxy.stop()
        job = editor.core.workflow.send_back(opened.id, "More about the driver.")
        queued_then_sent(editor, job.id, proxy, clock)
        assert post(wordpress, post_id)["status"] == "draft"
        assert site_actions(wordpress, post_id, "returned") == 1

        # offline, the writer's sync fails for that site and changes nothing
        proxy.stop()
        reports, errors = writer.core.workflow.sync()
        assert reports == [] and [name for name, _ in errors] == ["Gazette"]
        assert writer.core.pieces.get(piece.id).status is Status.SUBMITTED
        proxy.start()
        writer.sync()
        assert writer.core.pieces.get(piece.id).status is Status.CHANGES_REQUESTED

        # the answer to the resubmission is lost: sent again, it is recorded once
        proxy.add(review_write("submit"), "drop")
        job = writer.core.workflow.submit(piece.id, writer.site.id)
        outcome = writer.send(job.id)
        assert not outcome.done and outcome.job.error_kind == "lost"
        clock.advance(120)
        [landed] = writer.core.workflow.send_due()
        assert landed.done, landed.job.last_error
        assert site_actions(wordpress, post_id, "submitted") == 2  # the first and this one

        # the answer to the approval is lost: sent again, the plugin knows its request id
        editor.sync()
        proxy.add(review_write("approve"), "drop")
        at = datetime.now(UTC) + timedelta(days=1)
        job = editor.core.workflow.approve(opened.id, at=at)
        outcome = editor.send(job.id)
        assert not outcome.done and outcome.job.error_kind == "lost"
        assert post(wordpress, post_id)["status"] == "future"  # it did land
        clock.advance(120)
        [landed] = editor.core.workflow.send_due()
        assert landed.done, landed.job.last_error
        assert landed.job.result["repeated"] is True
        assert site_actions(wordpress, post_id, "scheduled") == 1
        assert editor.core.pieces.get(opened.id).status is Status.SCHEDULED


STEPS = ("submit", "return", "resubmit", "approve-schedule")


@pytest.mark.usefixtures("secret_service")
@pytest.mark.parametrize("cut", STEPS)
def test_the_round_trip_with_the_network_cut_at_one_step(
    tmp_path: Path, wordpress: WordPressServer, proxy: FaultProxy, clock: Clock, cut: str
) -> None:
    """The whole review with the network gone at one step: that action waits in the outbox, lands
    once when the network is back, and both libraries end where the site is."""

    def act(who: Desk, enqueue: Callable[[], Job], step: str) -> JobOutcome:
        if step != cut:
            outcome = who.send(enqueue().id)
            assert outcome.done, outcome.job.last_error
            return outcome
        proxy.stop()
        job = enqueue()  # asking needs no network
        assert who.core.workflow.waiting() == 1
        return queued_then_sent(who, job.id, proxy, clock)

    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock, url=proxy.url) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock, url=proxy.url) as editor,
    ):
        piece = new_piece(writer.core)
        landed = act(writer, lambda: writer.core.workflow.submit(piece.id, writer.site.id), "submit")
        post_id = int(landed.job.result["post_id"])
        opened = editor.core.workflow.open_post(editor.site.id, post_id)
        assert opened.id is not None
        act(editor, lambda: editor.core.workflow.send_back(opened.id, "Who drives it?"), "return")
        writer.sync()
        assert writer.core.pieces.get(piece.id).status is Status.CHANGES_REQUESTED
        revised = writer.core.pieces.get(piece.id)
        writer.core.pieces.save(revised.copy(body=revised.body + "\nMarta drives it.\n"))
        act(writer, lambda: writer.core.workflow.submit(piece.id, writer.site.id), "resubmit")
        editor.sync()
        at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
        act(editor, lambda: editor.core.workflow.approve(opened.id, at=at), "approve-schedule")
        writer.sync()
        editor.sync()

        assert post(wordpress, post_id)["status"] == "future"
        assert len(wordpress.rest("GET", "/wp/v2/posts", params={"status": "any"})) == 1
        counts = {a: site_actions(wordpress, post_id, a) for a in ("submitted", "returned", "scheduled")}
        assert counts == {"submitted": 2, "returned": 1, "scheduled": 1}  # each landed once
        mine, theirs = writer.core.pieces.get(piece.id), editor.core.pieces.get(opened.id)
        assert mine.status is theirs.status is Status.SCHEDULED
        assert mine.body == theirs.body and "Marta drives it." in theirs.body
        assert mine.publish_at == theirs.publish_at == at
        assert writer.core.workflow.waiting() == editor.core.workflow.waiting() == 0
