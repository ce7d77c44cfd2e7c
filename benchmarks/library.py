"""The library at 10,000 pieces: time to list, filter and search, and the memory it takes.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/library.py [--pieces 10000]

Core figures are the service calls the library pane makes (on a worker thread in the app); the UI
figures are the pane's own work on the GUI thread (filling the model, sorting, filtering by status).
Memory is the resident set of the whole process with the main window open on the library, the
preview and the spelling dictionary loaded, next to the same window on an empty library.
The first run seeds the library (about a minute) and keeps it under benchmarks/out.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import ROOT, seeded_library  # noqa: E402


def timed(fn: object, repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def core_figures(pieces: int) -> None:
    from app.core import open_core
    from app.pieces.workflow import Status

    library = seeded_library(pieces)
    core = open_core(library)
    rows = core.pieces.summaries()
    print(f"Library of {len(rows):,} pieces (core services)")
    print(f"  list all (newest first)          {timed(core.pieces.summaries):7.1f} ms")
    print(
        f"  list drafts only                 {timed(lambda: core.pieces.summaries(status=Status.DRAFT)):7.1f} ms"
    )
    print(
        f"  search a common word ('city')    {timed(lambda: core.pieces.search('city')):7.1f} ms"
        f"  ({len(core.pieces.search('city')):,} hits)"
    )
    print(
        f"  search a prefix ('timeta')       {timed(lambda: core.pieces.search('timeta')):7.1f} ms"
        f"  ({len(core.pieces.search('timeta')):,} hits)"
    )
    print(f"  search two words ('night bus')   {timed(lambda: core.pieces.search('night bus')):7.1f} ms")
    print(f"  search, no match ('zyxwv')       {timed(lambda: core.pieces.search('zyxwv')):7.1f} ms")
    core.close()
    ui_figures(rows)
    shutil.rmtree(library, ignore_errors=True)


def ui_figures(rows: list) -> None:  # type: ignore[type-arg]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from ui.library.model import TITLE, UPDATED, PieceFilterModel, PieceTableModel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    model = PieceTableModel()
    proxy = PieceFilterModel()
    proxy.setSourceModel(model)
    print("Library pane (GUI thread)")
    print(f"  fill the model, sorted           {timed(lambda: model.set_rows(rows)):7.1f} ms")
    print(
        f"  sort by title                    {timed(lambda: model.sort(TITLE, Qt.SortOrder.AscendingOrder)):7.1f} ms"
    )
    model.sort(UPDATED, Qt.SortOrder.DescendingOrder)
    print(
        f"  filter by status                 {timed(lambda: (proxy.set_status('submitted'), proxy.set_status(None))) / 2:7.1f} ms"
    )
    del app


def memory(pieces: int) -> None:
    probe = (
        "import sys, time, psutil\n"
        "from PySide6.QtCore import QEventLoop\n"
        "from ui.application import Startup, make_application\n"
        "app = make_application(sys.argv[:1])\n"
        "s = Startup(app); w = s.open(__import__('pathlib').Path(sys.argv[1]))\n"
        "end = time.time() + 60\n"
        "while time.time() < end and not (w.core and w.session.is_open and w.spelling.ready):\n"
        "    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)\n"
        "end = time.time() + 2\n"
        "while time.time() < end: app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)\n"
        "me = psutil.Process()\n"
        "kids = sum(c.memory_info().rss for c in me.children(recursive=True))\n"
        "print(me.memory_info().rss, kids)\n"
        "s.close()\n"
    )
    import tempfile

    results = {}
    for label, folder in (
        ("empty library", tempfile.mkdtemp()),
        (f"{pieces:,} pieces", str(seeded_library(pieces))),
    ):
        out = subprocess.run(
            [sys.executable, "-c", probe, folder], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
        results[label] = (int(out[0]), int(out[1]))
        shutil.rmtree(folder, ignore_errors=True)
    print("Resident memory with the window open (Copydesk process / QtWebEngine helper processes)")
    for label, (own, kids) in results.items():
        print(f"  {label:<16} {own / 2**20:7.0f} MB / {kids / 2**20:5.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pieces", type=int, default=10_000)
    args = parser.parse_args()
    core_figures(args.pieces)
    memory(args.pieces)
    return 0


if __name__ == "__main__":
    sys.exit(main())
