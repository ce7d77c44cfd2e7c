"""``copydesk submit | review | pieces sync | timeline | calendar`` on two libraries and one site."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers.cli_runner import Cli
from tests.helpers.fault_proxy import FaultProxy
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import Clock
from tests.integration.workflow_helpers import desk, new_piece, post

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]

MakeCli = Callable[[Path], Cli]


@pytest.fixture
def make_cli(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    secret_service: SecretService,
) -> MakeCli:
    """``copydesk`` on the library in a folder, with the test keyring."""
    return lambda folder: Cli(capsys, monkeypatch, folder)


def test_the_review_round_trip_on_the_command_line(
    tmp_path: Path, wordpress: WordPressServer, clock: Clock, make_cli: MakeCli
) -> None:
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock),
    ):
        piece = new_piece(writer.core)
    columnist = make_cli(tmp_path / "columnist")
    desk_cli = make_cli(tmp_path / "editor")

    code, out, err = columnist("submit", str(piece.id), "--site", "Gazette")
    assert (code, err) == (0, "")
    assert out == "Submitted for review as post 1 (pending).\n"

    code, out, err = desk_cli("review", "list", "--site", "Gazette", "--json")
    assert code == 0, err
    [item] = json.loads(out)
    assert (item["post_id"], item["title"], item["byline"], item["word_count"]) == (
        1, "Night buses", "Contributor", 12,
    )  # fmt: skip
    code, out, err = desk_cli("review", "open", "1", "--site", "Gazette")
    assert code == 0, err
    opened = int(out)

    # bad input: one line on stderr, exit 1, nothing queued
    past = (datetime.now().astimezone() - timedelta(hours=1)).isoformat(timespec="minutes")
    for args in (
        ("review", "approve", str(opened), "--at", past),
        ("review", "approve", str(opened), "--at", "next tuesday"),
        ("review", "return", str(opened), "--note", "  "),
        ("review", "approve", "999"),
    ):
        code, out, err = desk_cli(*args)
        assert code == 1 and out == "" and err.count("\n") == 1, (args, err)
    code, out, _err = desk_cli("outbox", "--json")
    assert json.loads(out) == []
    code, out, err = columnist("review", "approve", str(piece.id), "--publish")
    assert code == 1
    assert err == (
        "copydesk: Your role on Gazette (Contributor) does not allow you to publish pieces. Submit "
        "it for review; an editor of the site approves and publishes it.\n"
    )

    code, out, err = desk_cli("review", "return", str(opened), "--note", "Name the driver.")
    assert (code, err) == (0, ""), err
    code, out, err = columnist("pieces", "sync")
    assert code == 0, err
    assert "1 piece returned to you on Gazette" in out
    code, out, err = columnist("timeline", str(piece.id))
    assert code == 0, err
    line = f"returned with changes requested: “Name the driver.” — Editor on {socket.gethostname()}"
    assert line in out
    assert "queued" not in out  # a queued action that was carried out shows once, as done

    at = (datetime.now().astimezone() + timedelta(days=1)).replace(second=0, microsecond=0)
    assert columnist("submit", str(piece.id), "--site", "Gazette")[0] == 0
    assert desk_cli("pieces", "sync")[0] == 0
    code, out, err = desk_cli("review", "approve", str(opened), "--at", at.isoformat())
    assert code == 0, err
    assert out.startswith("Approved and scheduled (future,")
    assert post(wordpress, 1)["status"] == "future"
    code, out, err = desk_cli("calendar", "--days", "3", "--json")
    assert code == 0, err
    assert [(e["post_id"], e["status"], e["site"]) for e in json.loads(out)] == [
        (1, "future", "Gazette")
    ]


def test_an_action_that_cannot_reach_the_site_exits_75(
    tmp_path: Path, wordpress: WordPressServer, clock: Clock, make_cli: MakeCli
) -> None:
    with FaultProxy(wordpress.url) as proxy:
        with desk(tmp_path / "columnist", wordpress, "contributor", clock, url=proxy.url) as writer:
            piece = new_piece(writer.core)
        columnist = make_cli(tmp_path / "columnist")
        proxy.stop()
        code, out, err = columnist("submit", str(piece.id), "--site", "Gazette")
        assert code == 75
        assert "waits in the outbox as job 1" in err
        code, out, err = columnist("pieces", "sync")
        assert code == 75
        proxy.start()
        assert columnist("outbox", "retry", "1")[0] == 0  # due now, not after the backoff
        code, out, err = columnist("outbox", "run")
        assert code == 0, err
        assert post(wordpress, 1)["status"] == "pending"
