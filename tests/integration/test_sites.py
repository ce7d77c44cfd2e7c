"""Sites, credentials and “Check connection” against the real WordPress and a real Secret Service."""

from __future__ import annotations

import gc
import http.server
import ipaddress
import json
import logging
import socket
import ssl
import subprocess
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
import requests

from app import version
from app.cms.base import LostResponseError
from app.cms.wordpress.check import HEADER_FIX, ConnectionReport
from app.core import Core
from app.errors import AuthError, InvalidInputError, NetworkError, RemoteError, SecretsError
from app.pieces.data import PieceData
from app.remote import RemoteServices
from app.sites.registry import SiteData
from app.sites.secrets import SERVICE
from tests.helpers.fault_proxy import FaultProxy, closed_port, creates_post, http_response, route
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import AddSite

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


def add(
    remote: RemoteServices, wp: WordPressServer, user: str, url: str = ""
) -> tuple[SiteData, ConnectionReport]:
    site, report = remote.sites.add(
        f"Site {user}", url or wp.url, wp.users[user]["user"], wp.users[user]["app_password"]
    )
    assert report is not None
    return site, report


def test_the_password_goes_to_the_keyring_and_nowhere_else(
    *,
    core: Core,
    remote: RemoteServices,
    wordpress: WordPressServer,
    secret_service: SecretService,
    caplog: pytest.LogCaptureFixture,
    data_dir: Path,
) -> None:
    caplog.set_level(logging.DEBUG)
    password = wordpress.users["author"]["app_password"]
    site, report = remote.sites.add("Gazette", wordpress.url, "author", password)
    assert report is not None and report.ok
    key = f"author@{wordpress.url}"
    assert keyring.get_password(SERVICE, key) == password
    lookup = subprocess.run(
        ["secret-tool", "lookup", "service", SERVICE, "username", key],
        env=secret_service.env | {"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert lookup.stdout == password
    remote.publisher.push(core.pieces.create(PieceData(title="T")).id, site.id)
    core.close()
    for path in data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert password.encode() not in data, path
            assert password.replace(" ", "").encode() not in data, path
    assert password not in caplog.text and password.replace(" ", "") not in caplog.text


def test_a_wrong_password_is_refused_and_nothing_is_stored(
    remote: RemoteServices, wordpress: WordPressServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(AuthError) as refused:
        remote.sites.add("Gazette", wordpress.url, "author", "abcd efgh ijkl mnop qrst uvwx")
    assert refused.value.message == "The user name or the application password is wrong."
    assert "Application Passwords" in refused.value.hint
    assert "abcd" not in str(refused.value) and "abcd" not in caplog.text
    assert remote.sites.list() == []
    assert keyring.get_password(SERVICE, f"author@{wordpress.url}") is None


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("admin", "can write posts, publish or schedule, upload images, create categories, create "
         "tags and edit other people's posts"),
        ("editor", "can write posts, publish or schedule, upload images, create categories"),
        ("author", "cannot create categories. New categories must be created by an editor first."),
        ("contributor", "cannot publish or schedule, upload images and create categories. Push "
         "pieces as “Pending review” and an editor publishes them."),
    ],
)  # fmt: skip
def test_check_connection_describes_each_role(
    remote: RemoteServices, add_site: AddSite, user: str, expected: str
) -> None:
    site = add_site(user)
    report = remote.sites.check(site.id)
    assert report.ok, report.items
    role = report.item("role")
    assert role is not None and expected in role.title
    credentials = report.item("credentials")
    assert credentials is not None and credentials.title.startswith("Signed in as ")
    plugin = report.item("plugin")
    assert plugin is not None and plugin.title == "The Copydesk companion plugin 0.5.0 is active."
    stored = remote.sites.get(site.id)
    expected_role = {"admin": "administrator"}.get(user, user)
    assert stored.role == expected_role and stored.checked_at is not None
    publishes = user != "contributor"
    assert ("publish" in stored.allowed_statuses()) is publishes


def test_a_stripped_authorization_header_is_told_apart_with_the_plugin(
    remote: RemoteServices, wordpress: WordPressServer
) -> None:
    with FaultProxy(wordpress.url) as proxy:
        proxy.add(lambda r: True, "strip_auth", times=-1)
        with pytest.raises(AuthError) as refused:
            add(remote, wordpress, "author", proxy.url)
    assert refused.value.message.startswith("The web server drops the login header")
    assert refused.value.hint == HEADER_FIX
    assert {r.headers["user-agent"] for r in proxy.requests} == {f"Copydesk/{version()}"}


def test_without_the_plugin_both_causes_are_explained(
    remote: RemoteServices, wordpress_plain: WordPressServer
) -> None:
    with FaultProxy(wordpress_plain.url) as proxy:
        proxy.add(lambda r: True, "strip_auth", times=-1)
        with pytest.raises(AuthError) as refused:
            add(remote, wordpress_plain, "author", proxy.url)
    assert refused.value.message == "WordPress treated the request as if nobody had signed in."
    assert "password is wrong" in refused.value.hint and "drops the login header" in refused.value.hint
    assert "companion plugin" in refused.value.hint
    # the same site without the fault: fine, and the report suggests the plugin
    _site, report = add(remote, wordpress_plain, "editor")
    plugin = report.item("plugin")
    assert plugin is not None and plugin.level == "info"


def test_plain_http_to_another_machine_needs_consent(
    remote: RemoteServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = socket.getaddrinfo

    def loopback_only(host: str, *args: object, **kwargs: object) -> object:
        assert host in ("127.0.0.1", "localhost"), f"tried to reach {host}"
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)
    with pytest.raises(InvalidInputError) as refused:
        remote.sites.add("Far", "http://gazette.example", "ana", "pass word")
    assert refused.value.message == (
        "http://gazette.example is plain http: your password would cross the network unencrypted."
    )
    assert remote.sites.list() == []


def write_self_signed(key_path: Path, cert_path: Path) -> None:
    """A key and a self-signed certificate for 127.0.0.1 (with ``cryptography``, which the keyring
    packages bring along)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[str]:
    """An https server on loopback with a self-signed certificate (which nobody trusts)."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    write_self_signed(key, cert)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.handle_error = lambda *args: None  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_tls_errors_are_reported_and_never_bypassed(remote: RemoteServices, tls_server: str) -> None:
    with pytest.raises(NetworkError) as failed:
        remote.sites.add("Secure", tls_server, "ana", "pass word")
    assert failed.value.message == (
        f"The secure connection to {tls_server.removeprefix('https://')} failed: its certificate "
        "could not be verified."
    )
    assert failed.value.hint.startswith("Copydesk never skips this check.")


def test_an_unreachable_site(remote: RemoteServices) -> None:
    port = closed_port()
    with pytest.raises(NetworkError) as failed:
        remote.sites.add("Gone", f"http://127.0.0.1:{port}", "ana", "pass word")
    assert failed.value.message == f"Could not reach 127.0.0.1:{port}."
    assert remote.sites.list() == []


def test_without_pretty_permalinks_the_rest_route_parameter_is_used(
    core: Core, remote: RemoteServices, wordpress: WordPressServer
) -> None:
    """A web server without rewrite rules answers /wp-json/ with its own 404 page."""
    with FaultProxy(wordpress.url) as proxy:
        not_found = http_response(
            404, "<html><body>Not Found</body></html>", {"Content-Type": "text/html"}
        )
        proxy.add(lambda r: r.path.startswith("/wp-json"), "respond", not_found, times=-1)
        site, _report = add(remote, wordpress, "author", proxy.url)
        assert site.api_root == f"{proxy.url}/?rest_route=/"
        result = remote.publisher.push(core.pieces.create(PieceData(title="Plain")).id, site.id)
        assert result.created
        assert all(not r.path.startswith("/wp-json") for r in proxy.requests[1:])


@pytest.mark.expect_log("app.cms.http", "WARNING", "prints PHP messages into its answers")
def test_malformed_answers_are_explained(
    core: Core, remote: RemoteServices, wordpress: WordPressServer
) -> None:
    with FaultProxy(wordpress.url) as proxy:
        page = http_response(
            200, "<!DOCTYPE html><html><body>Log in</body></html>", {"Content-Type": "text/html"}
        )
        proxy.add(lambda r: route(r) == "/wp/v2/users/me", "respond", page)
        with pytest.raises(RemoteError) as html_page:
            add(remote, wordpress, "author", proxy.url)
        assert (
            html_page.value.message
            == f"127.0.0.1:{proxy.port} answered with a web page instead of data."
        )

        # PHP notices printed before the JSON: read through, and reported
        with requests.Session() as session:
            session.trust_env = False
            index = session.get(f"{wordpress.url}/wp-json/", timeout=30).content
        notice = (
            b"<br />\n<b>Deprecated</b>:  Creation of dynamic property in <b>/x/y.php</b> on line "
            b"<b>9</b><br />\n"
        )
        proxy.add(lambda r: route(r) in ("/", ""), "respond", http_response(200, notice + index))
        site, report = add(remote, wordpress, "editor", proxy.url)
        warnings = [i.title for i in report.problems]
        assert "The site prints PHP error messages into its answers." in warnings

        # a create whose answer is cut off may have been carried out: a lost answer, explained,
        # and the next push finds the post instead of making a second one
        proxy.add(creates_post, "truncate")
        piece = core.pieces.create(PieceData(title="Cut off"))
        with pytest.raises(LostResponseError) as truncated:
            remote.publisher.push(piece.id, site.id)
        assert truncated.value.message.startswith(
            f"The answer from 127.0.0.1:{proxy.port} was cut off halfway."
        )
        again = remote.publisher.push(piece.id, site.id)
        assert not again.created and any("arrived after all" in n for n in again.notices)


def test_remove_forgets_the_password_the_links_and_the_waiting_jobs(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("author")
    piece = core.pieces.create(PieceData(title="Gone soon"))
    remote.publisher.push(piece.id, site.id)
    remote.outbox.enqueue_push(piece.id, site.id)
    assert remote.sites.remove(site.id) == 1
    assert remote.sites.list() == [] and remote.outbox.jobs() == []
    assert remote.links.for_piece(piece.id) == []
    assert keyring.get_password(SERVICE, f"author@{wordpress.url}") is None


def test_a_locked_keyring_stops_everything_with_a_clear_message(
    core: Core, remote: RemoteServices, add_site: AddSite, secret_service: SecretService
) -> None:
    site = add_site("author")
    subprocess.run(
        ["dbus-send", "--session", "--dest=org.freedesktop.secrets", "--print-reply",
         "/org/freedesktop/secrets", "org.freedesktop.Secret.Service.Lock",
         f"array:objpath:{secret_service.collection}"],
        env=secret_service.env | {"PATH": "/usr/bin:/bin"}, check=True, capture_output=True,
    )  # fmt: skip
    remote.sites.close()  # no client kept from before the lock
    piece = core.pieces.create(PieceData(title="Locked out"))
    messages = []
    for attempt in (
        lambda: remote.publisher.push(piece.id, site.id),
        lambda: remote.sites.add("Another", "http://127.0.0.1:9", "ana", "pass word", check=False),
    ):
        try:
            attempt()
        except SecretsError as exc:
            messages.append((exc.message, exc.hint))
        else:
            pytest.fail("no SecretsError")
    assert messages[0][0] == "The keyring is locked, so Copydesk could not read the site password."
    assert "unlock" in messages[0][1]
    assert messages[1][0] == "The keyring is locked, so Copydesk could not store the site password."
    assert [s.name for s in remote.sites.list()] == [site.name]
    # keyring's Secret Service backend leaves its D-Bus connection open when the collection is
    # locked (it raises before its ``closing()``); collect it here rather than in a later test
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def test_set_password_replaces_it(
    remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("author")
    remote.sites.set_password(site.id, "wrong wrong wrong")
    report = remote.sites.check(site.id)
    assert not report.ok and report.item("credentials") is not None
    remote.sites.set_password(site.id, wordpress.users["author"]["app_password"])
    assert remote.sites.check(site.id).ok
    assert json.dumps(sorted(remote.sites.get(site.id).capabilities))
