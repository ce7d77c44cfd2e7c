"""Push and pull against the real WordPress on loopback: wall time and HTTP requests.

    .venv/bin/python benchmarks/push.py [--runs 5]

Needs what the integration tests need (as root: ``scripts/install-test-services``): the script starts
the test WordPress (tests/helpers/wp_server.py, with the companion plugin) and a private Secret Service
for the keyring, and stops both at the end. Nothing leaves 127.0.0.1.

Push: a 5,000-word piece with a featured image and 5 inline images (PNG, 800×600), one category that
exists on the site and two new tags, pushed as a new draft by an author. Printed: the wall time, the
requests Copydesk made (its own count, and the lines of the PHP server's log), and next to them the bare
minimum the REST API needs for the same post, sent by hand with ``requests`` alone: one upload per image,
one lookup of the category, one create per new tag, one create of the post. Then a second push with
nothing changed, and one after an edit of the text.

Pull: 500 posts listed page by page (100 a page), next to plain paging of the same query with
``requests`` alone; the runs alternate, the medians are compared (target: within 1.2×).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import keyring
import requests
from common import ROOT, make_text
from keyring.backends.SecretService import Keyring as SecretServiceKeyring
from sqlalchemy import delete

from app.core import open_core
from app.pieces.data import PieceData
from app.store.models import PieceLink
from app.text import stats as textstats
from tests.helpers.pictures import write_png
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer

COMPANION = ROOT / "packaging" / "wordpress" / "copydesk-companion.php"
USER = "author"


def log_lines(wp: WordPressServer) -> int:
    """Requests the PHP server has logged so far (one "Accepted" line per connection)."""
    return sum(1 for line in wp.php_log.read_text(errors="replace").splitlines() if "Accepted" in line)


def fresh_site(wp: WordPressServer) -> None:
    """The site as installed, plus the category the piece uses."""
    wp.reset()
    with requests.Session() as session:
        session.trust_env = False
        session.post(
            wp.rest_url("/wp/v2/categories"), json={"name": "Opinion"}, auth=wp.auth("admin"), timeout=30
        ).raise_for_status()


def make_images(folder: Path) -> list[Path]:
    colours = [(200, 40, 40), (40, 200, 40), (40, 40, 200), (200, 200, 40), (40, 200, 200), (90, 90, 90)]
    return [write_png(folder / f"photo-{n}.png", 800, 600, c) for n, c in enumerate(colours)]


def by_hand(wp: WordPressServer, images: list[Path], html: str) -> tuple[float, int]:
    """The same post with the fewest requests the REST API allows, with requests alone."""
    started = time.perf_counter()
    count = 0
    with requests.Session() as session:
        session.trust_env = False
        session.auth = wp.auth(USER)
        ids = []
        for image in images:
            reply = session.post(
                wp.rest_url("/wp/v2/media"),
                data=image.read_bytes(),
                headers={
                    "Content-Type": "image/png",
                    "Content-Disposition": f'attachment; filename="{image.name}"',
                },
                timeout=120,
            )
            count += 1
            ids.append(reply.json()["id"])
        category = session.get(
            wp.rest_url("/wp/v2/categories"), params={"slug": "opinion"}, timeout=30
        ).json()[0]["id"]
        count += 1
        tags = []
        for name in ("Hand tag one", "Hand tag two"):
            tags.append(
                session.post(wp.rest_url("/wp/v2/tags"), json={"name": name}, timeout=30).json()["id"]
            )
            count += 1
        session.post(
            wp.rest_url("/wp/v2/posts"),
            json={"title": "By hand", "content": html, "status": "draft", "featured_media": ids[0],
                  "categories": [category], "tags": tags, "excerpt": "A standfirst."},
            timeout=60,
        ).raise_for_status()  # fmt: skip
        count += 1
    return time.perf_counter() - started, count


def column_with_images(images: list[Path]) -> str:
    """5,000 words (as the library counts them) with the images spread through them."""
    body, target = "", 5000
    while textstats.count(body).words < 5000:  # make_text counts differently from the library
        target += 100
        body = make_text(target, seed=3)
    paragraphs = body.split("\n\n")
    step = len(paragraphs) // len(images)
    for n, image in enumerate(images, start=1):
        paragraphs.insert(n * step, f"![Photo {n}]({image})")
    return "\n\n".join(paragraphs)


def print_push(rows: list[tuple[str, float, int, int]], hand: list[tuple[float, int]]) -> None:
    print(f"{'':<16}{'median':>10}{'min':>10}{'requests':>10}{'in PHP log':>12}")
    for label in ("first push", "unchanged", "after an edit"):
        sample = [r for r in rows if r[0] == label]
        times = [r[1] * 1000 for r in sample]
        print(
            f"{label:<16}{statistics.median(times):>8.0f}ms{min(times):>8.0f}ms"
            f"{sample[0][2]:>10}{sample[0][3]:>12}"
        )
    times = [h[0] * 1000 for h in hand]
    print(
        f"{'by hand (min.)':<16}{statistics.median(times):>8.0f}ms{min(times):>8.0f}ms{hand[0][1]:>10}"
    )
    print(
        "Bare minimum for the first push: 6 uploads + 1 category lookup + 2 tag creations + 1 post = 10."
        "\nCopydesk looks the tags up first (1 request for all of them, so existing tags cost nothing"
        " more);\nan update needs 1 read before it (WordPress ignores If-Unmodified-Since) + 1 write."
    )


def bench_push(wp: WordPressServer, data: Path, runs: int) -> None:
    images = make_images(data / "images")
    body = column_with_images(images[1:])
    core = open_core(data / "library")
    remote = core.connect_remote()
    site, _ = remote.sites.add("Bench", wp.url, USER, wp.users[USER]["app_password"])
    client = remote.sites.client(site.id)
    rows: list[tuple[str, float, int, int]] = []
    for run in range(runs):
        piece = core.pieces.create(
            PieceData(
                title=f"The long read {run}", standfirst="A standfirst.", body=body,
                featured_image=str(images[0]), categories=["Opinion"],
                tags=[f"Tag one {run}", f"Tag two {run}"],
            )
        )  # fmt: skip
        assert piece.id is not None
        # a fresh site for each run: nothing uploaded yet, the category exists
        fresh_site(wp)
        with core.db.session() as session:  # forget the uploads of the previous run
            session.execute(delete(PieceLink))
        before_log, before_count = log_lines(wp), client.requests_made
        started = time.perf_counter()
        result = remote.publisher.push(piece.id, site.id, status="draft")
        elapsed = time.perf_counter() - started
        assert result.uploaded == 6
        rows.append(
            ("first push", elapsed, client.requests_made - before_count, log_lines(wp) - before_log)
        )
        before_log = log_lines(wp)
        started = time.perf_counter()
        again = remote.publisher.push(piece.id, site.id)
        rows.append(
            ("unchanged", time.perf_counter() - started, again.requests, log_lines(wp) - before_log)
        )
        core.pieces.save(core.pieces.get(piece.id).copy(body=body + "\nOne more paragraph.\n"))
        before_log = log_lines(wp)
        started = time.perf_counter()
        edited = remote.publisher.push(piece.id, site.id)
        rows.append(
            ("after an edit", time.perf_counter() - started, edited.requests, log_lines(wp) - before_log)
        )
    html = core.articles.render(core.pieces.get(piece.id)).content_html
    hand: list[tuple[float, int]] = []
    for _ in range(runs):
        fresh_site(wp)
        hand.append(by_hand(wp, images, html))

    words = core.pieces.get(piece.id).word_count
    core.close()
    size = sum(p.stat().st_size for p in images) // 1024
    print(f"Push: {words} words, 6 images ({size} KB), 1 existing category, 2 new tags; {runs} runs")
    print_push(rows, hand)


def seed_posts(wp: WordPressServer, count: int) -> None:
    wp.reset()
    user_id = wp.users[USER]["id"]
    paragraph = "<p>" + make_text(120, seed=5).replace("\n", " ") + "</p>"
    wp.run_php(
        f"$c = {paragraph!r}; for ($i = 1; $i <= {count}; $i++) {{ wp_insert_post(array("
        f"'post_title' => \"Column $i\", 'post_content' => str_repeat($c, 8), "
        f"'post_status' => ($i % 5 ? 'publish' : 'draft'), 'post_author' => {user_id})); }}"
    )


def plain_paging(wp: WordPressServer) -> int:
    from app.cms.wordpress.client import _LIST_FIELDS

    found = 0
    with requests.Session() as session:
        session.trust_env = False
        page = 1
        while True:
            reply = session.get(
                wp.rest_url("/wp/v2/posts"),
                params={"page": page, "per_page": 100, "status": "any", "orderby": "id",
                        "_fields": _LIST_FIELDS},
                auth=wp.auth(USER),
                timeout=60,
            )  # fmt: skip
            rows: list[Any] = reply.json()
            found += len(rows)
            if page >= int(reply.headers["X-WP-TotalPages"]):
                return found
            page += 1


def bench_pull(wp: WordPressServer, data: Path, runs: int) -> None:
    seed_posts(wp, 500)
    core = open_core(data / "pull-library")
    remote = core.connect_remote()
    site, _ = remote.sites.add("Bench", wp.url, USER, wp.users[USER]["app_password"])
    ours: list[float] = []
    plain: list[float] = []
    remote.puller.list_posts(site.id)  # warm-up of both (opcache, connections)
    plain_paging(wp)
    for _ in range(runs):
        started = time.perf_counter()
        listing = remote.puller.list_posts(site.id)
        ours.append(time.perf_counter() - started)
        assert len(listing.posts) == 500
        started = time.perf_counter()
        assert plain_paging(wp) == 500
        plain.append(time.perf_counter() - started)
    core.close()
    mine, theirs = statistics.median(ours) * 1000, statistics.median(plain) * 1000
    print(f"\nPull: 500 posts in 5 pages of 100; {runs} runs, alternating")
    print(f"Copydesk list_posts   median {mine:6.0f} ms  (min {min(ours) * 1000:.0f})")
    print(f"requests alone        median {theirs:6.0f} ms  (min {min(plain) * 1000:.0f})")
    print(f"ratio                 {mine / theirs:.2f}x  (target: within 1.20x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with (
        WordPressServer(extra_mu_plugins=(COMPANION,)) as wp,
        SecretService() as secrets,
        tempfile.TemporaryDirectory(prefix="copydesk-bench-push-") as temp,
    ):
        os.environ.update(secrets.env)
        os.environ.pop("DISPLAY", None)
        keyring.set_keyring(SecretServiceKeyring())
        bench_push(wp, Path(temp), args.runs)
        bench_pull(wp, Path(temp), args.runs)


if __name__ == "__main__":
    main()
