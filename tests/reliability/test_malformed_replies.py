"""Garbage from the site at every step of push, pull and comment sync.

A clean run of each command records its requests through the proxy; then, for each request in turn,
the command runs again with that one answer replaced by garbage (invalid JSON, JSON of the wrong
shape, an HTML page). Each run must end with one clear line (no traceback); after it, with the site
answering properly again, the same command must work and leave one post per piece: nothing lost.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.core import open_core
from tests.helpers.cli_runner import Cli
from tests.helpers.comments import seed_comments
from tests.helpers.fault_proxy import Request, http_response, route
from tests.helpers.pictures import write_png
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.reliability.conftest import FaultRecorder
from tests.reliability.faults import ReliabilityProxy
from tests.reliability.test_network import posts_by_title

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]

GARBAGE = {
    "invalid JSON": http_response(200, '{"id": 12, "title": {"raw": "cut'),
    "JSON of the wrong shape": http_response(
        200, '{"id": "abc", "title": 5, "content": [], "status": {"x": 1}, "link": null}'
    ),
    "a list where an object belongs": http_response(201, "[1, 2, 3]"),
    "an HTML page": http_response(
        200, "<html><body>Under maintenance</body></html>", {"Content-Type": "text/html"}
    ),
}


@pytest.fixture
def proxy(wordpress: WordPressServer) -> Iterator[ReliabilityProxy]:
    with ReliabilityProxy(wordpress.url) as running:
        yield running


def nth_request(n: int) -> Callable[[Request], bool]:
    counter = itertools.count()
    return lambda _request: next(counter) == n


class Library:
    """A fresh library with the proxied site added (as admin) and one piece."""

    def __init__(
        self,
        folder: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        wp: WordPressServer,
        proxy: ReliabilityProxy,
    ) -> None:
        folder.mkdir()
        self.data = folder
        self.cli = Cli(capsys, monkeypatch, folder)
        user = wp.users["admin"]
        code, _out, err = self.cli(
            "site", "add", "Site", "--url", proxy.url, "--user", user["user"], stdin=user["app_password"]
        )
        assert code == 0, err
        home = folder / "piece"
        write_png(home / "pic.png")
        (home / "piece.md").write_text(
            "---\ntitle: Garbage test\ntags: [tides, moon]\ncategories: [Science]\n---\n"
            "Kept words.\n\n![A picture](pic.png)\n",
            encoding="utf-8",
        )
        core = open_core(folder)
        try:
            self.piece = core.import_markdown(home / "piece.md")
            self.original = self.piece.body
        finally:
            core.close()

    def body(self) -> str:
        core = open_core(self.data)
        try:
            return core.pieces.get(self.piece.id).body
        finally:
            core.close()


COMMANDS: dict[str, Callable[[Library], list[str]]] = {
    "push": lambda lib: ["push", str(lib.piece.id), "--site", "Site"],
    "pull (list)": lambda _lib: ["pull", "--site", "Site"],
    "comments sync": lambda _lib: ["comments", "sync", "--site", "Site"],
}


def one_line(code: int, err: str) -> str | None:
    lines = [line for line in err.splitlines() if line.strip()]
    if "Traceback" in err:
        return "a traceback"
    if code != 0 and len(lines) != 1:
        return f"{len(lines)} lines on stderr"
    return None


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_garbage_at_every_step_gives_one_clear_line_and_loses_nothing(
    *,
    command: str,
    wordpress: WordPressServer,
    proxy: ReliabilityProxy,
    secret_service: SecretService,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    ledger: FaultRecorder,
) -> None:
    fault = f"malformed replies at every step ({command})"
    seed_comments(wordpress, posts=2, per_post=5, statuses=False)
    clean = Library(tmp_path / "clean", capsys, monkeypatch, wordpress, proxy)
    start = len(proxy.requests)
    code, _out, err = clean.cli(*COMMANDS[command](clean))
    assert code == 0, err
    steps = [f"{r.method} {route(r)}" for r in proxy.requests[start:]]
    assert steps, "the command made no request"
    runs = 0
    for step, (kind, garbage) in itertools.product(range(len(steps)), GARBAGE.items()):
        lib = Library(tmp_path / f"s{step}-{runs}", capsys, monkeypatch, wordpress, proxy)
        proxy.rules.clear()
        proxy.add(nth_request(step), "respond", garbage)
        try:
            code, _out, err = lib.cli(*COMMANDS[command](lib))
        except Exception as exc:  # escaped the command line: the bug
            code, err = -1, f"Traceback: {type(exc).__name__}: {exc}"
        runs += 1
        problem = one_line(code, err)
        if problem:
            ledger.lost(fault, f"{kind} at {steps[step]}: {problem} ({err.strip()[-90:]!r})")
        proxy.rules.clear()
        if lib.body() != lib.original:
            ledger.lost(fault, f"{kind} at {steps[step]}: the piece changed")
        code, _out, err = lib.cli(*COMMANDS[command](lib))
        if code != 0:
            ledger.lost(
                fault, f"{kind} at {steps[step]}: the command fails afterwards: {err.strip()[:90]}"
            )
    ledger.injected(fault, runs)
    ledger.figure(fault, f"{len(steps)} steps × {len(GARBAGE)} kinds of garbage")
    if command == "push":
        count = len(posts_by_title(wordpress).get("Garbage test", []))
        expected = runs + 1  # one post per library: each is its own piece
        if count > expected:
            ledger.lost(fault, f"{count - expected} duplicate posts")
    assert ledger.losses(fault) == []
