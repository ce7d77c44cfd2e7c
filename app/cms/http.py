"""HTTP for CMS clients: one ``requests.Session`` per site, explicit timeouts, only safe retries.

- Timeouts are (connect, read) pairs; uploads get a longer read timeout.
- Retries happen inside the session only where they cannot duplicate anything: a connection that was
  never made (any method: nothing was sent), and reads and 502/503/504 answers of GET/HEAD. A POST whose
  answer is lost is never sent again from here; it comes out as :class:`LostResponseError` and the
  caller decides (a push first looks for the post it may have made).
- Every failure becomes one of :mod:`app.errors`: :class:`NetworkError` (and its retryable kinds in
  :mod:`app.cms.base`), :class:`AuthError`, :class:`PermissionDenied`, :class:`RemoteError`. Malformed
  answers (a web page instead of JSON, PHP notices, cut-off JSON) are explained, never a crash.
- Credentials are never sent over plain http to another machine; that check is here so that no caller
  can forget it.
"""

from __future__ import annotations

import email.utils
import ipaddress
import json
import logging
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
)
from urllib3.util.retry import Retry

from app import APP_NAME, version
from app.cms.base import LostResponseError, Progress
from app.errors import CopydeskError, InvalidInputError, NetworkError, RemoteError

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 30.0)
UPLOAD_TIMEOUT: tuple[float, float] = (5.0, 300.0)
MAX_RETRY_AFTER = 24 * 3600.0
_CHUNK = 64 * 1024
# One PHP message as display_errors prints it, in HTML or in text, before the real answer.
_PHP_NOTICE = re.compile(
    r"\s*(?:<br\s*/?>\s*)?(?:<b>)?(?:PHP )?"
    r"(?:Warning|Notice|Deprecated|Strict Standards|Fatal error|Parse error)(?:</b>)?:"
    r".*? on line (?:<b>)?\d+(?:</b>)?(?:<br\s*/?>)?\s*",
    re.IGNORECASE | re.DOTALL,
)
_HTML_START = re.compile(rb"^\s*(?:<!doctype html|<html|<head|<body|<!--|<\?xml)", re.IGNORECASE)

ErrorMapper = Callable[["FailedReply"], CopydeskError]


def user_agent() -> str:
    return f"{APP_NAME}/{version()}"


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_insecure(url: str) -> bool:
    """Plain http to another machine: anything sent can be read on the way."""
    return urlsplit(url).scheme == "http" and not is_loopback(url)


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delta = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(delta, 0.0), MAX_RETRY_AFTER)


class ProgressBody:
    """A file (or bytes) sent as a request body in chunks, reporting (sent, total) as it goes.

    It has a length, so ``requests`` sends a Content-Length instead of chunked encoding (which PHP's
    built-in server and some hosts do not accept).
    """

    def __init__(self, source: Path | bytes, progress: Progress | None = None) -> None:
        self._data = source if isinstance(source, bytes) else source.read_bytes()
        self._progress = progress
        self._position = 0

    def __len__(self) -> int:
        return len(self._data)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = len(self._data) - self._position
        chunk = self._data[self._position : self._position + min(size, _CHUNK)]
        self._position += len(chunk)
        if self._progress is not None and chunk:
            self._progress(self._position, len(self._data))
        return chunk


@dataclass(frozen=True)
class Reply:
    status: int
    data: Any
    headers: Mapping[str, str]
    url: str


@dataclass(frozen=True)
class FailedReply:
    """An answer that is an error, with whatever could be read from it."""

    status: int
    code: str  # the CMS's own error code, when it sent one
    message: str
    data: Mapping[str, Any]
    headers: Mapping[str, str]
    url: str
    problem: str  # "", "html", "empty", "truncated", "garbage": why there was no JSON
    action: str  # what Copydesk was doing: "post", "media", "term", "user", "index", "list", ...
    retry_after: float | None


def parse_json(content: bytes) -> tuple[Any, str, bool]:
    """(data, problem, had_noise): the JSON of an answer, reading past PHP notices printed before it.

    *problem* says why there is no data: "empty", "html" (a web page), "truncated" (JSON cut off),
    "php-noise" (PHP messages and no readable JSON after them) or "garbage".
    """
    if not content.strip():
        return None, "empty", False
    try:
        return json.loads(content), "", False
    except (ValueError, UnicodeDecodeError):
        pass
    text = content.decode("utf-8", errors="replace")
    rest, noise = text, False
    while match := _PHP_NOTICE.match(rest):
        rest, noise = rest[match.end() :], True
    if noise:
        try:
            return json.loads(rest), "", True
        except ValueError:
            return None, "php-noise", True
    return None, _problem(content), False


def _problem(content: bytes) -> str:
    if _HTML_START.match(content):
        return "html"
    if content.lstrip()[:1] in (b"{", b"["):
        return "truncated"
    return "garbage"


def _never_connected(exc: requests.exceptions.ConnectionError) -> bool:
    reason: Any = exc.args[0] if exc.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, NewConnectionError | NameResolutionError | ConnectTimeoutError)


