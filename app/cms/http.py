"""HTTP for CMS clients: one ``requests.Session`` per site, bounded in time and size, only safe retries.

- Timeouts are (connect, read) pairs; uploads get a longer read timeout. Every request also has an
  overall deadline (connecting, the headers and the whole body) and its answer a size cap (see
  :mod:`app.cms.guard`): a server that drips its answer a byte at a time cannot hold Copydesk forever.
- Retries are made here, never by urllib3, and only where they cannot duplicate anything: a connection
  that was never made (any method: nothing was sent), and reads and 502/503/504 answers of GET/HEAD.
  A POST whose answer is lost, or arrives cut off, is never sent again from here; it comes out as
  :class:`LostResponseError` and the caller decides (a push first looks for the post it may have made).
- Every failure becomes one of :mod:`app.errors`: :class:`NetworkError` (and its retryable kinds in
  :mod:`app.cms.base`), :class:`AuthError`, :class:`PermissionDenied`, :class:`RemoteError`. Malformed
  answers (a web page instead of JSON, PHP notices, cut-off JSON) are explained, never a crash.
- Credentials go only to the site's own origin (scheme, host and port): redirects are followed here,
  not by ``requests``, and only within that origin; and never over plain http to another machine.
  A write follows only a 307/308 (sent again with its body); any other redirect of a write is refused.
  Those checks are here so that no caller can forget them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import requests
from requests.structures import CaseInsensitiveDict

from app import APP_NAME, version
from app.cms.failures import (
    LOST_HINT,
    RedirectRefusedError,
    cut_off_error,
    deadline_error,
    host_of,
    network_error,
    never_connected,
    tls_error,
    too_large_error,
    write_redirect_error,
)
from app.cms.guard import MB, Deadline, DeadlinePassedError, GuardedAdapter, TooLargeError, read_body
from app.cms.origins import is_https_upgrade, is_insecure, is_loopback, origin_of
from app.cms.payload import ProgressBody, parse_json, retry_after_seconds
from app.errors import CopydeskError, InvalidInputError, RemoteError

__all__ = [
    "LOST_HINT",
    "FailedReply",
    "JsonTransport",
    "ProgressBody",
    "RedirectRefusedError",
    "Reply",
    "is_https_upgrade",
    "is_insecure",
    "is_loopback",
    "origin_of",
    "parse_json",
    "retry_after_seconds",
    "user_agent",
]

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 30.0)
UPLOAD_TIMEOUT: tuple[float, float] = (5.0, 300.0)
# the longest one request may take, all of it; read when a request is made, so tests can shorten it
DEFAULT_DEADLINE = 120.0
UPLOAD_DEADLINE = 3600.0
MAX_ANSWER_BYTES = 32 * MB
MAX_REDIRECTS = 5
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
_RETRY_STATUS = frozenset({502, 503, 504})
_RESEND_STATUS = frozenset({307, 308})  # "send the same request there": followed for writes too
# retries of one request: of a connection never made, of a broken read (GET), of a 50x (GET)
_RETRIES = {"connect": 2, "read": 1, "status": 2}
_MAX_RETRIES = 3
_BACKOFF = 0.3

_READ_FAILURES = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    requests.exceptions.ChunkedEncodingError,
)

ErrorMapper = Callable[["FailedReply"], CopydeskError]


def user_agent() -> str:
    return f"{APP_NAME}/{version()}"


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


def _failure_kind(exc: requests.exceptions.RequestException, *, safe: bool) -> str:
    """What a retry of a failed exchange would be: "connect", "read", or "" (no retry)."""
    if isinstance(exc, requests.exceptions.SSLError):
        return ""
    if never_connected(exc):
        return "connect"
    return "read" if safe and isinstance(exc, _READ_FAILURES) else ""


class JsonTransport:
    """A session to one site that speaks JSON and turns every failure into a message for the user.

    *origin* is the site the user added: credentials go to it and to the origins :meth:`trust` adds,
    never elsewhere. Thread-safe: requests are serialised on a lock (one site, one connection at a time).
    """

    def __init__(
        self,
        *,
        error_mapper: ErrorMapper,
        origin: str,
        auth: tuple[str, str] | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        deadline: float | None = None,
        allow_insecure_http: bool = False,
        trust_env: bool = True,
        verify: str | bool = True,
    ) -> None:
        self._map_error = error_mapper
        self._origins = {origin_of(origin)}
        self._auth = auth
        self._timeout = timeout
        self._deadline = deadline
        self._allow_insecure = allow_insecure_http
        self._trust_env = trust_env
        self._lock = threading.Lock()
        self._session = requests.Session()
        self._session.headers["User-Agent"] = user_agent()
        self._session.headers["Accept"] = "application/json"
        self._session.verify = verify
        adapter = GuardedAdapter(max_retries=0, pool_maxsize=2)
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)
        self.requests_made = 0
        self.php_noise_seen = False

    def close(self) -> None:
        self._session.close()

    def trust(self, url: str) -> None:
        """Let credentials go to the origin of *url* too (an https upgrade of the site's own)."""
        self._origins.add(origin_of(url))

    def trusts(self, url: str) -> bool:
        return origin_of(url) in self._origins

    def _check_destination(self, url: str, auth: tuple[str, str] | None) -> None:
        if auth is None:
            return
        if not self.trusts(url):
            raise InvalidInputError(
                f"Copydesk will not send your password to {host_of(url)}: it is not the site you added.",
                hint="Check the site's address and the connection again.",
            )
        if is_insecure(url) and not self._allow_insecure:
            raise InvalidInputError(
                f"Copydesk will not send your password to {host_of(url)} over plain http.",
                hint="Use the site's https:// address, or allow plain http for this site if you "
                "accept that anyone on the network can read the password.",
            )

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
        deadline: float | None = None,
        max_bytes: int = MAX_ANSWER_BYTES,
        authenticated: bool = True,
        json_answer: bool = True,
    ) -> Reply:
        """One request; redirects within the site's origin are followed (see :meth:`_redirect`).

        Without *json_answer* (a web page, for its headers) a 2xx answer is taken as it is."""
        auth = self._auth if authenticated else None
        limit = Deadline(deadline or self._deadline or DEFAULT_DEADLINE)
        with self._lock:
            for _hop in range(MAX_REDIRECTS + 1):
                self._check_destination(url, auth)
                self.requests_made += 1
                status, response_headers, content, final = self._exchange(
                    method, url, limit, params=params, json_body=json_body, body=body,
                    headers=headers, timeout=timeout or self._timeout, auth=auth,
                    max_bytes=max_bytes,
                )  # fmt: skip
                target = self._redirect(method, status, response_headers, final)
                if not target:
                    break
                url, params = target, None
            else:
                raise RemoteError(
                    f"{host_of(url)} sends requests round in circles (too many redirects).",
                    hint="Check the site's address.",
                )
        if not json_answer and 200 <= status < 300:
            return Reply(status=status, data=None, headers=response_headers, url=final)
        return self._reply(status, response_headers, content, final, method=method, action=action)

    def _redirect(self, method: str, status: int, headers: CaseInsensitiveDict[str], source: str) -> str:
        """Where to send the request again after a redirect, or "" to take the answer as it is.

        Only within the site's origins (scheme, host and port: the credentials' only destinations).
        A write is sent again, body and all, only on 307/308, which ask for just that and mean the
        server did nothing; 301/302/303 would turn it into a GET (and a 303 may follow a write that
        was made), so they are refused with a message, never followed silently.
        """
        location = headers.get("Location", "")
        if not (300 <= status < 400 and location):
            return ""
        target = urljoin(source, location)
        if not self.trusts(target):
            raise RedirectRefusedError(source, target, status)
        if method in _SAFE or status in _RESEND_STATUS:
            if method not in _SAFE:
                log.info("%s %s is redirected (%d) within the site", method, host_of(source), status)
            return target
        raise write_redirect_error(source, target, status)

    def _exchange(
        self,
        method: str,
        url: str,
        limit: Deadline,
        *,
        timeout: tuple[float, float],
        max_bytes: int,
        **options: Any,
    ) -> tuple[int, CaseInsensitiveDict[str], bytes, str]:
        """Send once, retrying what is safe to retry, within *limit*: (status, headers, body, url)."""
        safe = method in _SAFE
        used = dict.fromkeys(_RETRIES, 0)
        self._session.trust_env = self._trust_env and not is_loopback(url)
        while True:
            kind = ""
            body = options.get("body")
            if isinstance(body, ProgressBody):
                body.rewind()
            try:
                with limit:
                    connect = max(min(timeout[0], limit.remaining()), 0.001)
                    with self._session.request(
                        method, url, data=body, json=options.get("json_body"),
                        params=options.get("params"), headers=dict(options.get("headers") or {}),
                        timeout=(connect, timeout[1]), auth=options.get("auth"),
                        allow_redirects=False, stream=True,
                    ) as response:  # fmt: skip
                        limit.watch_response(response.raw)
                        content = read_body(response, limit, max_bytes)
                        status, final = response.status_code, response.url or url
                        headers = CaseInsensitiveDict(response.headers)
                if safe and status in _RETRY_STATUS:
                    kind = "status"
                else:
                    return status, headers, content, final
            except DeadlinePassedError:
                raise deadline_error(host_of(url), limit.seconds, safe=safe) from None
            except TooLargeError as exc:
                raise too_large_error(host_of(url), exc.limit) from None
            except requests.exceptions.RequestException as exc:
                if limit.expired():
                    raise deadline_error(host_of(url), limit.seconds, safe=safe) from None
                kind = _failure_kind(exc, safe=safe)
                if not kind or not self._may_retry(kind, used, limit):
                    raise self._transport_error(exc, url, safe=safe) from None
                continue
            if not self._may_retry(kind, used, limit):
                return status, headers, content, final

    @staticmethod
    def _may_retry(kind: str, used: dict[str, int], limit: Deadline) -> bool:
        """Count one retry of *kind*, waiting a little before it; False when none is left."""
        done = sum(used.values())
        if used[kind] >= _RETRIES[kind] or done >= _MAX_RETRIES:
            return False
        used[kind] += 1
        pause = _BACKOFF * (2 ** (done - 1)) if done else 0.0
        if pause >= limit.remaining():
            return False
        time.sleep(pause)
        log.debug("Trying again after a %s failure", kind)
        return True

    def _transport_error(
        self, exc: requests.exceptions.RequestException, url: str, *, safe: bool
    ) -> CopydeskError:
        host = host_of(url)
        log.info("Request to %s failed: %s", host, type(exc).__name__)
        if isinstance(exc, requests.exceptions.SSLError):
            return tls_error(exc, host)
        if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
            return InvalidInputError(f"“{url}” is not a web address Copydesk can use.")
        return network_error(exc, host, safe=safe)

    def _reply(
        self,
        status: int,
        headers: CaseInsensitiveDict[str],
        content: bytes,
        url: str,
        *,
        method: str,
        action: str,
    ) -> Reply:
        data, problem, noise = parse_json(content)
        lookup = headers
        if noise and not self.php_noise_seen:
            self.php_noise_seen = True
            log.warning("%s prints PHP messages into its answers", host_of(url))
        if 300 <= status < 400:  # a redirect without an address (the others are in _redirect)
            raise RemoteError(
                f"{host_of(url)} answered with a redirect (HTTP {status}) that names no address, "
                "so the request was not carried out.",
                status=status,
                hint="Check the site's address in the site's settings (https:// or www. may be "
                "needed) and check the connection again.",
            )
        if 200 <= status < 300 and not problem:
            return Reply(status=status, data=data, headers=lookup, url=url)
        if 200 <= status < 300 and problem == "truncated" and method not in _SAFE:
            # like an answer lost on the way: the caller looks up what the site did before resending
            log.info("%s %s answered %d, cut off", method, host_of(url), status)
            raise cut_off_error(host_of(url))
        body = data if isinstance(data, Mapping) else {}
        inner = body.get("data")
        failed = FailedReply(
            status=status,
            code=str(body.get("code", "")) if body else "",
            message=str(body.get("message", "")) if body else "",
            data=inner if isinstance(inner, Mapping) else {},
            headers=lookup,
            url=url,
            problem=problem,
            action=action,
            retry_after=retry_after_seconds(lookup.get("Retry-After")),
        )
        log.info("%s %s answered %d %s", method, host_of(url), status, failed.code or problem)
        raise self._map_error(failed)
