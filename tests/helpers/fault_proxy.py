"""A loopback HTTP proxy in front of the test WordPress that produces faults on demand.

The real WordPress cannot lose an answer, strip a header or answer 503 when a test wants it to. This
proxy forwards every request to it (one request per connection) and, for requests that match a rule:

- ``drop``: forwards the request, lets WordPress act on it, then closes the client's connection
  without sending the answer (a lost response);
- ``respond``: answers with the given bytes instead of forwarding (503, 429, an HTML page, PHP notices,
  cut-off JSON, ...);
- ``strip_auth``: forwards without the ``Authorization`` header (a server that drops it);
- ``truncate``: forwards, then sends only the first half of WordPress's answer (cut-off JSON);
- ``drip``: forwards (or takes the rule's bytes), sends the headers, then the body one byte every
  ``interval`` seconds (the headers too with ``head_too``), at most ``limit`` bytes before it hangs up.

``stop()`` closes the port (so the site is unreachable, connection refused); ``start()`` opens the same
port again. With ``tls`` (a server :class:`ssl.SSLContext`) it speaks https. Only loopback addresses are
ever used (``host`` may be another one, 127.0.0.2, to be another origin).

:class:`Recorder` is the other server of the credential tests: no WordPress behind it, it records every
request with all its headers and answers like a WordPress that would gladly take a password.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Rule:
    match: Callable[[Request], bool]
    action: str  # "drop", "respond", "strip_auth", "truncate" or "drip"
    response: bytes = b""
    times: int = 1  # how many matching requests it applies to (-1: all)
    hits: int = 0
    interval: float = 10.0  # drip: seconds between bytes
    limit: int = -1  # drip: bytes of the body sent before hanging up (-1: all of it)
    head_too: bool = False  # drip: the headers too, not only the body


def http_response(status: int, body: bytes | str = b"", headers: dict[str, str] | None = None) -> bytes:
    data = body.encode() if isinstance(body, str) else body
    reason = HTTPStatus(status).phrase
    lines = [f"HTTP/1.1 {status} {reason}"]
    all_headers = {"Content-Type": "application/json; charset=UTF-8", **(headers or {})}
    all_headers["Content-Length"] = str(len(data))
    all_headers["Connection"] = "close"
    lines += [f"{name}: {value}" for name, value in all_headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


def _read_request(conn: socket.socket) -> tuple[bytes, Request] | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head, Request(method, path, headers, body)


class FaultProxy:
    def __init__(
        self,
        upstream: str | None,
        *,
        port: int = 0,
        host: str = "127.0.0.1",
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.upstream: tuple[str, int] | None = None
        if upstream is not None:
            parts = urlsplit(upstream)
            assert parts.hostname == "127.0.0.1", "the proxy only forwards to loopback"
            self.upstream = (parts.hostname, parts.port or 80)
        assert ipaddress.ip_address(host).is_loopback, "the proxy only listens on loopback"
        self.host = host
        self.tls = tls
        self.port = port
        self.rules: list[Rule] = []
        self.requests: list[Request] = []
        self._server: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    def __enter__(self) -> FaultProxy:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def add(
        self,
        match: Callable[[Request], bool],
        action: str,
        response: bytes = b"",
        *,
        times: int = 1,
        interval: float = 10.0,
        limit: int = -1,
        head_too: bool = False,
    ) -> Rule:
        rule = Rule(match, action, response, times, interval=interval, limit=limit, head_too=head_too)
        with self._lock:
            self.rules.append(rule)
        return rule

    def start(self) -> None:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((self.host, self.port))
        server.listen(16)
        self.port = server.getsockname()[1]
        self._server = server
        self._thread = threading.Thread(target=self._serve, args=(server,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            with contextlib.suppress(OSError):
                server.shutdown(socket.SHUT_RDWR)
            server.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _serve(self, server: socket.socket) -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _rule_for(self, request: Request) -> Rule | None:
        with self._lock:
            self.requests.append(request)
            for rule in self.rules:
                if (rule.times < 0 or rule.hits < rule.times) and rule.match(request):
                    rule.hits += 1
                    return rule
        return None

    def _handle(self, raw: socket.socket) -> None:
        raw.settimeout(60)
        if self.tls is None:
            self._serve_one(raw)
            return
        try:
            conn = self.tls.wrap_socket(raw, server_side=True)  # takes the socket over
        except (OSError, ssl.SSLError):  # the client refused the certificate, or went away
            raw.close()
            return
        self._serve_one(conn)

    def _serve_one(self, conn: socket.socket) -> None:
        with conn:
            try:
                read = _read_request(conn)
            except OSError:
                return
            if read is None:
                return
            _head, request = read
            rule = self._rule_for(request)
            if rule is not None and rule.action == "respond":
                conn.sendall(rule.response)
                return
            if rule is not None and rule.action == "drip" and rule.response:
                _drip(conn, rule.response, rule)
                return
            answer = self._forward(request, strip_auth=rule is not None and rule.action == "strip_auth")
            if rule is not None and rule.action == "drip":
                _drip(conn, answer, rule)
                return
            if rule is not None and rule.action == "drop":
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                return
            if rule is not None and rule.action == "truncate":
                answer = _truncated(answer)
            with contextlib.suppress(OSError):
                conn.sendall(answer)

    def answer(self, request: Request) -> bytes:
        """The answer to a request no rule takes, without an upstream."""
        return http_response(404, '{"code":"rest_no_route","message":"No route","data":{"status":404}}')

    def _forward(self, request: Request, *, strip_auth: bool) -> bytes:
        if self.upstream is None:
            return self.answer(request)
        skip = {"connection", "host", "keep-alive", "proxy-connection"}
        if strip_auth:
            skip.add("authorization")
        lines = [f"{request.method} {request.path} HTTP/1.1"]
        lines.append(f"Host: {self.upstream[0]}:{self.upstream[1]}")
        lines += [f"{k}: {v}" for k, v in request.headers.items() if k not in skip]
        lines.append("Connection: close")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + request.body
        with socket.create_connection(self.upstream, timeout=60) as upstream:
            upstream.sendall(raw)
            chunks = []
            while chunk := upstream.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)


def _drip(conn: socket.socket, answer: bytes, rule: Rule) -> None:
    """Send *answer* slowly: the headers at once (unless ``head_too``), then a byte at a time."""
    head, _, body = answer.partition(b"\r\n\r\n")
    slow = answer if rule.head_too else body
    if rule.limit >= 0:
        slow = slow[: rule.limit]
    with contextlib.suppress(OSError):
        if not rule.head_too:
            conn.sendall(head + b"\r\n\r\n")
        for index in range(len(slow)):
            time.sleep(rule.interval)
            conn.sendall(slow[index : index + 1])


class Recorder(FaultProxy):
    """Another origin that records every request (all headers) and answers like a WordPress that would
    take the password: an index at any root, a user for ``users/me``, an empty list or a post else."""

    def __init__(self, *, host: str = "127.0.0.2", tls: ssl.SSLContext | None = None) -> None:
        super().__init__(None, host=host, tls=tls)

    def answer(self, request: Request) -> bytes:
        path = route(request)
        if path in ("", "/"):
            body: object = {
                "name": "Not the site",
                "namespaces": ["wp/v2", "copydesk/v1"],
                "authentication": {"application-passwords": {}},
                "home": self.url,
            }
        elif path == "/wp/v2/users/me":
            caps = dict.fromkeys(("edit_posts", "publish_posts", "upload_files"), True)
            body = {"id": 1, "name": "Admin", "roles": ["administrator"], "capabilities": caps}
        elif request.method == "GET" and path.count("/") <= 3:
            body = []
        else:
            body = {"id": 1, "title": {"raw": ""}, "content": {"raw": ""}, "status": "draft"}
        return http_response(200, json.dumps(body), {"X-WP-Total": "0", "X-WP-TotalPages": "0"})

    def saw_authorization(self) -> list[str]:
        """The paths of the requests that carried an Authorization header (or a cookie)."""
        return [r.path for r in self.requests if "authorization" in r.headers or "cookie" in r.headers]


def _truncated(answer: bytes) -> bytes:
    """The same answer with only the first half of its body (and a Content-Length to match)."""
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = [
        line
        for line in head.split(b"\r\n")
        if not line.lower().startswith((b"content-length:", b"transfer-encoding:"))
    ]
    cut = body[: len(body) // 2]
    lines.append(b"Content-Length: " + str(len(cut)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + cut


def closed_port() -> int:
    """A loopback port that nothing listens on (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def route(request: Request) -> str:
    """The REST route of a request ("/wp/v2/posts"), with pretty or plain permalinks."""
    parts = urlsplit(request.path)
    query = dict(parse_qsl(parts.query))
    if "rest_route" in query:
        return query["rest_route"]
    return parts.path.removeprefix("/wp-json")


def creates_post(request: Request) -> bool:
    return request.method == "POST" and route(request) == "/wp/v2/posts"


def writes_post(request: Request) -> bool:
    return request.method == "POST" and route(request).startswith("/wp/v2/posts")


def uploads_media(request: Request) -> bool:
    return request.method == "POST" and route(request) == "/wp/v2/media"
