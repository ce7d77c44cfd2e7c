"""The editorial workflow against the real WordPress on loopback: the review queue and the pieces sync.

    .venv/bin/python benchmarks/workflow.py [--runs 5] [--queue 500] [--linked 1000]

Needs what the integration tests need (as root: ``scripts/install-test-services``). Starts two test
WordPress sites (with and without the companion plugin) and a private Secret Service, and stops them.

1. The review queue of ``--queue`` pending posts, loaded by an editor's library (fetched, word counts,
   stored for offline), next to plain paging of the same query with ``requests`` alone (the same
   parameters and ``_fields``; the JSON decoded, nothing stored). Runs alternate; medians compared
   (target: within 1.2x).
2. A pieces sync of ``--linked`` linked pieces where nothing changed on the site: requests and time,
   with the plugin and without it (target: a bounded number of requests, ceil(N / 100) + 1).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import keyring
import requests
from common import ROOT
from keyring.backends.SecretService import Keyring as SecretServiceKeyring

from app.cms.wordpress.review import QUEUE_FIELDS as _QUEUE_FIELDS
from app.core import Core, open_core
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer

COMPANION = ROOT / "packaging" / "wordpress" / "copydesk-companion.php"
USER = "editor"


def seed_pending(wp: WordPressServer, count: int) -> None:
    author = wp.users["contributor"]["id"]
    wp.run_php(
        f"""
        wp_set_current_user({author});
        for ($i = 1; $i <= {count}; $i++) {{
            wp_insert_post(array(
                'post_title' => "Column $i",
                'post_content' => str_repeat("<p>Words of the column number $i, and more.</p>", 20),
                'post_status' => 'pending', 'post_author' => {author},
            ));
        }}
        """,
        timeout=600,
    )


def plain_paging(wp: WordPressServer) -> int:
    found = 0
    with requests.Session() as session:
        session.trust_env = False
        page = 1
        while True:
            params: dict[str, Any] = {
                "status": "pending", "context": "edit", "orderby": "date", "order": "desc",
                "per_page": 100, "page": page, "_fields": _QUEUE_FIELDS,
            }  # fmt: skip
            reply = session.get(
                wp.rest_url("/wp/v2/posts"), params=params, auth=wp.auth(USER), timeout=60
            )
            found += len(reply.json())
            if page >= int(reply.headers["X-WP-TotalPages"]):
                return found
            page += 1


def new_library(folder: Path, wp: WordPressServer) -> tuple[Core, int]:
    core = open_core(folder)
    site, _ = core.remote.sites.add("Bench", wp.url, USER, wp.users[USER]["app_password"])
    return core, site.id


def bench_queue(wp: WordPressServer, core: Core, site_id: int, runs: int) -> None:
    plain_paging(wp)  # warm-up
    ours: list[float] = []
    plain: list[float] = []
    shown = 0
    for _ in range(runs):
        started = time.perf_counter()
        shown = len(core.workflow.queue(site_id))
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        plain_paging(wp)
        plain.append(time.perf_counter() - started)
    mine, theirs = statistics.median(ours), statistics.median(plain)
    print(f"Review queue of {shown} pending posts, median of {runs} runs:")
    print(f"  Copydesk {mine:.3f} s, plain requests {theirs:.3f} s: {mine / theirs:.2f}x")


def link_all(wp: WordPressServer, core: Core, site_id: int) -> int:
    """Make a local piece linked to each post of the site, as if each had been opened."""
    from app.pieces.data import PieceData

    remote = core.remote
    client = remote.sites.client(site_id)
    count, page = 0, 1
    while True:
        found = client.list_posts(page=page, per_page=100)
        for summary in found.posts:
            piece = core.pieces.create(PieceData(title=summary.title, body="Text.\n"))
            assert piece.id is not None
            remote.links.ensure(piece.id, site_id)
            remote.workflow_deps.store.touch_link(
                piece.id, site_id, status=summary.status, modified_gmt=summary.modified_gmt
            )
            with core.db.session() as session:  # the post id, as a push or a pull records it
                from app.store.models import PieceLink

                row = session.query(PieceLink).filter_by(piece_id=piece.id).one()
                row.remote_id = summary.id
            count += 1
        if page >= found.total_pages:
            return count
        page += 1


def bench_sync(label: str, wp: WordPressServer, core: Core, site_id: int, linked: int) -> None:
    seed_pending(wp, linked)
    count = link_all(wp, core, site_id)
    first, _errors = core.workflow.sync(site_id)
    started = time.perf_counter()
    second, errors = core.workflow.sync(site_id)
    took = time.perf_counter() - started
    assert not errors, errors
    print(f"Pieces sync of {count} linked pieces, {label}:")
    print(f"  first (learning the review states): {first[0].requests} requests")
    print(f"  nothing changed: {second[0].requests} requests, {took:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--queue", type=int, default=500)
    parser.add_argument("--linked", type=int, default=1000)
    args = parser.parse_args()
    with (
        WordPressServer(extra_mu_plugins=(COMPANION,)) as wp,
        WordPressServer() as plain_wp,
        SecretService() as secrets,
        tempfile.TemporaryDirectory(prefix="copydesk-bench-workflow-") as temp,
    ):
        os.environ.update(secrets.env)
        os.environ.pop("DISPLAY", None)
        keyring.set_keyring(SecretServiceKeyring())
        seed_pending(wp, args.queue)
        core, site_id = new_library(Path(temp) / "queue", wp)
        bench_queue(wp, core, site_id, args.runs)
        core.close()
        wp.reset()
        core, site_id = new_library(Path(temp) / "plugin", wp)
        bench_sync("with the companion plugin", wp, core, site_id, args.linked)
        core.close()
        core, site_id = new_library(Path(temp) / "plain", plain_wp)
        bench_sync("without it", plain_wp, core, site_id, args.linked)
        core.close()


if __name__ == "__main__":
    sys.exit(main())
