"""The comment desk against the real WordPress on loopback: sync, incremental sync, a big thread.

    .venv/bin/python benchmarks/comments.py [--runs 5] [--skip-ui]

Needs what the integration tests need (as root: ``scripts/install-test-services``). Starts two test
WordPress sites (with and without the companion plugin) and a private Secret Service, and stops them.

1. First sync of 5,000 comments across 50 posts (as an editor: the whole site), into a new library,
   next to plain paging of the same comments with ``requests`` alone (the same query Copydesk sends:
   ``status=any``, by id, 100 a page, the same ``_fields``; the JSON decoded, nothing stored). The runs
   alternate; medians are compared (target: within 1.2×). The default answer (no ``_fields``) is paged
   too, for reference.
2. An incremental sync after 10 new comments (and one comment moved to the spam on the site): requests
   and time, with the plugin and without it (target: a handful of requests).
3. The desk opening the thread of a post with 2,000 comments, offscreen: time until the tree is shown
   and painted, then each sort order; the process's memory before and after.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import keyring
import psutil
import requests
from common import ROOT
from keyring.backends.SecretService import Keyring as SecretServiceKeyring

from app.cms.wordpress.comments import FIELDS
from app.core import Core, open_core
from tests.helpers.comments import add_comment, seed_comments, set_status
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer

COMPANION = ROOT / "packaging" / "wordpress" / "copydesk-companion.php"
USER = "editor"


def plain_paging(wp: WordPressServer, *, fields: str | None) -> int:
    found = 0
    with requests.Session() as session:
        session.trust_env = False
        page = 1
        while True:
            params: dict[str, Any] = {
                "status": "any", "per_page": 100, "page": page, "orderby": "id", "order": "asc",
            }  # fmt: skip
            if fields:
                params["_fields"] = fields
            reply = session.get(
                wp.rest_url("/wp/v2/comments"), params=params, auth=wp.auth(USER), timeout=60
            )
            rows: list[Any] = reply.json()
            found += len(rows)
            if page >= int(reply.headers["X-WP-TotalPages"]):
                return found
            page += 1


def new_library(folder: Path, wp: WordPressServer) -> tuple[Core, int]:
    core = open_core(folder)
    site, _ = core.remote.sites.add("Bench", wp.url, USER, wp.users[USER]["app_password"])
    return core, site.id


def bench_first_sync(wp: WordPressServer, temp: Path, runs: int) -> Core:
    seed_comments(wp, posts=50, per_post=100, authors=("author", "author2"))
    time.sleep(6)  # the seeding stamped votes as changes; let them age past the sync's margin
    fields = FIELDS + ",meta"
    plain_paging(wp, fields=fields)  # warm-up (opcache, the database's caches)
    ours: list[float] = []
    plain: list[float] = []
    default: list[float] = []
    core: Core | None = None
    for run in range(runs):
        if core is not None:
            core.close()
        core, site_id = new_library(temp / f"first-{run}", wp)
        started = time.perf_counter()
        report = core.comments.sync(site_id)
        ours.append(time.perf_counter() - started)
        assert report.added == 5000, report
        started = time.perf_counter()
        assert plain_paging(wp, fields=fields) == 5000
        plain.append(time.perf_counter() - started)
        started = time.perf_counter()
        plain_paging(wp, fields=None)
        default.append(time.perf_counter() - started)
    assert core is not None
    mine, theirs = statistics.median(ours) * 1000, statistics.median(plain) * 1000
    print(f"First sync: 5,000 comments, 50 posts, editor; {runs} runs, alternating")
    print(
        f"  Copydesk sync (stored, {report.requests} requests)   median {mine:6.0f} ms  (min {min(ours) * 1000:.0f})"
    )
    print(
        f"  requests alone, same query (50 pages)  median {theirs:6.0f} ms  (min {min(plain) * 1000:.0f})"
    )
    print(f"  requests alone, default fields         median {statistics.median(default) * 1000:6.0f} ms")
    print(f"  ratio                                  {mine / theirs:.2f}x  (target: within 1.20x)")
    return core


def bench_incremental(label: str, wp: WordPressServer, core: Core, site_id: int) -> None:
    posts = core.comments.store.commented_posts(site_id)
    times, counts = [], []
    for run in range(3):
        for n in range(10):
            add_comment(wp, posts[(run * 10 + n) % len(posts)], f"<p>Late word {run}.{n}</p>")
        spam = core.comments.store.statuses(site_id, status="approved")
        set_status(wp, max(spam), "spam")
        started = time.perf_counter()
        report = core.comments.sync(site_id)
        times.append(time.perf_counter() - started)
        counts.append(report.requests)
        assert report.added == 10 and report.changed >= 1, report
    print(
        f"  {label:<28} requests {counts[0]:>2} (each run: {counts}), "
        f"median {statistics.median(times) * 1000:5.0f} ms"
    )


def bench_thread(core: Core, wp: WordPressServer, site_id: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from app.comments import SortKey
    from ui.comments.controller import CommentController
    from ui.comments.desk import CommentDesk
    from ui.runner import TaskRunner

    [post] = seed_comments(wp, posts=1, per_post=2000, authors=("author",), start="2025-01-01 00:00:00")
    core.comments.sync(site_id)
    _app = QApplication.instance() or QApplication([sys.argv[0]])  # kept alive while it runs
    process = psutil.Process()
    gc.collect()
    rss_before = process.memory_info().rss
    runner = TaskRunner(on_error=lambda e: print("error:", e))
    desk = CommentDesk(runner)
    CommentController(core, runner, desk, auto_sync=False).start()
    desk.resize(1100, 800)
    desk.show()

    def wait_shown(action: Any) -> float:
        loop = QEventLoop()  # waits without spinning (a busy loop would slow the worker thread)
        desk.thread_shown.connect(loop.quit)
        started = time.perf_counter()
        action()
        loop.exec()
        desk.grab()  # paint it
        elapsed = time.perf_counter() - started
        desk.thread_shown.disconnect(loop.quit)
        return elapsed

    opened = wait_shown(lambda: desk.show_post(site_id, int(post["id"])))
    rss_open = process.memory_info().rss
    print(f"\nThread of a post with 2,000 comments (offscreen, {desk.thread_count} shown):")
    print(f"  open and paint       {opened * 1000:6.0f} ms")
    for key in (SortKey.OLDEST, SortKey.VOTES, SortKey.NEWEST):
        took = wait_shown(lambda k=key: desk.set_sort(k))
        print(f"  sort {key.value:<15} {took * 1000:6.0f} ms")
    print(
        f"  memory (RSS)         {rss_before / 2**20:.0f} MB before the desk, "
        f"{rss_open / 2**20:.0f} MB with the thread open (+{(rss_open - rss_before) / 2**20:.0f} MB)"
    )
    desk.close()
    runner.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-ui", action="store_true")
    args = parser.parse_args()
    with (
        WordPressServer(extra_mu_plugins=(COMPANION,)) as wp,
        WordPressServer() as plain_wp,
        SecretService() as secrets,
        tempfile.TemporaryDirectory(prefix="copydesk-bench-comments-") as temp,
    ):
        os.environ.update(secrets.env)
        os.environ.pop("DISPLAY", None)
        keyring.set_keyring(SecretServiceKeyring())
        core = bench_first_sync(wp, Path(temp), args.runs)
        site_id = core.remote.sites.list()[0].id
        print("\nIncremental sync: 10 new comments and 1 moved to the spam on the site; 3 runs")
        bench_incremental("with the companion plugin", wp, core, site_id)
        seed_comments(plain_wp, posts=50, per_post=100, authors=("author", "author2"))
        plain_core, plain_site = new_library(Path(temp) / "plain", plain_wp)
        plain_core.comments.sync(plain_site)
        bench_incremental("without it", plain_wp, plain_core, plain_site)
        plain_core.close()
        if not args.skip_ui:
            bench_thread(core, wp, site_id)
        core.close()


if __name__ == "__main__":
    main()
