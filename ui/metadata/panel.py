"""The metadata panel: everything about a piece except its body (its field widgets are in
``ui/metadata/fields.py``)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.pieces.data import Boilerplate, PieceData
from app.pieces.workflow import Status, allowed_next
from app.text import slugs
from ui.editor.session import PieceSession
from ui.metadata.fields import (
    FeaturedImageField,
    ShortText,
    from_qdatetime,
    local_zone_label,
    to_qdatetime,
)
from ui.metadata.terms_edit import TermsEdit
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.core import Core

log = logging.getLogger(__name__)

# "No disclaimer" is 0, which no database id is: combo box data is never None, which keeps the
# QVariant round trip free of PySide's None handling (see the pin in pyproject.toml).
NO_DISCLAIMER = 0


class MetadataPanel(QScrollArea):
    manage_boilerplate_requested = Signal()

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("metadataPanel")
        self.setWidgetResizable(True)
        self._runner = runner
        self._loading = False
        self._piece: PieceData | None = None
        self._allowed_statuses: frozenset[Status] | None = None  # None: every one (on no site)
        self._build()
        self.setEnabled(False)

    def attach(self, core: Core, session: PieceSession) -> None:
        """Edit the pieces of this library (the window is on screen before it is open)."""
        self._core = core
        self._session = session
        self._connect_signals()

    # -- construction --------------------------------------------------------------------------

    def _build(self) -> None:
        body = QWidget()
        form = QFormLayout(body)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.title = QLineEdit(placeholderText="The headline")
        self.standfirst = ShortText("The deck under the headline: one or two sentences")
        self.slug = QLineEdit()
        self.slug_reset = QToolButton()
        self.slug_reset.setText("Auto")
        self.slug_reset.setToolTip("Derive the slug from the headline again")
        self.byline = QLineEdit(placeholderText="Who wrote it")
        self.tags = TermsEdit("Comma-separated, e.g. budget, council")
        self.categories = TermsEdit("Comma-separated, e.g. Opinion")
        self.excerpt = ShortText("Leave empty to use the standfirst")
        self.image = FeaturedImageField()
        self.schedule_on = QCheckBox("Publish at")
        self.schedule = QDateTimeEdit(calendarPopup=True)
        self.schedule.setDisplayFormat("d MMM yyyy, HH:mm")
        self.zone = QLabel(local_zone_label())
        self.zone.setObjectName("zoneLabel")
        self.comments = QComboBox()
        self.comments.addItem("Open", "open")
        self.comments.addItem("Closed", "closed")
        self.status = QComboBox()
        self.disclaimer = QComboBox()
        self.snippets = QListWidget()
        self.snippets.setMaximumHeight(110)
        self.manage = QPushButton("Disclaimers and snippets…")

        slug_row = QHBoxLayout()
        slug_row.addWidget(self.slug, 1)
        slug_row.addWidget(self.slug_reset)
        schedule_row = QHBoxLayout()
        schedule_row.addWidget(self.schedule_on)
        schedule_row.addWidget(self.schedule, 1)
        schedule_box = QVBoxLayout()
        schedule_box.addLayout(schedule_row)
        schedule_box.addWidget(self.zone)

        form.addRow("Headline", self.title)
        form.addRow("Standfirst", self.standfirst)
        form.addRow("Byline", self.byline)
        form.addRow("Slug", slug_row)
        form.addRow("Status", self.status)
        form.addRow("Categories", self.categories)
        form.addRow("Tags", self.tags)
        form.addRow("Excerpt", self.excerpt)
        form.addRow("Featured image", self.image)
        form.addRow("Schedule", schedule_box)
        form.addRow("Reader comments", self.comments)
        form.addRow("Disclaimer", self.disclaimer)
        form.addRow("Call-to-action snippets", self.snippets)
        form.addRow(self.manage)
        self.setWidget(body)
        self.setMinimumWidth(280)

    def _connect_signals(self) -> None:
        self.title.textEdited.connect(self._on_title_edited)
        self.standfirst.textChanged.connect(self._on_standfirst_changed)
        self.slug.textEdited.connect(self._on_slug_edited)
        self.slug_reset.clicked.connect(self._on_slug_reset_clicked)
        self.byline.editingFinished.connect(self._on_byline_or_categories_finished)
        self.categories.editingFinished.connect(self._on_byline_or_categories_finished)
        self.tags.editingFinished.connect(self._on_tags_finished)
        self.excerpt.textChanged.connect(self._on_excerpt_changed)
        self.image.chosen.connect(self._on_image_chosen)
        self.schedule_on.toggled.connect(self._on_schedule_changed)
        self.schedule.dateTimeChanged.connect(self._on_schedule_changed)
        self.comments.currentIndexChanged.connect(self._on_comments_changed)
        self.status.activated.connect(self._on_status_activated)
        self.disclaimer.currentIndexChanged.connect(self._on_disclaimer_changed)
        self.snippets.itemChanged.connect(self._on_snippets_changed)
        self.manage.clicked.connect(self.manage_boilerplate_requested)
        self._session.piece_opened.connect(self.show_piece)
        self._session.metadata_changed.connect(self._on_session_metadata_changed)
        self._session.draft_saved.connect(self._on_session_draft_saved)
        self._session.piece_closed.connect(lambda: self.setEnabled(False))

    # -- filling -------------------------------------------------------------------------------

    def reload_choices(self) -> None:
        """Fetch the disclaimers, snippets and known names in the background."""

        def fetch() -> tuple[list[Boilerplate], list[Boilerplate], list[str], list[str], list[str]]:
            b, p = self._core.boilerplate, self._core.pieces
            return (
                b.entries("disclaimer"),
                b.entries("snippet"),
                p.known_terms("tag"),
                p.known_terms("category"),
                p.known_bylines(),
            )

        self._runner.read(fetch, owner=self, on_done=self._on_choices_loaded)

    def _on_choices_loaded(
        self, result: tuple[list[Boilerplate], list[Boilerplate], list[str], list[str], list[str]]
    ) -> None:
        disclaimers, snippets, tags, categories, bylines = result
        self._loading = True
        try:
            self.disclaimer.clear()
            self.disclaimer.addItem("None", NO_DISCLAIMER)
            for entry in disclaimers:
                self.disclaimer.addItem(entry.name, entry.id)
                self.disclaimer.setItemData(
                    self.disclaimer.count() - 1, entry.body, Qt.ItemDataRole.ToolTipRole
                )
            self.snippets.clear()
            for entry in snippets:
                item = QListWidgetItem(entry.name)
                item.setData(Qt.ItemDataRole.UserRole, entry.id)
                item.setToolTip(entry.body)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.snippets.addItem(item)
            self.tags.set_choices(tags)
            self.categories.set_choices(categories)
            from PySide6.QtWidgets import QCompleter

            self.byline.setCompleter(QCompleter(bylines, self.byline))
        finally:
            self._loading = False
        if self._piece is not None:
            self.show_piece(self._piece)

    def show_piece(self, piece: PieceData) -> None:
        self._piece = piece.copy()
        self._loading = True
        try:
            self.setEnabled(True)
            if self.title.text() != piece.title:
                self.title.setText(piece.title)
            if self.standfirst.toPlainText() != piece.standfirst:
                self.standfirst.setPlainText(piece.standfirst)
            self._show_slug(piece)
            if self.byline.text() != piece.byline:
                self.byline.setText(piece.byline)
            if self.tags.names() != piece.tags:
                self.tags.set_names(piece.tags)
            if self.categories.names() != piece.categories:
                self.categories.set_names(piece.categories)
            if self.excerpt.toPlainText() != piece.excerpt:
                self.excerpt.setPlainText(piece.excerpt)
            self.image.show_image(piece.featured_image)
            self.schedule_on.setChecked(piece.publish_at is not None)
            self.schedule.setEnabled(piece.publish_at is not None)
            moment = piece.publish_at or (datetime.now(UTC) + timedelta(days=1)).replace(
                minute=0, second=0, microsecond=0
            )
            self.schedule.setDateTime(to_qdatetime(moment))
            self.comments.setCurrentIndex(0 if piece.comment_status == "open" else 1)
            self._show_status(piece.status)
            index = self.disclaimer.findData(piece.disclaimer_id or NO_DISCLAIMER)
            self.disclaimer.setCurrentIndex(max(0, index))
            for row in range(self.snippets.count()):
                item = self.snippets.item(row)
                checked = item.data(Qt.ItemDataRole.UserRole) in piece.snippet_ids
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        finally:
            self._loading = False

    def _show_slug(self, piece: PieceData) -> None:
        slug = slugs.piece_slug(piece.title, piece.slug, piece.slug_manual)
        if self.slug.text() != slug:
            self.slug.setText(slug)
        self.slug.setPlaceholderText("derived from the headline")
        self.slug_reset.setEnabled(piece.slug_manual)

    def set_allowed_statuses(self, allowed: frozenset[Status] | None) -> None:
        """Offer only these statuses (the user's role on the piece's site decides; None: any)."""
        self._allowed_statuses = allowed
        if self._piece is not None:
            self._loading = True
            try:
                self._show_status(self._piece.status)
            finally:
                self._loading = False

    def _show_status(self, status: Status) -> None:
        self.status.clear()
        allowed = self._allowed_statuses
        following = [s for s in allowed_next(status) if allowed is None or s in allowed]
        choices = [status, *sorted(following, key=list(Status).index)]
        for choice in choices:
            self.status.addItem(choice.label, choice.value)
        self.status.setCurrentIndex(0)

    # -- edits ---------------------------------------------------------------------------------

    def _update(self, **changes: object) -> None:
        if not self._loading and self._piece is not None:
            self._session.update(**changes)

    def _on_title_edited(self, text: str) -> None:
        self._update(title=text)

    def _on_standfirst_changed(self) -> None:
        self._update(standfirst=self.standfirst.toPlainText())

    def _on_slug_edited(self, text: str) -> None:
        cleaned = slugs.slugify(text) if text else ""
        self._update(slug=cleaned, slug_manual=bool(cleaned))

    def _on_slug_reset_clicked(self) -> None:
        self._update(slug="", slug_manual=False)

    def _on_tags_finished(self) -> None:
        self._update(tags=self.tags.names())

    def _on_excerpt_changed(self) -> None:
        self._update(excerpt=self.excerpt.toPlainText())

    def _on_byline_or_categories_finished(self) -> None:
        """New categories or a new byline may bring default disclaimers and snippets."""
        if self._loading or self._piece is None:
            return
        before = self._session.snapshot()
        after = before.copy(byline=self.byline.text().strip(), categories=self.categories.names())
        if after.byline == before.byline and after.categories == before.categories:
            return
        self._session.update(byline=after.byline, categories=after.categories)
        self._runner.read(
            self._core.boilerplate.apply_defaults,
            after,
            before,
            owner=self,
            on_done=self._on_defaults_applied,
        )

    def _on_defaults_applied(self, piece: PieceData) -> None:
        if self._piece is None or piece.id != self._piece.id:
            return
        self._session.update(disclaimer_id=piece.disclaimer_id, snippet_ids=piece.snippet_ids)

    def _on_image_chosen(self, path: str) -> None:
        self._update(featured_image=path)

    def _on_schedule_changed(self, *_args: object) -> None:
        self.schedule.setEnabled(self.schedule_on.isChecked())
        moment = from_qdatetime(self.schedule.dateTime()) if self.schedule_on.isChecked() else None
        self._update(publish_at=moment)

    def _on_comments_changed(self, _index: int) -> None:
        self._update(comment_status=self.comments.currentData())

    def _on_status_activated(self, _index: int) -> None:
        if self.status.currentIndex() >= 0:
            self._update(status=Status(self.status.currentData()))

    def _on_disclaimer_changed(self, _index: int) -> None:
        if self.disclaimer.currentIndex() >= 0:
            self._update(disclaimer_id=self.disclaimer.currentData() or None)

    def _on_snippets_changed(self, _item: QListWidgetItem) -> None:
        if self._piece is None:
            return
        checked = [
            int(self.snippets.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.snippets.count())
            if self.snippets.item(row).checkState() == Qt.CheckState.Checked
        ]
        # keep the order they were attached in; new ones go last
        ordered = [i for i in self._piece.snippet_ids if i in checked]
        ordered += [i for i in checked if i not in ordered]
        self._update(snippet_ids=ordered)

    # -- session echoes ------------------------------------------------------------------------

    def _on_session_metadata_changed(self, piece: PieceData) -> None:
        self._piece = piece.copy()
        if self._loading:
            return
        # refresh only what the user is not typing in
        QTimer.singleShot(0, lambda: self._refresh_derived(piece))

    def _refresh_derived(self, piece: PieceData) -> None:
        self._loading = True
        try:
            if not self.slug.hasFocus():
                self._show_slug(piece)
            if self.status.count() == 0 or self.status.currentData() != piece.status.value:
                self._show_status(piece.status)
            index = max(0, self.disclaimer.findData(piece.disclaimer_id or NO_DISCLAIMER))
            if self.disclaimer.currentIndex() != index:
                self.disclaimer.setCurrentIndex(index)
            for row in range(self.snippets.count()):
                item = self.snippets.item(row)
                checked = item.data(Qt.ItemDataRole.UserRole) in piece.snippet_ids
                state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
                if item.checkState() != state:
                    item.setCheckState(state)
        finally:
            self._loading = False

    def _on_session_draft_saved(self, piece: PieceData) -> None:
        if self._piece is not None and piece.id == self._piece.id and not self.slug.hasFocus():
            self._loading = True
            try:
                self._show_slug(self._session.snapshot())
            finally:
                self._loading = False
