"""Two libraries on one WordPress (a contributor's and an editor's), and the site's clock and cron."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

from app.core import Core, open_core
from app.outbox.queue import Backoff
from app.outbox.worker import JobOutcome
from app.pieces.data import PieceData
from app.remote import RemoteServices
from app.sites.registry import SiteData
from app.sites.secrets import SecretStore
from app.workflow.data import PieceSyncReport
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import Clock


@dataclass
class Desk:
    """One person's library, signed in to the site as one WordPress user."""

    core: Core
    remote: RemoteServices
    site: SiteData
    last_reports: list[PieceSyncReport] = field(default_factory=list)

    def send(self, job_id: int) -> JobOutcome:
        outcomes = self.core.workflow.send([job_id])
        assert len(outcomes) == 1
        return outcomes[0]

    def sync(self) -> None:
        reports, errors = self.core.workflow.sync()
        assert errors == []
        self.last_reports = reports


@contextmanager
def desk(
    folder: Path, server: WordPressServer, user: str, clock: Clock, *, url: str = ""
) -> Iterator[Desk]:
    core = open_core(folder)
    try:
        remote = core.connect_remote(
            secrets=SecretStore(),
            timeout=(2.0, 20.0),
            backoff=Backoff(base=30.0, jitter=0.0),
            clock=clock,
            machine=f"{user}-machine",
        )
        site, _report = remote.sites.add(
            "Gazette", url or server.url, server.users[user]["user"], server.users[user]["app_password"]
        )
        yield Desk(core, remote, site)
    finally:
        core.close()


def new_piece(core: Core, title: str = "Night buses", body: str = "") -> PieceData:
    text = body or "The last bus leaves at midnight.\n\nNobody on it is going home.\n"
    return core.pieces.create(PieceData(title=title, body=text))


def post(server: WordPressServer, post_id: int) -> dict[str, object]:
    found: dict[str, object] = server.rest("GET", f"/wp/v2/posts/{post_id}", params={"context": "edit"})
    return found


def move_schedule_into_past(server: WordPressServer, post_id: int, seconds: int) -> None:
    """Make a scheduled post's time *seconds* ago, as if that time had come (no cron ran)."""
    server.run_php(
        f"""
        global $wpdb;
        $gmt = gmdate('Y-m-d H:i:s', time() - {seconds});
        $wpdb->update($wpdb->posts, array('post_date_gmt' => $gmt,
            'post_date' => get_date_from_gmt($gmt)), array('ID' => {post_id}));
        clean_post_cache({post_id});
        wp_clear_scheduled_hook('publish_future_post', array({post_id}));
        wp_schedule_single_event(time() - {seconds}, 'publish_future_post', array({post_id}));
        """
    )


def run_cron(server: WordPressServer) -> None:
    """What a visitor's page view would trigger: WordPress's scheduler (wp-cron.php)."""
    with requests.Session() as session:
        session.trust_env = False
        session.get(f"{server.url}/wp-cron.php", timeout=60).raise_for_status()
