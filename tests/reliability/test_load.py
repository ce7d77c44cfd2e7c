"""Load: a library of 10,000 pieces and 100,000 comments, and a full outbox drained against WordPress.

The rows are copied in with SQL (the library's own triggers keep the search index), so seeding takes
seconds. The command line lists them and the outbox drains; the figures (throughput, peak memory)
are printed and recorded in the ledger, never asserted. The CI run drains 200 pushes; ``scripts/soak``
drains 1,000.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core import open_core
from app.pieces.data import PieceData
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.reliability.conftest import FaultRecorder, child_env
from tests.reliability.kills import ROOT
from tests.reliability.test_network import posts_by_title

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring, pytest.mark.slow]

PIECES = 10_000
COMMENTS = 100_000
MEASURED = (
    "import resource, sys, copydesk; code = copydesk.main(sys.argv[1:]); "
    "sys.stderr.write(f'MAXRSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n'); sys.exit(code)"
)


def measured_cli(data: Path, env: dict[str, str], *args: str) -> tuple[int, str, float, float]:
    """(exit status, stdout, seconds, peak MiB) of ``copydesk ARGS``."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, "--data-dir", str(data), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    rss = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("MAXRSS ")]
    assert done.returncode in (0, 75), done.stderr[-2000:]
    return done.returncode, done.stdout, seconds, (rss[-1] / 1024 if rss else 0.0)


def seed(data: Path, site_id: int) -> None:
    with contextlib.closing(sqlite3.connect(data / "library.sqlite")) as conn, conn:
        conn.execute(
            f"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {PIECES - 1})
            INSERT INTO pieces (uid, title, standfirst, slug, slug_manual, byline, body, excerpt,
                featured_image, publish_at, comment_status, status, word_count, disclaimer_id, extra,
                created_at, updated_at)
            SELECT lower(hex(randomblob(16))), 'Seeded column ' || i, standfirst, 'seeded-' || i,
                slug_manual, byline, body || ' ' || i, excerpt, featured_image, publish_at,
                comment_status, status, word_count, disclaimer_id, extra, created_at, updated_at
            FROM n, (SELECT * FROM pieces ORDER BY id LIMIT 1)
            """
        )
        conn.execute(
            f"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {COMMENTS})
            INSERT INTO comments (site_id, remote_id, post_id, parent_id, author_name, author_url,
                author_id, date_gmt, status, html, text, content_hash, votes, link, action,
                first_seen_at, updated_at)
            SELECT {site_id}, 1000000 + i, 1 + i % 500, 0, 'Reader ' || i, '', 0,
                datetime('2024-01-01', '+' || i || ' minutes'), 'approved',
                '<p>Comment number ' || i || '</p>', 'Comment number ' || i, '', 0, '', '',
                datetime('now'), datetime('now')
            FROM n
            """
        )


def run_load(
    actions: int,
    wordpress: WordPressServer,
    secret_service: SecretService,
    tmp_path: Path,
    ledger: FaultRecorder,
) -> None:
    fault = f"load: {PIECES:,} pieces, {COMMENTS:,} comments, {actions:,} queued pushes"
    data = tmp_path / "data"
    env = child_env(secret_service)
    core = open_core(data)
    try:
        user = wordpress.users["admin"]
        site, _ = core.remote.sites.add("Load", wordpress.url, user["user"], user["app_password"])
        core.pieces.create(PieceData(title="Template", body="Words of a column. " * 150))
        seed(data, site.id)
        queued = []
        for i in range(actions):
            piece = core.pieces.create(PieceData(title=f"Queued {i}", body=f"Queued words {i}.\n"))
            queued.append(core.remote.outbox.enqueue_push(piece.id, site.id, status="draft"))
    finally:
        core.close()
    ledger.injected(fault, actions)
    _, out, seconds, mib = measured_cli(data, env, "list", "--json")
    listed = len(json.loads(out))
    ledger.figure(fault, f"`list --json` of {listed:,} pieces: {seconds:.1f} s, {mib:.0f} MiB")
    _, out, seconds, mib = measured_cli(data, env, "comments", "list", "--json")
    ledger.figure(fault, f"`comments list --json`: {seconds:.1f} s, {mib:.0f} MiB")
    _, _out, seconds, mib = measured_cli(data, env, "outbox", "run")
    ledger.figure(fault, f"outbox drained at {actions / seconds:.1f} pushes/s, {mib:.0f} MiB")
    _, out, _, _ = measured_cli(data, env, "outbox", "--json")
    left = json.loads(out)
    if left:
        ledger.lost(fault, f"{len(left)} jobs left in the outbox")
    posts = posts_by_title(wordpress)
    wrong = {f"Queued {i}": len(posts.get(f"Queued {i}", [])) for i in range(actions)}
    wrong = {title: count for title, count in wrong.items() if count != 1}
    if wrong:
        first = sorted(wrong.items())[:5]
        ledger.lost(fault, f"{len(wrong)} pushes not on the site exactly once: {first}")
    if listed != PIECES + actions:
        ledger.lost(fault, f"`list` shows {listed:,} of {PIECES + actions:,} pieces")
    assert ledger.losses(fault) == []


def test_a_large_library_lists_and_drains_its_outbox(
    wordpress: WordPressServer, secret_service: SecretService, tmp_path: Path, ledger: FaultRecorder
) -> None:
    run_load(200, wordpress, secret_service, tmp_path, ledger)


@pytest.mark.soak
def test_a_large_library_drains_a_thousand_queued_pushes(
    wordpress: WordPressServer, secret_service: SecretService, tmp_path: Path, ledger: FaultRecorder
) -> None:
    run_load(1_000, wordpress, secret_service, tmp_path, ledger)
