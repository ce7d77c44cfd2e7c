"""Copydesk's own line icons (``resources/icons``), drawn in the palette's text colour.

The SVGs are written with a black stroke; they are recoloured when loaded so the same files serve the
light and the dark theme. Call :func:`clear_cache` after the palette changes.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

import resources

SIZES = (16, 20, 24, 32, 48)


def _pixmap(svg: bytes, size: int, ratio: float) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg))
    pixmap = QPixmap(QSize(size, size) * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return pixmap


@functools.cache
def _icon(name: str, colour: str, disabled_colour: str) -> QIcon:
    source = resources.read_bytes("icons", f"{name}.svg")
    app = QApplication.instance()
    ratio = app.devicePixelRatio() if isinstance(app, QApplication) else 1.0
    icon = QIcon()
    for mode, fill in ((QIcon.Mode.Normal, colour), (QIcon.Mode.Disabled, disabled_colour)):
        svg = source.replace(b'stroke="#000"', f'stroke="{fill}"'.encode())
        for size in SIZES:
            icon.addPixmap(_pixmap(svg, size, ratio), mode)
    return icon


def icon(name: str) -> QIcon:
    palette = QApplication.palette()
    return _icon(
        name,
        palette.color(QPalette.ColorRole.WindowText).name(),
        palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText).name(),
    )


def clear_cache() -> None:
    _icon.cache_clear()
