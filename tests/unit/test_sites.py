"""Adding sites: what is refused before any connection is made (no network, a stand-in keyring)."""

from __future__ import annotations

import socket

import pytest

from app.core import Core
from app.errors import InvalidInputError, NotFoundError
from app.sites.registry import SiteRegistry
from app.sites.secrets import SecretStore
from tests.unit.test_secrets import MemoryKeyring


@pytest.fixture
def registry(core: Core, monkeypatch: pytest.MonkeyPatch) -> SiteRegistry:
    def no_network(*args: object, **kwargs: object) -> object:
        raise AssertionError("no connection may be made")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    return SiteRegistry(core.db, SecretStore(backend=MemoryKeyring()))


@pytest.mark.parametrize(
    ("name", "url", "user", "password", "message"),
    [
        ("", "https://g.example", "ana", "pw", "Give the site a name"),
        ("G", "", "ana", "pw", "Give the site's address"),
        ("G", "https://g.example", " ", "pw", "Give your WordPress user name."),
        ("G", "https://g.example", "ana", " \n", "Give the application password"),
        ("G", "http://g.example", "ana", "pw", "is plain http"),
        ("G", "https://ana:pw@g.example", "ana", "pw", "Leave the user name and password out"),
    ],
)
def test_add_refuses_before_connecting(
    *, registry: SiteRegistry, name: str, url: str, user: str, password: str, message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        registry.add(name, url, user, password)
    assert registry.list() == []


def test_add_without_check_and_the_lists(registry: SiteRegistry) -> None:
    site, report = registry.add(
        " Daily  Gazette ", "http://g.example/", "ana", "pw", allow_insecure_http=True, check=False
    )
    assert report is None and site.name == "Daily Gazette" and site.url == "http://g.example"
    assert site.insecure and site.allow_insecure_http
    assert site.allowed_statuses() == ("draft", "pending", "future", "publish")  # not checked yet
    assert registry.find("daily gazette").id == site.id
    with pytest.raises(InvalidInputError, match="already a site called"):
        registry.add("DAILY GAZETTE", "https://other.example", "ana", "pw", check=False)
    with pytest.raises(NotFoundError, match="There is no site called “Nope”."):
        registry.find("Nope")
    assert registry.remove(site.id) == 0 and registry.list() == []
