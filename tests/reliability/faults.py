"""More faults for the reliability suite, on top of :class:`tests.helpers.fault_proxy.FaultProxy`.

Actions added here (the helper's own ``drop``, ``respond``, ``strip_auth`` and ``truncate`` still work):

- ``delay``: wait :attr:`ReliabilityProxy.latency` seconds, then forward (a slow network);
- ``stall``: read the request, then send nothing for :attr:`ReliabilityProxy.stall` seconds and close
  (a server that hangs: the client's read timeout must end it);
- ``reset``: read the request, then reset the connection (TCP RST) before forwarding it;
- ``reset_upload``: read half of the request's body, then reset (a connection lost mid-upload).

And :class:`Recorder`, a second loopback server that answers 200 ``{}`` to everything and keeps every
request it gets, headers included: a redirect's target that must never see the password.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time

from tests.helpers.fault_proxy import FaultProxy, Request, http_response

_RESET_ACTIONS = {"reset", "reset_upload"}


def _reset(conn: socket.socket) -> None:
    """Close with RST, not FIN: the client sees "connection reset by peer"."""
    with contextlib.suppress(OSError):
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def _read_head(conn: socket.socket) -> tuple[bytes, bytes] | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head, body


def _parse_head(head: bytes, body: bytes) -> Request:
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Request(method, path, headers, body)


class ReliabilityProxy(FaultProxy):
    latency = 0.4
    stall = 4.0

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(60)
        try:
            read = _read_head(conn)
            if read is None:
                conn.close()
                return
            head, body = read
            partial = _parse_head(head, body)
            length = int(partial.headers.get("content-length", "0") or 0)
            rule = self._peek(partial)
            target = length // 2 if rule is not None and rule.action == "reset_upload" else length
            while len(body) < target:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                body += chunk
            request = Request(partial.method, partial.path, partial.headers, body)
            rule = self._rule_for(request)
        except OSError:
            conn.close()
            return
        if rule is not None and rule.action in _RESET_ACTIONS:
            _reset(conn)
            return
        if rule is not None and rule.action == "stall":
            time.sleep(self.stall)
            conn.close()
            return
        if rule is not None and rule.action == "delay":
            time.sleep(self.latency)
        self._answer(conn, request, rule)

    def _peek(self, request: Request) -> object:
        with self._lock:
            for rule in self.rules:
                if (rule.times < 0 or rule.hits < rule.times) and rule.match(request):
                    return rule
        return None

    def _answer(self, conn: socket.socket, request: Request, rule: object) -> None:
        action = getattr(rule, "action", None)
        with conn:
            if action == "respond":
                with contextlib.suppress(OSError):
                    conn.sendall(rule.response)  # type: ignore[attr-defined]
                return
            answer = self._forward(request, strip_auth=action == "strip_auth")
            if action == "drop":
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                return
            if action == "truncate":
                from tests.helpers.fault_proxy import _truncated

                answer = _truncated(answer)
            with contextlib.suppress(OSError):
                conn.sendall(answer)


class Recorder:
    """A loopback server that answers ``200 {}`` and records every request (headers and all)."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(16)
        self.port = self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(10)
                try:
                    read = _read_head(conn)
                    if read is None:
                        continue
                    self.requests.append(_parse_head(*read))
                    conn.sendall(http_response(200, b"{}"))
                except OSError:
                    continue

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)
        self._server.close()
        self._thread.join(timeout=5)

    def saw_credentials(self) -> list[str]:
        return [r.path for r in self.requests if "authorization" in r.headers]
