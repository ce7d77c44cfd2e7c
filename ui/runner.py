"""Running ``app`` services off the GUI thread and getting their result back on it.

Reads and renders go to a small pool; every database write goes to one single-worker executor so writes
happen one at a time and in the order they were asked for. Results and exceptions come back to the GUI
thread through a queued signal, where the caller's callbacks run. Widgets are never touched from a
worker. (The approach of Anki's ``aqt.operations``, on plain ``concurrent.futures``.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")
ErrorHandler = Callable[[BaseException], None]


class TaskRunner(QObject):
    """Submit work with :meth:`read` / :meth:`write`; callbacks run on the GUI thread."""

    # One object per delivery: the future and its callbacks travel together.
    _completed = Signal(object)  # (future, on_done, on_error)

    def __init__(self, on_error: ErrorHandler, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._default_error = on_error
        self._pool = ThreadPoolExecutor(max_workers=3, thread_name_prefix="copydesk-read")
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="copydesk-write")
        self._pending: set[Future[Any]] = set()
        self._closed = False
        self._completed.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def read(
        self,
        fn: Callable[..., T],
        *args: Any,
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorHandler | None = None,
    ) -> Future[T]:
        return self._submit(self._pool, fn, args, on_done, on_error)

    def write(
        self,
        fn: Callable[..., T],
        *args: Any,
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorHandler | None = None,
    ) -> Future[T]:
        return self._submit(self._writer, fn, args, on_done, on_error)

    def _submit(
        self,
        executor: ThreadPoolExecutor,
        fn: Callable[..., T],
        args: tuple[Any, ...],
        on_done: Callable[[T], None] | None,
        on_error: ErrorHandler | None,
    ) -> Future[T]:
        if self._closed:
            raise RuntimeError("the task runner is shut down")
        future = executor.submit(fn, *args)
        self._pending.add(future)
        future.add_done_callback(lambda f: self._completed.emit((f, on_done, on_error)))
        return future

    def _deliver(self, delivery: tuple[Future[Any], Any, Any]) -> None:
        future, on_done, on_error = delivery
        self._pending.discard(future)
        if future.cancelled() or self._closed:
            return  # the window that asked is gone
        error = future.exception()
        if error is not None:
            (on_error or self._default_error)(error)
        elif on_done is not None:
            on_done(future.result())

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def drain_writes(self) -> None:
        """Block until every queued write has run (used when quitting)."""
        self._writer.submit(lambda: None).result()

    def shutdown(self) -> None:
        self._closed = True
        self._writer.shutdown(wait=True)
        self._pool.shutdown(wait=True, cancel_futures=True)
