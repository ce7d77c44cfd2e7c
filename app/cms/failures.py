"""The messages of failed exchanges: the network, TLS, the deadline, the size cap, a redirect.

Each becomes one of :mod:`app.errors` with a message that says what happened and what to do.
"""

from __future__ import annotations

import ssl
from typing import Any
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
)

from app.cms.base import LostResponseError
from app.cms.guard import MB
from app.errors import NetworkError, RemoteError


def never_connected(exc: requests.exceptions.RequestException) -> bool:
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if not isinstance(exc, requests.exceptions.ConnectionError):
        return False
    reason: Any = exc.args[0] if exc.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, NewConnectionError | NameResolutionError | ConnectTimeoutError)


LOST_HINT = "Copydesk checks what the site did before trying again, so nothing is made twice."


def network_error(exc: requests.exceptions.RequestException, host: str, *, safe: bool) -> NetworkError:
    """A failure of the network itself; for a request that changes something, maybe a lost answer."""
    never_sent = never_connected(exc)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        message = f"{host} did not answer in time."
    elif never_sent:
        message = f"Could not reach {host}."
    elif isinstance(exc, requests.exceptions.ReadTimeout):
        message = f"{host} took too long to answer."
    elif isinstance(exc, requests.exceptions.ConnectionError):
        message = f"The connection to {host} broke before its answer arrived."
    else:
        message = f"The answer from {host} was cut off."
    if never_sent:
        return NetworkError(message, hint="Check your internet connection and the site's address.")
    if safe:
        return NetworkError(message, hint="Try again later.")
    return LostResponseError(message + " The site may have done what was asked anyway.", hint=LOST_HINT)


def cut_off_error(host: str) -> LostResponseError:
    """A write answered with a success whose data stops halfway: the site has acted, or may have."""
    return LostResponseError(
        f"The answer from {host} was cut off halfway. The site may have done what was asked anyway.",
        hint=LOST_HINT,
    )


def deadline_error(host: str, seconds: float, *, safe: bool) -> NetworkError:
    message = f"{host} did not finish answering within {seconds:g} seconds, so Copydesk stopped waiting."
    if safe:
        return NetworkError(
            message,
            hint="The site or the network is very slow, or something on the way holds the connection "
            "open. Try again later; if it keeps happening, tell the site's administrator.",
        )
    return LostResponseError(message + " The site may have done what was asked anyway.", hint=LOST_HINT)


def too_large_error(host: str, limit: int) -> RemoteError:
    return RemoteError(
        f"{host} sent an answer larger than {limit / MB:g} MB, so Copydesk stopped reading it.",
        hint="Check the site's address; a WordPress site does not send answers that big. If it is "
        "right, ask the site's administrator what the site sends.",
    )


def tls_error(exc: requests.exceptions.SSLError, host: str) -> NetworkError:
    """Why a certificate was refused, as precisely as the TLS library says."""
    cause: BaseException | None = exc
    for _depth in range(10):
        if cause is None or isinstance(cause, ssl.SSLCertVerificationError):
            break
        inner = [getattr(cause, "reason", None), *cause.args[:1], cause.__cause__, cause.__context__]
        cause = next((e for e in inner if isinstance(e, BaseException)), None)
    hint = (
        "Copydesk never skips this check. Make sure the address is the site's own; otherwise ask "
        "the site's administrator to fix the certificate."
    )
    code = cause.verify_code if isinstance(cause, ssl.SSLCertVerificationError) else 0
    if code in (62, 64):  # X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH
        return NetworkError(
            f"The secure connection to {host} was refused: its certificate is made out to another "
            "name, so the server may not be the site.",
            hint=hint,
        )
    if code == 10:  # X509_V_ERR_CERT_HAS_EXPIRED
        return NetworkError(
            f"The secure connection to {host} was refused: its certificate has expired.", hint=hint
        )
    return NetworkError(
        f"The secure connection to {host} failed: its certificate could not be verified.",
        hint="Copydesk never skips this check. The certificate may have expired, be made out "
        "to another address, or come from an authority this computer does not trust; "
        "ask the site's administrator.",
    )


def host_of(url: str) -> str:
    return urlsplit(url).netloc or url


class RedirectRefusedError(RemoteError):
    """A redirect to another origin (scheme, host or port), which Copydesk does not follow."""

    def __init__(self, source: str, target: str, status: int) -> None:
        super().__init__(
            f"{host_of(source)} sent the request on to {target}, another address, so Copydesk did "
            "not follow it (your password goes only to the site you added).",
            status=status,
            hint="If that is the site's real address, add the site again with that address.",
        )
        self.source = source
        self.target = target


def write_redirect_error(source: str, target: str, status: int) -> RemoteError:
    """A redirect of a write that would turn it into a plain read (301, 302, 303)."""
    return RemoteError(
        f"{host_of(source)} answered with a redirect to {target} (HTTP {status}), which would have "
        "dropped what Copydesk was sending, so Copydesk did not follow it.",
        status=status,
        hint="Check the site's address in the site's settings (https:// or www. may be needed) and "
        "check the connection again; if it is right, ask the site's administrator why the site "
        "redirects its REST API.",
    )
