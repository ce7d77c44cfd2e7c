"""Render the application icon from its SVG source into every file the platforms need.

    .venv/bin/python packaging/icons/render.py

Writes, from ``copydesk.svg`` (and ``copydesk-16.svg``, the same drawing on the 16-pixel grid):

- ``packaging/icons/png/copydesk-<N>.png`` for N in :data:`SIZES` (Linux hicolor theme, macOS, docs);
- ``packaging/icons/copydesk.ico`` (Windows: the executable, the installer, the uninstaller);
- ``packaging/icons/copydesk.icns`` (macOS: the ``.app`` bundle);
- ``resources/app-icon/copydesk-<N>.png`` for N in :data:`WINDOW_SIZES`, which the running application
  loads as its window icon (``ui.application.app_icon``).

Qt's SVG renderer draws the PNGs; the ICO and ICNS containers are written here (both are a small header
and a table of images), so the only tool this needs is PySide6 from the project's own environment.
The outputs are committed: run this again after changing either SVG.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SOURCE = HERE / "copydesk.svg"
SOURCE_16 = HERE / "copydesk-16.svg"
PNG_DIR = HERE / "png"
ICO = HERE / "copydesk.ico"
ICNS = HERE / "copydesk.icns"
WINDOW_ICON_DIR = ROOT / "resources" / "app-icon"

SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
WINDOW_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, with the pixel size of each (the @2x types hold twice the points)
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"icp6", 64),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
    (b"ic10", 1024),
)
BMP_LIMIT = 256  # ICO images smaller than this are stored as bitmaps, the most widely read form


def png_name(size: int) -> str:
    return f"copydesk-{size}.png"


def render(size: int) -> QImage:
    """The icon drawn at *size* pixels, with straight (not premultiplied) alpha."""
    renderer = QSvgRenderer(str(SOURCE_16 if size == 16 else SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"render.py: cannot read {SOURCE.name}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image.convertToFormat(QImage.Format.Format_RGBA8888)


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit("render.py: Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def rgba_rows(image: QImage) -> list[bytes]:
    """The image's pixel rows, top to bottom, 4 bytes (R, G, B, A) a pixel."""
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    raw = bytes(image.constBits())
    return [raw[y * stride : y * stride + width * 4] for y in range(height)]


def ico_bitmap(image: QImage) -> bytes:
    """One ICO image as a 32-bit DIB: a BITMAPINFOHEADER, BGRA rows bottom-up, then the 1-bit mask."""
    rows = rgba_rows(image)
    size = len(rows)
    pixels = bytearray()
    for row in reversed(rows):
        for x in range(0, len(row), 4):
            r, g, b, a = row[x : x + 4]
            pixels += bytes((b, g, r, a))
    mask_stride = ((size + 31) // 32) * 4
    mask = bytearray()
    for row in reversed(rows):
        bits = bytearray(mask_stride)
        for x in range(size):
            if row[x * 4 + 3] == 0:  # fully transparent: set in the AND mask
                bits[x // 8] |= 0x80 >> (x % 8)
        mask += bits
    image_size = len(pixels) + len(mask)
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, image_size, 0, 0, 0, 0)
    return header + bytes(pixels) + bytes(mask)


def ico_file(images: dict[int, QImage]) -> bytes:
    """A Windows icon: bitmaps below 256 pixels, PNG at 256 (as Windows' own icons do)."""
    entries = []
    for size in ICO_SIZES:
        image = images[size]
        entries.append((size, ico_bitmap(image) if size < BMP_LIMIT else png_bytes(image)))
    header = struct.pack("<HHH", 0, 1, len(entries))
    offset = len(header) + 16 * len(entries)
    directory = b""
    blobs = b""
    for size, blob in entries:
        side = 0 if size >= BMP_LIMIT else size  # 0 means 256 in an ICO directory
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    return header + directory + blobs


def icns_file(pngs: dict[int, bytes]) -> bytes:
    """A macOS icon family: the 'icns' header, then one PNG element per type."""
    body = b""
    for kind, size in ICNS_TYPES:
        body += kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    images = {size: render(size) for size in SIZES}
    pngs = {size: png_bytes(image) for size, image in images.items()}
    PNG_DIR.mkdir(exist_ok=True)
    WINDOW_ICON_DIR.mkdir(exist_ok=True)
    for size, data in pngs.items():
        (PNG_DIR / png_name(size)).write_bytes(data)
    for size in WINDOW_SIZES:
        (WINDOW_ICON_DIR / png_name(size)).write_bytes(pngs[size])
    ICO.write_bytes(ico_file(images))
    ICNS.write_bytes(icns_file(pngs))
    print(
        f"render.py: wrote {len(pngs)} PNGs, {ICO.name}, {ICNS.name} "
        f"and {len(WINDOW_SIZES)} window icons"
    )
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
