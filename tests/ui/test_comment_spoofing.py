"""Bidi overrides and zero-width characters in comments are shown, not obeyed (issue 9, defect 9).

A reader can name themselves "\\u202eTrusted Editor" or ``Bob\\u2066gnp.exe\\u2069``: the desk's list
and reader show each such character as a visible marker (``⟨U+202E⟩``), and the stored comment keeps
its characters.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.core import Core
from app.store.models import Comment
from tests.helpers.comments import seed_sample, shown_desk
from tests.ui.conftest import WAIT_MS
from ui.comments.controller import CommentController
from ui.comments.desk import CommentDesk

NAME = "\u202eTrusted Editor"
BODY = "<p>Open Bob\u2066gnp.exe\u2069 now \u200bplease, <a href='https://evil.example/\u202etxt.exe'>here</a></p>"


class RecordingPainter(QPainter):
    """A real painter that also keeps every text the delegate draws."""

    def __init__(self, device: QImage) -> None:
        super().__init__(device)
        self.texts: list[str] = []

    def drawText(self, *args: Any) -> None:  # noqa: N802 (Qt's name)
        self.texts.extend(a for a in args if isinstance(a, str))
        super().drawText(*args)


@pytest.fixture
def desk(qtbot: QtBot, qapp: QApplication, core: Core) -> Iterator[CommentDesk]:
    piece_id, _site = seed_sample(core)
    with core.db.session() as session:
        session.execute(
            update(Comment).where(Comment.remote_id == 5).values(
                author_name=NAME, author_url="https://evil.example/\u2066x", html=BODY,
                text="Open Bob\u2066gnp.exe\u2069 now \u200bplease, here",
            )
        )  # fmt: skip
    parts: tuple[CommentDesk, CommentController]
    with shown_desk(qtbot, core) as parts:
        with qtbot.waitSignal(parts[0].thread_shown, timeout=WAIT_MS):
            parts[0].show_piece(piece_id)
        yield parts[0]


def test_the_author_name_body_and_links_show_hidden_characters(
    qtbot: QtBot, desk: CommentDesk, core: Core
) -> None:
    [comment] = [c for c in desk.model.comments() if c.remote_id == 5]
    assert comment.author_name == NAME  # stored as it came
    index = desk.model.index_of(comment.id)

    # the list: the delegate paints the name and the text with markers
    image = QImage(600, 200, QImage.Format.Format_ARGB32)
    painter = RecordingPainter(image)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 600, 200)
    option.palette = desk.tree.palette()
    option.font = desk.tree.font()
    try:
        desk.delegate.paint(painter, option, index)
    finally:
        painter.end()
    drawn = " ".join(painter.texts)
    assert "⟨U+202E⟩Trusted Editor" in drawn
    assert "Bob⟨U+2066⟩gnp.exe⟨U+2069⟩" in drawn and "⟨U+200B⟩please" in drawn
    assert not any(ch in drawn for ch in "\u202e\u2066\u2069\u200b")

    # the reader: the same, styled, and the link's real target
    desk.tree.setCurrentIndex(index)
    qtbot.waitUntil(lambda: desk.reader.comment is not None, timeout=WAIT_MS)
    shown = desk.reader.toPlainText()
    assert shown.startswith("⟨U+202E⟩Trusted Editor")
    assert "evil.example" in shown
    assert "Bob⟨U+2066⟩gnp.exe⟨U+2069⟩ now ⟨U+200B⟩please" in shown
    assert "(https://evil.example/⟨U+202E⟩txt.exe)" in shown
    assert not any(ch in shown for ch in "\u202e\u2066\u2069\u200b")
    assert 'class="hidden-char"' in desk.reader._page(comment)  # noqa: SLF001
