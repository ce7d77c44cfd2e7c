"""The application password stays with the site the user added: redirects, announced addresses, TLS.

The site is the real WordPress behind a :class:`FaultProxy`; the other origin is a :class:`Recorder`
that answers like a WordPress glad to take a password and records every header it receives. Whatever
the site does, the recorder must never see an ``Authorization`` header.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from app.cms.wordpress.client import WordPressClient
from app.core import Core
from app.errors import NetworkError, RemoteError
from app.pieces.data import PieceData
from app.remote import RemoteServices
from app.sites.registry import SiteRegistry
from app.sites.secrets import SecretStore
from app.store.models import Site
from tests.helpers.fault_proxy import FaultProxy, Recorder, Request, http_response, route
from tests.helpers.local_ca import LocalCA
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


def is_index(request: Request) -> bool:
    return route(request) in ("", "/")


def to(other: FaultProxy, status: int = 302) -> bytes:
    """A redirect that keeps the path and sends it to *other*."""
    return http_response(status, "", {"Location": f"{other.url}/wp-json/"})


@pytest.fixture
def site(wordpress: WordPressServer) -> Iterator[FaultProxy]:
    with FaultProxy(wordpress.url) as proxy:
        yield proxy


@pytest.fixture(params=["127.0.0.2", "127.0.0.1"], ids=["another-host", "another-port"])
def other(request: pytest.FixtureRequest) -> Iterator[Recorder]:
    with Recorder(host=request.param) as recorder:
        yield recorder


@pytest.fixture
def ca(tmp_path: Path) -> LocalCA:
    folder = tmp_path / "ca"
    folder.mkdir()
    return LocalCA(folder)


def credentials(wp: WordPressServer, user: str = "author") -> tuple[str, str]:
    return wp.users[user]["user"], wp.users[user]["app_password"]


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_site_add_refuses_a_discovery_redirect_to_another_origin(
    remote: RemoteServices, wordpress: WordPressServer, site: FaultProxy, other: Recorder, status: int
) -> None:
    site.add(is_index, "respond", to(other, status), times=-1)
    with pytest.raises(RemoteError) as refused:
        remote.sites.add("Gazette", site.url, *credentials(wordpress))
    assert refused.value.message.startswith(f"{site.url} sends Copydesk on to {other.url}/wp-json/")
    assert f"your password goes only to {site.url}" in refused.value.message
    assert remote.sites.list() == []
    assert other.requests == [] and other.saw_authorization() == []


def test_site_check_refuses_a_redirect_that_appears_later(
    remote: RemoteServices, wordpress: WordPressServer, site: FaultProxy, other: Recorder
) -> None:
    stored, _report = remote.sites.add("Gazette", site.url, *credentials(wordpress))
    site.add(is_index, "respond", to(other), times=-1)
    report = remote.sites.check(stored.id)
    assert not report.ok
    problem = report.item("site")
    assert problem is not None and problem.level == "error"
    assert site.url in problem.title and f"{other.url}/wp-json/" in problem.title
    assert other.saw_authorization() == []


def test_a_link_header_cannot_announce_another_origin(
    remote: RemoteServices, wordpress: WordPressServer, site: FaultProxy, other: Recorder
) -> None:
    not_found = http_response(404, "<html>Not Found</html>", {"Content-Type": "text/html"})
    site.add(lambda r: r.path != "/", "respond", not_found, times=-1)
    announced = f'<{other.url}/wp-json/>; rel="https://api.w.org/"'
    page = http_response(200, "<html>home</html>", {"Content-Type": "text/html", "Link": announced})
    site.add(lambda r: r.path == "/", "respond", page, times=-1)
    with pytest.raises(RemoteError) as refused:
        remote.sites.add("Gazette", site.url, *credentials(wordpress))
    assert f"announces its REST API at {other.url}/wp-json/" in refused.value.message
    assert other.requests == []


Operation = Callable[[Core, RemoteServices, int], object]
OPERATIONS: dict[str, Operation] = {
    "push": lambda core, remote, site_id: remote.publisher.push(
        core.pieces.create(PieceData(title="Gulls")).id, site_id
    ),
    "pull": lambda core, remote, site_id: remote.puller.list_posts(site_id),
    "comments-sync": lambda core, remote, site_id: core.comments.sync(site_id),
}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_push_pull_and_sync_never_follow_the_password_elsewhere(
    *,
    core: Core,
    remote: RemoteServices,
    wordpress: WordPressServer,
    site: FaultProxy,
    other: Recorder,
    operation: str,
) -> None:
    # added without a check, so the first operation finds the API itself
    stored, _ = remote.sites.add("Gazette", site.url, *credentials(wordpress, "editor"), check=False)
    site.add(is_index, "respond", to(other), times=-1)
    with pytest.raises(RemoteError) as refused:
        OPERATIONS[operation](core, remote, stored.id)
    assert f"sends Copydesk on to {other.url}/wp-json/" in refused.value.message
    assert other.requests == []


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.expect_log(
    "app.cms.wordpress.client", "WARNING", r"Ignoring a stored API address at another origin"
)
def test_a_stored_api_address_at_another_origin_is_not_used(
    *,
    core: Core,
    remote: RemoteServices,
    wordpress: WordPressServer,
    site: FaultProxy,
    other: Recorder,
    operation: str,
) -> None:
    stored, _ = remote.sites.add("Gazette", site.url, *credentials(wordpress, "editor"))
    with core.db.session() as session:  # as an older version, or a tampered library, left it
        session.execute(update(Site).values(api_root=f"{other.url}/wp-json/"))
    remote.sites.close()
    OPERATIONS[operation](core, remote, stored.id)
    assert other.requests == []
    assert any("authorization" in r.headers for r in site.requests)


def test_a_route_that_redirects_elsewhere_is_refused(
    core: Core, remote: RemoteServices, wordpress: WordPressServer, site: FaultProxy, other: Recorder
) -> None:
    stored, _ = remote.sites.add("Gazette", site.url, *credentials(wordpress, "editor"))
    moved = http_response(307, "", {"Location": f"{other.url}/wp-json/wp/v2/posts"})
    site.add(lambda r: route(r) == "/wp/v2/posts", "respond", moved, times=-1)
    with pytest.raises(RemoteError, match="another address"):
        remote.puller.list_posts(stored.id)
    assert other.requests == []


# -- TLS, with a certificate authority made for the test -------------------------------------------


def registry(core: Core, ca: LocalCA) -> SiteRegistry:
    return SiteRegistry(core.db, SecretStore(), timeout=(2.0, 20.0), verify=str(ca.bundle))


def test_a_certificate_for_another_name_is_refused(
    core: Core, secret_service: SecretService, wordpress: WordPressServer, ca: LocalCA
) -> None:
    with FaultProxy(wordpress.url, tls=ca.server_context("gazette.example")) as secure:
        with pytest.raises(NetworkError) as refused:
            registry(core, ca).add("Gazette", secure.url, *credentials(wordpress))
        assert secure.requests == []
    assert refused.value.message == (
        f"The secure connection to 127.0.0.1:{secure.port} was refused: its certificate is made "
        "out to another name, so the server may not be the site."
    )
    assert refused.value.hint.startswith("Copydesk never skips this check.")


def test_the_test_authority_is_trusted_for_the_right_name(
    core: Core, secret_service: SecretService, wordpress: WordPressServer, ca: LocalCA
) -> None:
    with FaultProxy(wordpress.url, tls=ca.server_context("127.0.0.1")) as secure:
        stored, report = registry(core, ca).add("Gazette", secure.url, *credentials(wordpress))
    assert report is not None and report.ok, report.items
    assert stored.api_root == f"{secure.url}/wp-json/"
    assert all("authorization" in r.headers for r in secure.requests if "users/me" in r.path)


@pytest.mark.parametrize("status", [302, 308])
def test_https_redirects_to_another_origin_are_refused(
    core: Core,
    secret_service: SecretService,
    wordpress: WordPressServer,
    ca: LocalCA,
    status: int,
) -> None:
    with (
        FaultProxy(wordpress.url, tls=ca.server_context("127.0.0.1")) as secure,
        Recorder(host="127.0.0.2", tls=ca.server_context("127.0.0.2")) as elsewhere,
    ):
        secure.add(is_index, "respond", to(elsewhere, status), times=-1)
        with pytest.raises(RemoteError) as refused:
            registry(core, ca).add("Gazette", secure.url, *credentials(wordpress))
        assert elsewhere.requests == []
    assert f"{secure.url} sends Copydesk on to {elsewhere.url}/wp-json/" in refused.value.message


def test_a_same_host_upgrade_to_https_is_accepted_and_shown(
    core: Core, secret_service: SecretService, wordpress: WordPressServer, ca: LocalCA
) -> None:
    with (
        FaultProxy(wordpress.url, tls=ca.server_context("127.0.0.1")) as secure,
        FaultProxy(wordpress.url) as plain,
    ):
        upgrade = http_response(301, "", {"Location": f"{secure.url}/wp-json/"})
        plain.add(is_index, "respond", upgrade, times=-1)
        sites = registry(core, ca)
        user, password = credentials(wordpress)
        stored, report = sites.add("Gazette", plain.url, user, password)
        assert report is not None and report.ok, report.items
        assert stored.api_root == f"{secure.url}/wp-json/"
        shown = [i for i in report.items if i.key == "address" and i.level == "info"]
        assert [i.title for i in shown] == [
            f"{plain.url} sent Copydesk on to {secure.url}/wp-json/ (https), so that address is used."
        ]
        # the password went only over https; the plain address only saw the discovery
        assert [r.path for r in plain.requests] == ["/wp-json/"]
        assert all("authorization" not in r.headers for r in plain.requests)
        client = WordPressClient(
            plain.url, username=user, password=password, api_root=stored.api_root,
            verify=str(ca.bundle),
        )  # fmt: skip
        try:
            assert client.current_user().name
        finally:
            client.close()
        assert len(plain.requests) == 1
