"""Publish ▸ Unlink from Site: forget the post the open piece was pushed to, so its next push there
makes a new post (after the post was deleted on the site, or to publish the piece a second time).

The post itself stays on the site. The user confirms first; with links to several sites, they choose
which one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from ui.messages import Level, MessageBar
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.core import Core
    from app.pieces.data import PieceData
    from app.publishing.links import LinkData
    from app.sites.registry import SiteData


def _sites_and_links(core: Core, piece_id: int) -> tuple[list[SiteData], list[LinkData]]:
    remote = core.remote
    return remote.sites.list(), remote.publisher.links_of(piece_id)


class UnlinkFlow(QObject):
    """One unlinking, from reading the piece's links to the message that says it is done."""

    def __init__(self, core: Core, runner: TaskRunner, messages: MessageBar, window: QWidget) -> None:
        super().__init__(window)
        self._core = core
        self._runner = runner
        self._messages = messages
        self._window = window
        self.question: QMessageBox | None = None

    def start(self, piece: PieceData) -> None:
        self._runner.read(
            _sites_and_links, self._core, piece.id,
            owner=self, on_done=lambda found: self._on_links_read(piece, *found),
            on_error=self._on_error,
        )  # fmt: skip

    def _on_links_read(self, piece: PieceData, sites: list[SiteData], links: list[LinkData]) -> None:
        names = {site.id: site.name for site in sites}
        linked = [link for link in links if link.site_id in names]
        title = piece.title or "Untitled"
        if not linked:
            self._messages.show_message(f"“{title}” is not linked to any site.")
            self.deleteLater()
            return
        link = linked[0]
        if len(linked) > 1:
            labels = [names[item.site_id] for item in linked]
            chosen, ok = QInputDialog.getItem(
                self._window, "Unlink from Site", f"Unlink “{title}” from:", labels, 0, False
            )
            if not ok:
                self.deleteLater()
                return
            link = linked[labels.index(chosen)]
        site = names[link.site_id]
        post = f" #{link.remote_id}" if link.remote_id else ""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Unlink from Site",
            f"Unlink “{title}” from {site}? The post{post} stays on the site; the next push to "
            f"{site} makes a new post.",
            QMessageBox.StandardButton.Cancel,
            self._window,
        )
        unlink = box.addButton("Unlink", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(
            lambda _result: self._on_answered(box.clickedButton() is unlink, piece, link, site)
        )
        self.question = box
        box.open()

    def _on_answered(self, confirmed: bool, piece: PieceData, link: LinkData, site: str) -> None:
        self.question = None
        if not confirmed:
            self.deleteLater()
            return
        self._runner.write(
            self._core.remote.publisher.unlink, piece.id, link.site_id,
            owner=self, on_done=lambda _gone: self._on_unlinked(piece, site),
            on_error=self._on_error,
        )  # fmt: skip

    def _on_unlinked(self, piece: PieceData, site: str) -> None:
        self._messages.show_message(
            f"Unlinked “{piece.title or 'Untitled'}” from {site}. The next push there makes a new post."
        )
        self.deleteLater()

    def _on_error(self, error: BaseException) -> None:
        self._messages.show_message(f"Could not unlink: {error}", Level.ERROR)
        self.deleteLater()
