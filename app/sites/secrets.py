"""Site passwords in the operating system's keyring, and nowhere else.

WordPress application passwords are kept with the ``keyring`` package under the service name
:data:`SERVICE`, one entry per site (the entry's user name is the site's ``secret_key``, e.g.
``ana@https://example.com``). They never go to the library database, the settings file, a log or an
error message.

There is deliberately no plain-text fallback: when the keyring is missing, switched off, or one of the
file-based backends of ``keyrings.alt``, every call raises :class:`~app.errors.SecretsError` with a
message that says what to install or unlock.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import keyring
import keyring.backend
import keyring.errors

from app.errors import SecretsError

log = logging.getLogger(__name__)

SERVICE = "Copydesk"

_T = TypeVar("_T")


def _install_hint() -> str:
    if sys.platform.startswith("linux"):
        return (
            "Install and start a Secret Service keyring (GNOME Keyring, or KWallet with its Secret "
            "Service enabled), log in to your desktop so it is unlocked, then try again."
        )
    if sys.platform == "darwin":
        return "Copydesk uses the macOS Keychain; check that your login keychain is unlocked."
    if sys.platform == "win32":
        return "Copydesk uses the Windows Credential Manager; check that it is available to you."
    return "Install a keyring that the Python “keyring” package supports."


def _backend_problem(backend: keyring.backend.KeyringBackend) -> str | None:
    """Why *backend* cannot hold a password safely, or None when it can.

    Refused: no keyring at all, the null keyring, and the file-based backends of ``keyrings.alt``
    (plain text or weakly protected): Copydesk does not fall back to something weaker.
    """
    backends = getattr(backend, "backends", None)
    if backends is not None:  # the chainer: usable when one of its members is
        if not backends:
            return "no keyring is available on this computer"
        problems = [_backend_problem(member) for member in backends]
        if all(problems):
            return problems[0]
        return None
    module = type(backend).__module__
    refused = {
        "keyring.backends.null": "the keyring is switched off (PYTHON_KEYRING_BACKEND names the "
        "null keyring)",
        "keyring.backends.fail": "no keyring is available on this computer",
        "keyrings.alt": f"the only keyring found ({type(backend).__name__}) keeps passwords in a "
        "file of its own",
    }
    return next((why for prefix, why in refused.items() if module.startswith(prefix)), None)


_MACHINERY = ("secretstorage", "jeepney", "dbus", "keyring")


def _raised_inside_machinery(exc: BaseException) -> bool:
    """Whether the innermost frame of *exc* belongs to the keyring machinery (some backends raise
    plain RuntimeError or ValueError when D-Bus is unusable)."""
    tb = exc.__traceback__
    innermost = None
    while tb is not None:
        innermost = tb
        tb = tb.tb_next
    if innermost is None:
        return False
    module = innermost.tb_frame.f_globals.get("__name__", "")
    return isinstance(module, str) and module.startswith(_MACHINERY)


def _is_backend_failure(exc: BaseException) -> bool:
    """Errors of the keyring machinery itself (D-Bus gone, Secret Service missing, ...)."""
    if isinstance(exc, keyring.errors.KeyringError | OSError):
        return True
    module = type(exc).__module__ or ""
    if module.startswith(_MACHINERY):
        return True
    return isinstance(exc, RuntimeError | ValueError) and _raised_inside_machinery(exc)


def _chosen_keyring() -> keyring.backend.KeyringBackend:
    """The ``keyring`` package's choice; a backend named by the environment or keyring's own config
    file that cannot be loaded is a :class:`SecretsError`, not a traceback."""
    try:
        return keyring.get_keyring()
    except (ImportError, AttributeError, ValueError, TypeError) as exc:
        named = os.environ.get("PYTHON_KEYRING_BACKEND", "")
        log.info("The keyring backend could not be loaded: %s", type(exc).__name__)
        if named:
            raise SecretsError(
                f"Copydesk cannot reach the keyring: PYTHON_KEYRING_BACKEND names “{named}”, "
                "which cannot be loaded.",
                hint="Unset PYTHON_KEYRING_BACKEND to use the system's keyring, or name a backend "
                "that is installed (such as keyring.backends.SecretService.Keyring).",
            ) from None
        raise SecretsError(
            "Copydesk cannot reach the keyring: the backend chosen in keyring's configuration file "
            "cannot be loaded.",
            hint="Fix or remove the keyring configuration file (keyringrc.cfg), then try again.",
        ) from None


class SecretStore:
    """The site passwords in the OS keyring.

    *backend* is for tests and special set-ups; by default the ``keyring`` package's own choice is
    used (asked at every call, so ``keyring.set_keyring()`` takes effect at once).
    """

    def __init__(
        self, *, service: str = SERVICE, backend: keyring.backend.KeyringBackend | None = None
    ) -> None:
        self._service = service
        self._backend = backend

    def backend(self) -> keyring.backend.KeyringBackend:
        """The usable keyring backend, or :class:`SecretsError` saying what to do."""
        backend = self._backend or _chosen_keyring()
        problem = _backend_problem(backend)
        if problem is not None:
            raise SecretsError(
                f"Copydesk cannot keep site passwords safely: {problem}.", hint=_install_hint()
            )
        return backend

    def check(self) -> str:
        """A short name of the keyring in use (for the settings and the log); raises when unusable."""
        backend = self.backend()
        return f"{type(backend).__module__}.{type(backend).__name__}"

    def _call(self, action: str, call: Callable[[keyring.backend.KeyringBackend], _T]) -> _T:
        backend = self.backend()
        try:
            return call(backend)
        except keyring.errors.KeyringLocked:
            raise SecretsError(
                f"The keyring is locked, so Copydesk could not {action}.",
                hint="Unlock it (log in to your desktop session, or open your keyring manager and "
                "unlock the “login” keyring), then try again.",
            ) from None
        except Exception as exc:
            if not _is_backend_failure(exc):
                raise
            # The exception text may come from D-Bus or the backend; it never holds the secret,
            # but keep it out of the message anyway and log only its type.
            log.warning("The keyring failed to %s: %s", action, type(exc).__name__)
            raise SecretsError(
                f"The keyring did not answer, so Copydesk could not {action}.",
                hint="Check that your keyring service is running and unlocked. " + _install_hint(),
            ) from None

    def set_password(self, key: str, password: str) -> None:
        if not password:
            raise SecretsError("An empty password cannot be stored.")
        self._call("store the site password", lambda b: b.set_password(self._service, key, password))
        log.info("Stored a site password in the keyring for %s", key)

    def get_password(self, key: str) -> str:
        """The password stored for *key*; :class:`SecretsError` when there is none."""
        found: Any = self._call("read the site password", lambda b: b.get_password(self._service, key))
        if not found:
            raise SecretsError(
                f"The keyring holds no password for {key}.",
                hint="Enter the site's application password again (remove the site and add it).",
            )
        return str(found)

    def has_password(self, key: str) -> bool:
        return bool(self._call("read the site password", lambda b: b.get_password(self._service, key)))

    def delete_password(self, key: str) -> None:
        """Forget the password for *key*; no error when there was none."""

        def delete(backend: keyring.backend.KeyringBackend) -> None:
            try:
                backend.delete_password(self._service, key)
            except keyring.errors.PasswordDeleteError:
                log.info("No keyring entry to delete for %s", key)

        self._call("remove the site password", delete)
