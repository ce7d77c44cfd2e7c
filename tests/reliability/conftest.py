"""The reliability suite's fixtures and its fault ledger.

Each test injects a fault many times and records, through the ``ledger`` fixture, what it injected and
what was lost (the target is always nothing). At the end of the session the ledger prints a Markdown
table in the terminal summary and writes it to ``tests/reliability/last-run.md`` and ``last-run.json``
(both git-ignored); ``scripts/reliability-report`` copies the table into the README.

The real parts come from the integration fixtures: a WordPress on loopback (one with the companion
plugin, one without it) and a Secret Service per test.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest

from tests.helpers.secret_service import SecretService
from tests.integration.conftest import (  # noqa: F401  (fixtures, registered by import)
    add_site,
    cli,
    clock,
    remote,
    secret_service,
    wordpress,
    wordpress_plain,
    wordpress_plain_site,
    wordpress_site,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LAST_RUN_MD = HERE / "last-run.md"
LAST_RUN_JSON = HERE / "last-run.json"


@dataclass
class Entry:
    fault: str
    injected: int = 0
    lost: list[str] = field(default_factory=list)  # one line per loss; empty: nothing lost
    figures: list[str] = field(default_factory=list)  # measured, not asserted (e.g. lost seconds)
    test: str = ""

    @property
    def lost_text(self) -> str:
        return "; ".join(self.lost) if self.lost else "nothing"


class Ledger:
    """What the session injected and lost, fault by fault."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}

    def entry(self, fault: str, test: str = "") -> Entry:
        found = self.entries.get(fault)
        if found is None:
            found = self.entries[fault] = Entry(fault, test=test)
        return found

    def table(self) -> str:
        lines = ["| fault | injected | lost | measured |", "| --- | ---: | --- | --- |"]
        for e in sorted(self.entries.values(), key=lambda e: e.fault):
            cell = lambda text: text.replace("|", "\\|").replace("\n", " ")  # noqa: E731
            figures = cell("; ".join(e.figures))
            lines.append(f"| {cell(e.fault)} | {e.injected} | {cell(e.lost_text)} | {figures} |")
        total = sum(e.injected for e in self.entries.values())
        lines.append(f"| **total** | **{total}** | | |")
        return "\n".join(lines)


class FaultRecorder:
    """The ``ledger`` fixture: ``ledger.injected("fault")``, ``ledger.lost("fault", "what")``."""

    def __init__(self, ledger: Ledger, test: str) -> None:
        self._ledger, self._test = ledger, test

    def injected(self, fault: str, times: int = 1) -> None:
        self._ledger.entry(fault, self._test).injected += times

    def lost(self, fault: str, what: str) -> None:
        self._ledger.entry(fault, self._test).lost.append(what)

    def figure(self, fault: str, text: str) -> None:
        self._ledger.entry(fault, self._test).figures.append(text)

    def losses(self, fault: str) -> list[str]:
        return list(self._ledger.entry(fault, self._test).lost)


_LEDGER = pytest.StashKey[Ledger]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_LEDGER] = Ledger()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Soak-only tests run only when asked for (``-m soak``, as ``scripts/soak`` does)."""
    if "soak" in (config.getoption("markexpr", "") or ""):
        return
    kept = [item for item in items if item.get_closest_marker("soak") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.fixture
def ledger(request: pytest.FixtureRequest) -> FaultRecorder:
    return FaultRecorder(request.config.stash[_LEDGER], request.node.nodeid)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    ledger = config.stash.get(_LEDGER, None)
    if ledger is None or not ledger.entries:
        return
    table = ledger.table()
    terminalreporter.section("fault ledger")
    terminalreporter.write_line(table)
    soak = "soak" in (config.getoption("markexpr", "") or "")
    header = "Last run" + (" (soak)" if soak else "") + f", Python {sys.version.split()[0]}"
    try:
        LAST_RUN_MD.write_text(f"<!-- {header} -->\n{table}\n", encoding="utf-8")
        LAST_RUN_JSON.write_text(
            json.dumps([asdict(e) for e in ledger.entries.values()], indent=2) + "\n", encoding="utf-8"
        )
    except OSError as exc:  # a read-only checkout still gets the table on the terminal
        terminalreporter.write_line(f"(could not write {LAST_RUN_MD.name}: {exc})")


# -- shared helpers --------------------------------------------------------------------------


def integrity(database: Path) -> str:
    """``PRAGMA integrity_check`` of a library file, read-only ("ok" when sound)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    conn.close()
    return "; ".join(str(r[0]) for r in rows)


def child_env(service: SecretService | None = None, **extra: str) -> dict[str, str]:
    """The environment of a Copydesk child process: offscreen, the test keyring when given."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env.pop("DISPLAY", None)
    if service is not None:
        env.update(service.env)
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.SecretService.Keyring"
    env.update(extra)
    return env
