"""Fixtures shared by every test: a fresh library in a temporary data folder, and log checking.

Logs are assertions too: a WARNING or worse logged while a test runs (on any thread) fails it, unless
the test says it expects that message:

    @pytest.mark.expect_log("app.store.backup", "WARNING", r"Backup .* is damaged")
    def test_...

or, when the expectation depends on what the test does, through the ``expect_log`` fixture:

    def test_...(expect_log: ExpectLog) -> None:
        expect_log("app.sites.registry", "WARNING", "no longer answers")

The logger matches by name (a child logger too), the level exactly, the pattern by ``re.search`` on the
message. An expectation that nothing matched fails the test as well, so stale markers do not pile up;
give ``optional=True`` for a message that may or may not come (a race the test does not control).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest

from app.core import Core, open_core


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def core(data_dir: Path) -> Iterator[Core]:
    opened = open_core(data_dir)
    try:
        yield opened
    finally:
        opened.close()


# -- logs are assertions ------------------------------------------------------------------------------


@dataclass
class Expected:
    logger: str
    level: int
    pattern: re.Pattern[str]
    optional: bool = False
    seen: int = 0

    def matches(self, record: logging.LogRecord) -> bool:
        name = record.name
        return (
            (name == self.logger or name.startswith(self.logger + "."))
            and record.levelno == self.level
            and self.pattern.search(record.getMessage()) is not None
        )

    def __str__(self) -> str:
        return f"{logging.getLevelName(self.level)} from {self.logger} matching {self.pattern.pattern!r}"


class LogFail(logging.Handler):
    """Collects every WARNING or worse, from any thread; sorts them into expected and unexpected."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.expected: list[Expected] = []
        self.unexpected: list[logging.LogRecord] = []
        self._records_lock = threading.Lock()

    def expect(self, logger: str, level: str | int, pattern: str, *, optional: bool = False) -> None:
        number = level if isinstance(level, int) else logging.getLevelName(level.upper())
        if not isinstance(number, int):
            raise ValueError(f"{level!r} is not a logging level")
        with self._records_lock:
            self.expected.append(Expected(logger, number, re.compile(pattern), optional))

    def emit(self, record: logging.LogRecord) -> None:
        with self._records_lock:
            for expected in self.expected:
                if expected.matches(record):
                    expected.seen += 1
                    return
            self.unexpected.append(record)

    def problems(self, *, final: bool = False) -> list[str]:
        """The unexpected records so far (each reported once); when *final*, also what was expected
        and never logged."""
        with self._records_lock:
            found = [
                f"unexpected {r.levelname} from {r.name}: {r.getMessage()}" for r in self.unexpected
            ]
            self.unexpected.clear()
            if final:
                found += [
                    f"expected but not logged: {e}" for e in self.expected if not (e.seen or e.optional)
                ]
        return found


class ExpectLog(Protocol):
    def __call__(self, logger: str, level: str | int, pattern: str, *, optional: bool = ...) -> None: ...


_LOGFAIL = pytest.StashKey[LogFail]()


@pytest.fixture(autouse=True)
def _logfail(request: pytest.FixtureRequest) -> Iterator[LogFail]:
    """Fails the test on a WARNING or worse it did not expect (see the module's documentation)."""
    handler = LogFail()
    for marker in request.node.iter_markers("expect_log"):
        handler.expect(*marker.args, **marker.kwargs)
    request.node.stash[_LOGFAIL] = handler
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
    late = handler.problems(final=True)  # logged while the fixtures were taken down, or never
    if late:
        pytest.fail("Logs after the test:\n" + "\n".join(late), pytrace=False)


@pytest.fixture
def expect_log(_logfail: LogFail) -> ExpectLog:
    """Declare a WARNING (or worse) that the test expects to be logged."""
    return _logfail.expect


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    handler = item.stash.get(_LOGFAIL, None)
    try:
        result = yield
    except BaseException:
        if handler is not None:
            handler.problems()  # the test failed anyway; its logs are in the report
        raise
    problems = handler.problems() if handler is not None else []
    if problems:
        pytest.fail("Logged during the test:\n" + "\n".join(problems), pytrace=False)
    return result
