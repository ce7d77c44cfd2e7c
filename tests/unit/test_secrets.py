"""The keyring guard: unusable backends are refused with a message; failures never leak secrets.

These use stand-in backends; the real Secret Service is exercised in tests/integration.
"""

from __future__ import annotations

import keyring.backend
import keyring.errors
import pytest
from keyring.backends import fail, null

from app.errors import SecretsError
from app.sites.secrets import SecretStore


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.items:
            raise keyring.errors.PasswordDeleteError("none")
        del self.items[(service, username)]


class PlaintextKeyring(MemoryKeyring):
    """Looks like keyrings.alt's file backend, which keeps passwords in a plain file."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


class BrokenKeyring(MemoryKeyring):
    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    set_password = get_password  # type: ignore[assignment]


def test_round_trip() -> None:
    backend = MemoryKeyring()
    store = SecretStore(backend=backend)
    store.set_password("ana@https://gazette.example", "abcd efgh")
    assert backend.items == {("Copydesk", "ana@https://gazette.example"): "abcd efgh"}
    assert store.get_password("ana@https://gazette.example") == "abcd efgh"
    assert store.has_password("ana@https://gazette.example")
    store.delete_password("ana@https://gazette.example")
    store.delete_password("ana@https://gazette.example")  # twice is fine
    assert not store.has_password("ana@https://gazette.example")
    with pytest.raises(SecretsError, match="holds no password"):
        store.get_password("ana@https://gazette.example")
    with pytest.raises(SecretsError, match="empty password"):
        store.set_password("k", "")


@pytest.mark.parametrize(
    ("backend", "reason"),
    [
        (fail.Keyring(), "no keyring is available on this computer"),
        (null.Keyring(), "the keyring is switched off"),
        (PlaintextKeyring(), "keeps passwords in a file of its own"),
    ],
)
def test_unusable_backends_are_refused_without_fallback(
    backend: keyring.backend.KeyringBackend, reason: str
) -> None:
    store = SecretStore(backend=backend)
    with pytest.raises(SecretsError) as refused:
        store.set_password("k", "secret")
    assert refused.value.message.startswith("Copydesk cannot keep site passwords safely: ")
    assert reason in refused.value.message
    assert refused.value.hint  # says what to install or unlock
    assert "secret" not in str(refused.value)


class Chainer(MemoryKeyring):
    """Like keyring's chainer: usable when one of its members is."""

    def __init__(self, *members: keyring.backend.KeyringBackend) -> None:
        super().__init__()
        self.backends = list(members)


def test_a_chainer_with_nothing_usable_is_refused() -> None:
    with pytest.raises(SecretsError, match="no keyring is available"):
        SecretStore(backend=Chainer()).check()
    with pytest.raises(SecretsError):
        SecretStore(backend=Chainer(null.Keyring(), PlaintextKeyring())).check()
    assert SecretStore(backend=Chainer(null.Keyring(), MemoryKeyring())).check().endswith("Chainer")


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (keyring.errors.KeyringLocked("Failed to unlock the collection!"),
         "The keyring is locked, so Copydesk could not read the site password."),
        pytest.param(FileNotFoundError(2, "No such file or directory"),
         "The keyring did not answer, so Copydesk could not read the site password.",
         marks=pytest.mark.expect_log("app.sites.secrets", "WARNING", "failed .*: FileNotFoundError")),
        pytest.param(keyring.errors.InitError("no dbus"),
         "The keyring did not answer, so Copydesk could not read the site password.",
         marks=pytest.mark.expect_log("app.sites.secrets", "WARNING", "failed .*: InitError")),
    ],
)  # fmt: skip
def test_keyring_failures_become_secrets_errors(error: Exception, message: str) -> None:
    store = SecretStore(backend=BrokenKeyring(error))
    with pytest.raises(SecretsError) as failed:
        store.get_password("k")
    assert failed.value.message == message


def test_a_bug_is_not_disguised() -> None:
    store = SecretStore(backend=BrokenKeyring(ZeroDivisionError()))
    with pytest.raises(ZeroDivisionError):
        store.get_password("k")


def test_a_plain_runtime_error_from_the_keyring_machinery_is_a_secrets_error() -> None:
    from app.sites.secrets import _is_backend_failure

    namespace: dict[str, object] = {"__name__": "secretstorage.fake"}
    exec("def fail():\n    raise RuntimeError('no bus')\n", namespace)  # noqa: S102
    try:
        namespace["fail"]()  # type: ignore[operator]
    except RuntimeError as exc:
        assert _is_backend_failure(exc)
    try:
        raise RuntimeError("a bug of ours")
    except RuntimeError as exc:
        assert not _is_backend_failure(exc)
