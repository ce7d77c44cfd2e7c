"""Running ``app`` services off the GUI thread and getting their result back on it.

Three lanes:

- :meth:`TaskRunner.read` — reads and renders, on a small pool;
- :meth:`TaskRunner.write` — quick local database writes, on one single-worker executor, so writes
  happen one at a time and in the order they were asked for (autosaves never wait behind the network);
- :meth:`TaskRunner.network` — anything that talks to a site (adding or checking it, importing a post,
  resolving a conflict, syncing comments), on a few daemon threads of its own. Quitting never waits for
  them: what is still running is abandoned (the services have timeouts) and its result dropped.

Every call names its ``owner``, the object that asked (usually the widget that shows the result).
Results and exceptions come back to the GUI thread through a queued signal; if the owner has been
destroyed by then, nothing is delivered. (Anki's ``CollectionOp(parent, op)``, on plain
``concurrent.futures``.) Widgets are never touched from a worker.

One error policy, here: an expected failure (a :class:`~app.errors.CopydeskError`, or a type the call
lists in ``expected``) goes to the caller's ``on_error``; anything else is a bug and goes to the
runner's handler (the crash handler), never to the caller. After :meth:`TaskRunner.shutdown` new work
is refused: the call returns a cancelled future and nothing runs.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal

from app.errors import CopydeskError

log = logging.getLogger(__name__)

T = TypeVar("T")
ErrorHandler = Callable[[BaseException], None]
Expected = tuple[type[BaseException], ...]

READ_WORKERS = 3
NETWORK_WORKERS = 3


@dataclass(frozen=True)
class _Callbacks:
    """Who asked for a task, and who gets its outcome."""

    owner: QObject
    on_done: Callable[[Any], object] | None
    on_error: ErrorHandler | None
    on_finished: Callable[[], object] | None
    expected: Expected


class _DaemonLane:
    """A few daemon threads working through a queue: work still running at exit is abandoned.

    (``ThreadPoolExecutor`` joins its threads when the interpreter exits, so a request waiting for a
    slow site would keep the process alive after the window closed.)
    """

    def __init__(self, workers: int, name: str) -> None:
        self._workers = workers
        self._name = name
        self._queue: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]] | None]
        self._queue = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        future: Future[T] = Future()
        self._queue.put((future, fn, args))
        if len(self._threads) < self._workers:
            thread = threading.Thread(
                target=self._work, name=f"{self._name}-{len(self._threads)}", daemon=True
            )
            self._threads.append(thread)
            thread.start()
        return future

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            future, fn, args = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args)
            except BaseException as exc:  # handed to the GUI thread, as an executor does
                future.set_exception(exc)
            else:
                future.set_result(result)

    def shutdown(self) -> None:
        """Cancel what has not started and let the threads end; never waits for running work."""
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                item[0].cancel()
        for _thread in self._threads:
            self._queue.put(None)


class TaskRunner(QObject):
    """Submit work with :meth:`read`, :meth:`write` or :meth:`network`; callbacks run on the GUI thread.

    *on_error* handles what no caller takes: every unexpected exception (pass the crash handler), and
    expected ones from calls that gave no ``on_error`` of their own.
    """

    _completed = Signal(object)  # (future, _Callbacks)

    def __init__(self, on_error: ErrorHandler, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._default_error = on_error
        self._pool = ThreadPoolExecutor(max_workers=READ_WORKERS, thread_name_prefix="copydesk-read")
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="copydesk-write")
        self._network = _DaemonLane(NETWORK_WORKERS, "copydesk-network")
        self._pending: set[Future[Any]] = set()
        self._closed = False
        self._completed.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def read(
        self,
        fn: Callable[..., T],
        *args: Any,
        owner: QObject,
        on_done: Callable[[T], object] | None = None,
        on_error: ErrorHandler | None = None,
        on_finished: Callable[[], object] | None = None,
        expected: Expected = (),
    ) -> Future[T]:
        """Run *fn* on the read pool; see :meth:`_submit` for the arguments."""
        callbacks = _Callbacks(owner, on_done, on_error, on_finished, expected)
        return self._submit(self._pool.submit, fn, args, callbacks)

    def write(
        self,
        fn: Callable[..., T],
        *args: Any,
        owner: QObject,
        on_done: Callable[[T], object] | None = None,
        on_error: ErrorHandler | None = None,
        on_finished: Callable[[], object] | None = None,
        expected: Expected = (),
    ) -> Future[T]:
        """Run *fn* on the database writer, after every write asked for before it."""
        callbacks = _Callbacks(owner, on_done, on_error, on_finished, expected)
        return self._submit(self._writer.submit, fn, args, callbacks)

    def network(
        self,
        fn: Callable[..., T],
        *args: Any,
        owner: QObject,
        on_done: Callable[[T], object] | None = None,
        on_error: ErrorHandler | None = None,
        on_finished: Callable[[], object] | None = None,
        expected: Expected = (),
    ) -> Future[T]:
        """Run *fn*, which talks to a site, on the network lane (never delays a write)."""
        callbacks = _Callbacks(owner, on_done, on_error, on_finished, expected)
        return self._submit(self._network.submit, fn, args, callbacks)

    def _submit(
        self,
        submit: Callable[..., Future[Any]],
        fn: Callable[..., T],
        args: tuple[Any, ...],
        callbacks: _Callbacks,
    ) -> Future[T]:
        """Queue *fn(*args)*. When it has run, and if the owner still exists: ``on_finished`` first
        (whatever the outcome: reset a busy state there), then ``on_done`` with the result, or
        ``on_error`` with an expected error (a ``CopydeskError`` or one of ``expected``); any other
        exception goes to the runner's handler."""
        if self._closed or not shiboken6.isValid(callbacks.owner):
            why = "the task runner is shut down" if self._closed else "whoever asked is gone"
            log.info("Refused %s: %s", getattr(fn, "__qualname__", fn), why)
            refused: Future[T] = Future()
            refused.cancel()
            return refused
        future: Future[T] = submit(fn, *args)
        self._pending.add(future)
        future.add_done_callback(lambda done: self._on_future_done(done, callbacks))
        return future

    def _on_future_done(self, future: Future[Any], callbacks: _Callbacks) -> None:
        # on a worker thread (or the GUI thread when cancelled): hand over to the GUI thread
        if not self._closed:
            self._completed.emit((future, callbacks))

    def _deliver(self, delivery: tuple[Future[Any], _Callbacks]) -> None:
        future, callbacks = delivery
        self._pending.discard(future)
        if future.cancelled() or self._closed:
            return
        if not shiboken6.isValid(callbacks.owner):
            return  # whoever asked is gone: nothing is left to show the outcome in
        if callbacks.on_finished is not None:
            callbacks.on_finished()
        error = future.exception()
        if error is None:
            if callbacks.on_done is not None:
                callbacks.on_done(future.result())
        elif isinstance(error, (CopydeskError, *callbacks.expected)) and callbacks.on_error is not None:
            callbacks.on_error(error)
        else:
            self._default_error(error)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    @property
    def closed(self) -> bool:
        return self._closed

    def drain_writes(self) -> None:
        """Block until every queued write has run (used when quitting)."""
        if not self._closed:
            self._writer.submit(lambda: None).result()

    def shutdown(self) -> None:
        """Refuse new work, finish the queued writes, stop the reads; abandon the network lane."""
        self._closed = True
        self._network.shutdown()
        self._writer.shutdown(wait=True)
        self._pool.shutdown(wait=True, cancel_futures=True)
