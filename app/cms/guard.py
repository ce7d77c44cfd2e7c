"""Bounds on one HTTP exchange: an overall deadline and a cap on the size of the answer.

``requests``' timeouts are per socket operation: a server that sends one byte every few seconds never
trips them, however long the whole answer takes. :class:`Deadline` is a wall clock over the whole
exchange (connecting, the headers, the body): when it passes, a watchdog shuts the connection's socket,
so whatever is blocked on it returns at once, and :meth:`Deadline.expired` says why. A session gets
the watchdog through :class:`GuardedAdapter`; :func:`read_body` reads an answer in chunks up to a size
cap, checking the deadline between chunks.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

MB = 1024 * 1024
_CHUNK = 64 * 1024
_REFIRE = 0.2  # seconds between further shutdowns once the deadline has passed
_current = threading.local()


class TooLargeError(Exception):
    """The answer is larger than the cap given to :func:`read_body`."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class DeadlinePassedError(Exception):
    """The deadline passed while reading an answer."""


class Deadline:
    """A wall-clock limit on one exchange; use as a context manager around the request and the body.

    Connections opened by a :class:`GuardedAdapter` in this thread while it is active are watched.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._connections: list[HTTPConnection] = []
        self._responses: list[Any] = []
        self._fired = False
        self._done = False
        self._timer: threading.Timer | None = None

    def remaining(self) -> float:
        return max(self._end - time.monotonic(), 0.0)

    def expired(self) -> bool:
        return self._fired or time.monotonic() >= self._end

    def check(self) -> None:
        if self.expired():
            raise DeadlinePassedError

    def watch(self, connection: HTTPConnection) -> None:
        with self._lock:
            self._connections.append(connection)
            fired = self._fired
        if fired:
            _shut(connection)

    def watch_response(self, raw: Any) -> None:
        """Watch the body of an answer too (its connection may have handed its socket over)."""
        with self._lock:
            self._responses.append(raw)
            fired = self._fired
        if fired:
            _shut_response(raw)

    def __enter__(self) -> Deadline:
        with self._lock:
            self._done = False
            self._connections.clear()
            self._responses.clear()
        self._arm(self.remaining())
        _current.deadline = self
        return self

    def __exit__(self, *exc_info: object) -> None:
        _current.deadline = None
        with self._lock:
            self._done = True
            if self._timer is not None:
                self._timer.cancel()

    def _arm(self, seconds: float) -> None:
        timer = threading.Timer(seconds, self._fire)
        timer.daemon = True
        self._timer = timer
        timer.start()

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self._fired = True
            connections = list(self._connections)
            responses = list(self._responses)
            # a connection still being opened has no socket yet: look again shortly
            self._arm(_REFIRE)
        for connection in connections:
            _shut(connection)
        for raw in responses:
            _shut_response(raw)


def _shut(connection: HTTPConnection) -> None:
    sock = getattr(connection, "sock", None)
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            # the plain socket's shutdown, also for TLS: it wakes a read blocked in another thread
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _shut_response(raw: Any) -> None:
    shutdown = getattr(raw, "shutdown", None)  # urllib3 2.3 and newer
    if callable(shutdown):
        with contextlib.suppress(OSError, ValueError, RuntimeError):
            shutdown()


def _watched(connection: Any) -> Any:
    deadline = getattr(_current, "deadline", None)
    if isinstance(deadline, Deadline) and isinstance(connection, HTTPConnection):
        deadline.watch(connection)
    return connection


class _WatchedHTTPPool(HTTPConnectionPool):
    def _get_conn(self, timeout: float | None = None) -> Any:
        return _watched(super()._get_conn(timeout))


class _WatchedHTTPSPool(HTTPSConnectionPool):
    def _get_conn(self, timeout: float | None = None) -> Any:
        return _watched(super()._get_conn(timeout))


_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class GuardedAdapter(HTTPAdapter):
    """An adapter whose connections the active :class:`Deadline` of the thread can shut."""

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if hasattr(manager, "pool_classes_by_scheme"):
            manager.pool_classes_by_scheme = dict(_POOLS)
        return manager


def read_body(response: requests.Response, deadline: Deadline, max_bytes: int) -> bytes:
    """The body of a streamed *response*: :class:`TooLargeError` past *max_bytes*,
    :class:`DeadlinePassedError` when the deadline passes first."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLargeError(max_bytes)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        deadline.check()
        size += len(chunk)
        if size > max_bytes:
            raise TooLargeError(max_bytes)
        chunks.append(chunk)
    deadline.check()
    return b"".join(chunks)
