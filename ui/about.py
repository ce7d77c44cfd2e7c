"""The About box: version, where the data lives, the parts Copydesk is built on."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from app import APP_NAME, version


def show_about(parent: QWidget, data_folder: str) -> None:
    QMessageBox.about(
        parent,
        f"About {APP_NAME}",
        f"<h3>{APP_NAME} {version()}</h3>"
        "<p>An editorial workstation: write columns offline, see them as they will be "
        "published, and send them to your site.</p>"
        f"<p>Your library: <code>{data_folder}</code></p>"
        f"<p><small>Python {platform.python_version()} · Qt {qVersion()} · "
        f"PySide6 {pyside_version}<br>Spelling dictionaries: Hunspell English "
        "(British, American, Canadian, Australian, South African).</small></p>",
    )
