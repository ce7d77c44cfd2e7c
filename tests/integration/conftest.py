"""Fixtures of the integration tests: a real WordPress on loopback and a real Secret Service.

Nothing here skips: when WordPress, MariaDB, PHP, D-Bus or gnome-keyring is missing, the fixture fails
with the harness's message ("run scripts/install-test-services as root").

- ``wordpress``: the session's WordPress **with** the Copydesk companion plugin (a must-use plugin),
  reset to its clean state after each test.
- ``wordpress_plain``: a second WordPress **without** the plugin (started only by the tests that need
  it), for the fall-backs Copydesk uses on sites that do not have it.
- ``secret_service``: gnome-keyring on a private D-Bus, a fresh one per test, set as the keyring.
- ``remote``: a new library (``core``) and its remote services with short timeouts and a fast backoff.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.backends.SecretService import Keyring as SecretServiceKeyring

from app.core import Core
from app.outbox.queue import Backoff
from app.remote import RemoteServices
from app.sites.registry import SiteData
from app.sites.secrets import SecretStore
from tests.helpers.cli_runner import Cli
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer

ROOT = Path(__file__).resolve().parents[2]
COMPANION = ROOT / "packaging" / "wordpress" / "copydesk-companion.php"


@pytest.fixture(scope="session")
def wordpress_site() -> Iterator[WordPressServer]:
    with WordPressServer(extra_mu_plugins=(COMPANION,)) as server:
        yield server


@pytest.fixture
def wordpress(wordpress_site: WordPressServer) -> Iterator[WordPressServer]:
    yield wordpress_site
    wordpress_site.reset()


@pytest.fixture(scope="session")
def wordpress_plain_site() -> Iterator[WordPressServer]:
    with WordPressServer() as server:
        yield server


@pytest.fixture
def wordpress_plain(wordpress_plain_site: WordPressServer) -> Iterator[WordPressServer]:
    yield wordpress_plain_site
    wordpress_plain_site.reset()


@pytest.fixture
def secret_service(monkeypatch: pytest.MonkeyPatch) -> Iterator[SecretService]:
    with SecretService() as service:
        monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
        monkeypatch.delenv("DISPLAY", raising=False)
        for name, value in service.env.items():
            monkeypatch.setenv(name, value)
        previous = keyring.get_keyring()
        keyring.set_keyring(SecretServiceKeyring())
        try:
            yield service
        finally:
            keyring.set_keyring(previous)


class Clock:
    """A clock the tests move forward, so backoffs need no sleeping."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> datetime:
        from datetime import timedelta

        return datetime.now(UTC) + timedelta(seconds=self.offset)

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_remote(core: Core, clock: Callable[[], datetime]) -> RemoteServices:
    return core.connect_remote(
        secrets=SecretStore(),
        timeout=(2.0, 20.0),
        upload_timeout=(2.0, 60.0),
        backoff=Backoff(base=30.0, jitter=0.0),
        clock=clock,
    )


@pytest.fixture
def remote(core: Core, secret_service: SecretService, clock: Clock) -> RemoteServices:
    return make_remote(core, clock)


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data_dir: Path,
    secret_service: SecretService,
) -> Cli:
    """The ``copydesk`` command on a fresh library, with the test keyring."""
    return Cli(capsys, monkeypatch, data_dir)


AddSite = Callable[..., SiteData]


@pytest.fixture
def add_site(remote: RemoteServices, wordpress: WordPressServer) -> AddSite:
    """Add the test site for one of its users (``add_site("author")``); checked like the UI does."""

    def add(
        user: str = "admin", *, name: str = "", url: str = "", server: WordPressServer | None = None
    ) -> SiteData:
        server = server or wordpress
        site, _report = remote.sites.add(
            name or f"Test {user}",
            url or server.url,
            server.users[user]["user"],
            server.users[user]["app_password"],
        )
        return site

    return add