LOST_HINT = "Copydesk checks what the site did before trying again, so nothing is made twice."


def _network_error(exc: requests.exceptions.RequestException, host: str, *, safe: bool) -> NetworkError:
    """A failure of the network itself; for a request that changes something, maybe a lost answer."""
    never_sent = isinstance(exc, requests.exceptions.ConnectTimeout) or (
        isinstance(exc, requests.exceptions.ConnectionError) and _never_connected(exc)
    )
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


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


class JsonTransport:
    """A session to one site that speaks JSON and turns every failure into a message for the user.

    Thread-safe: requests are serialised on a lock (one site, one connection at a time).
    """

    def __init__(
        self,
        *,
        error_mapper: ErrorMapper,
        auth: tuple[str, str] | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        allow_insecure_http: bool = False,
        trust_env: bool = True,
    ) -> None:
        self._map_error = error_mapper
        self._auth = auth
        self._timeout = timeout
        self._allow_insecure = allow_insecure_http
        self._trust_env = trust_env
        self._lock = threading.Lock()
        self._session = requests.Session()
        self._session.headers["User-Agent"] = user_agent()
        self._session.headers["Accept"] = "application/json"
        retry = Retry(
            total=3,
            connect=2,
            read=1,
            status=2,
            other=0,
            allowed_methods=frozenset({"GET", "HEAD", "OPTIONS"}),
            status_forcelist=(502, 503, 504),
            backoff_factor=0.3,
            respect_retry_after_header=False,  # long waits belong to the outbox, not to a request
            raise_on_status=False,
            raise_on_redirect=False,
        )
        adapter = HTTPAdapter(max_retries=retry, pool_maxsize=2)
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)
        self.requests_made = 0
        self.php_noise_seen = False

    def close(self) -> None:
        self._session.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        action: str,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        body: ProgressBody | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: tuple[float, float] | None = None,
        authenticated: bool = True,
    ) -> Reply:
        auth = self._auth if authenticated else None
        if auth is not None and is_insecure(url) and not self._allow_insecure:
            raise InvalidInputError(
                f"Copydesk will not send your password to {_host(url)} over plain http.",
                hint="Use the site's https:// address, or allow plain http for this site if you "
                "accept that anyone on the network can read the password.",
            )
        safe = method in ("GET", "HEAD", "OPTIONS")
        with self._lock:
            self.requests_made += 1
            self._session.trust_env = self._trust_env and not is_loopback(url)
            try:
                response = self._session.request(
                    method,
                    url,
                    params=params,
                    json=json_body,
                    data=body,
                    headers=dict(headers or {}),
                    timeout=timeout or self._timeout,
                    auth=auth,
                    allow_redirects=safe,
                )
            except requests.exceptions.RequestException as exc:
                raise self._transport_error(exc, url, safe=safe) from None
        return self._reply(response, method=method, action=action)

    def _transport_error(
        self, exc: requests.exceptions.RequestException, url: str, *, safe: bool
    ) -> CopydeskError:
        host = _host(url)
        log.info("Request to %s failed: %s", host, type(exc).__name__)
        if isinstance(exc, requests.exceptions.SSLError):
            return NetworkError(
                f"The secure connection to {host} failed: its certificate could not be verified.",
                hint="Copydesk never skips this check. The certificate may have expired, be made out "
                "to another address, or come from an authority this computer does not trust; "
                "ask the site's administrator.",
            )
        if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
            return InvalidInputError(f"“{url}” is not a web address Copydesk can use.")
        if isinstance(exc, requests.exceptions.TooManyRedirects):
            return RemoteError(
                f"{host} sends requests round in circles (too many redirects).",
                hint="Check the site's address.",
            )
        return _network_error(exc, host, safe=safe)

    def _reply(self, response: requests.Response, *, method: str, action: str) -> Reply:
        status = response.status_code
        headers = dict(response.headers)
        data, problem, noise = parse_json(response.content)
        if noise and not self.php_noise_seen:
            self.php_noise_seen = True
            log.warning("%s prints PHP messages into its answers", _host(response.url))
        if 300 <= status < 400:
            target = response.headers.get("Location", "")
            raise RemoteError(
                f"{_host(response.url)} sent the request on to another address ({target}), "
                "so it was not carried out.",
                status=status,
                hint="Check the site's address in the site's settings (https:// or www. may be "
                "needed) and check the connection again.",
            )
        if 200 <= status < 300 and not problem:
            return Reply(status=status, data=data, headers=headers, url=response.url)
        body = data if isinstance(data, Mapping) else {}
        inner = body.get("data")
        failed = FailedReply(
            status=status,
            code=str(body.get("code", "")) if body else "",
            message=str(body.get("message", "")) if body else "",
            data=inner if isinstance(inner, Mapping) else {},
            headers=headers,
            url=response.url,
            problem=problem,
            action=action,
            retry_after=retry_after_seconds(response.headers.get("Retry-After")),
        )
        log.info("%s %s answered %d %s", method, _host(response.url), status, failed.code or problem)
        raise self._map_error(failed)
