"""The preview runs no page script, loads only pictures from the network, and opens no links."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtWebEngineCore import QWebEngineScript
from pytestqt.qtbot import QtBot

from app.pieces.data import PieceData
from tests.ui.conftest import WAIT_MS, wait_for_preview
from ui.main_window import MainWindow
from ui.preview.view import PreviewView

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def loopback_server() -> Iterator[tuple[str, list[str]]]:
    """A web server on 127.0.0.1 that records what it was asked for."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            body = PNG if self.path.endswith(".png") else b"body { color: red }"
            self.send_response(200)
            self.send_header("Content-Type", "image/png" if self.path.endswith(".png") else "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_pages_own_script_never_runs(qtbot: QtBot, qapp: object) -> None:
    view = PreviewView()
    try:
        with qtbot.waitSignal(view.loadFinished, timeout=WAIT_MS):
            view.setHtml(
                "<html><head><title>before</title></head><body>"
                "<script>document.title='script ran'</script>"
                "<img src='x' onerror=\"document.title='handler ran'\"></body></html>",
                QUrl("file:///"),
            )
        titles: list[str] = []
        view.page().runJavaScript(
            "document.title", QWebEngineScript.ScriptWorldId.ApplicationWorld, titles.append
        )
        qtbot.waitUntil(lambda: bool(titles), timeout=WAIT_MS)
        assert titles == ["before"]
    finally:
        view.deleteLater()


def test_remote_pictures_load_but_nothing_else_does(
    qtbot: QtBot, window: MainWindow, loopback_server: tuple[str, list[str]]
) -> None:
    base, requests = loopback_server
    body = (
        f"![picture]({base}/photo.png)\n\n"
        f'<link rel="stylesheet" href="{base}/evil.css">\n\n'
        f'<iframe src="{base}/frame.html"></iframe>\n\n'
        f'<script src="{base}/evil.js"></script>\n\nAfter.'
    )
    piece = window.core.pieces.create(PieceData(title="Remote", body=body))
    window.library.refresh(select=piece.id)
    wait_for_preview(qtbot, window, "After.")
    qtbot.waitUntil(lambda: "/photo.png" in requests, timeout=WAIT_MS)
    assert requests == ["/photo.png"]


class _Browser(QObject):
    """Stands in for the system browser."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


def test_clicked_links_open_in_the_browser_not_the_preview(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtGui import QDesktopServices

    browser = _Browser()
    QDesktopServices.setUrlHandler("https", browser, "open")
    try:
        page = window.preview.page()
        accepted = page.acceptNavigationRequest(
            QUrl("https://example.org/"),
            page.NavigationType.NavigationTypeLinkClicked,
            True,
        )
        assert accepted is False
        assert browser.opened == ["https://example.org/"]
    finally:
        QDesktopServices.unsetUrlHandler("https")
