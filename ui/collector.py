"""Python's cyclic garbage collection, run only on the GUI thread.

The collector runs in whichever thread happens to allocate when a threshold is crossed. When that is
a worker (loading the spelling dictionary allocates millions of objects) and the garbage includes a
Qt wrapper, Qt objects get destroyed off the GUI thread, and Qt crashes. So automatic collection is
switched off and a timer on the GUI thread collects instead, generation by generation, the way the
thresholds would have. (The approach of pyqtgraph's and Spyder's garbage collectors.)
"""

from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QCoreApplication, QObject, QTimer

log = logging.getLogger(__name__)

INTERVAL_MS = 1000


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self, interval=INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._timer.start()
        self.destroyed.connect(lambda *_: gc.enable())

    def collect(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return


def install() -> None:
    """Hand collection to the GUI thread for as long as the application lives (once)."""
    app = QCoreApplication.instance()
    if app is None or app.findChild(GuiThreadCollector) is not None:
        return
    GuiThreadCollector(app)
    log.debug("Garbage collection now runs on the GUI thread")
