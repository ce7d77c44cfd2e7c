"""Copydesk's own line icons (``resources/icons``), drawn in the palette's text colour.

The SVGs are written with a black stroke; they are recoloured when loaded so the same files serve the
light and the dark theme. Each icon is drawn when Qt first asks for it at a given size (not in every
size up front: that cost a tenth of the window's start-up). Call :func:`clear_cache` after the
palette changes.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

import resources


class LineIconEngine(QIconEngine):
    """Renders one recoloured SVG per mode, at the size asked for, once."""

    def __init__(self, normal: bytes, disabled: bytes) -> None:
        super().__init__()
        self._sources = {QIcon.Mode.Disabled: disabled}
        self._normal = normal
        self._cache: dict[tuple[int, int, QIcon.Mode, float], QPixmap] = {}

    def _svg(self, mode: QIcon.Mode) -> bytes:
        return self._sources.get(mode, self._normal)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        key = (size.width(), size.height(), mode, scale)
        cached = self._cache.get(key)
        if cached is None:
            cached = QPixmap(size * scale)
            cached.setDevicePixelRatio(scale)
            cached.fill(Qt.GlobalColor.transparent)
            painter = QPainter(cached)
            QSvgRenderer(QByteArray(self._svg(mode))).render(painter)
            painter.end()
            self._cache[key] = cached
        return cached

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        scale = painter.device().devicePixelRatioF() if painter.device() else 1.0
        painter.drawPixmap(
            QPoint(rect.x(), rect.y()), self.scaledPixmap(rect.size(), mode, state, scale)
        )

    def clone(self) -> QIconEngine:
        return LineIconEngine(self._normal, self._sources[QIcon.Mode.Disabled])


@functools.cache
def _icon(name: str, colour: str, disabled_colour: str) -> QIcon:
    source = resources.read_bytes("icons", f"{name}.svg")
    normal = source.replace(b'stroke="#000"', f'stroke="{colour}"'.encode())
    disabled = source.replace(b'stroke="#000"', f'stroke="{disabled_colour}"'.encode())
    return QIcon(LineIconEngine(normal, disabled))


def icon(name: str) -> QIcon:
    palette = QApplication.palette()
    return _icon(
        name,
        palette.color(QPalette.ColorRole.WindowText).name(),
        palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText).name(),
    )


def clear_cache() -> None:
    _icon.cache_clear()
