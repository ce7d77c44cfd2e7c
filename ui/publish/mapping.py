"""In the Sites dialog: where a site takes a piece's byline and standfirst.

The byline goes to the post's author or to a custom field a theme reads; the standfirst to a lead
paragraph at the top (what a stock theme shows), the excerpt, or a custom field
(:mod:`app.sites.mapping`). Changes are saved with the Save button; a wrong field name is explained
under the controls and nothing is saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.sites.mapping import (
    BYLINE_AUTHOR,
    BYLINE_FIELD,
    STANDFIRST_EXCERPT,
    STANDFIRST_FIELD,
    STANDFIRST_LEAD,
    SiteMapping,
)
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.core import Core
    from app.sites.registry import SiteData

BYLINE_CHOICES = (
    (BYLINE_AUTHOR, "The post's author"),
    (BYLINE_FIELD, "A custom field"),
)
STANDFIRST_CHOICES = (
    (STANDFIRST_LEAD, "A lead paragraph at the top"),
    (STANDFIRST_EXCERPT, "The excerpt"),
    (STANDFIRST_FIELD, "A custom field"),
)


def _combo(choices: tuple[tuple[str, str], ...], name: str) -> QComboBox:
    box = QComboBox()
    for value, label in choices:
        box.addItem(label, value)
    box.setAccessibleName(name)
    return box


def _field(name: str) -> QLineEdit:
    edit = QLineEdit(placeholderText="field name, e.g. subtitle")
    edit.setAccessibleName(name)
    edit.setMaxLength(100)
    return edit


class SiteMappingBox(QGroupBox):
    """The byline and standfirst mapping of the site shown; saved through the writer."""

    mapping_saved = Signal(object)  # SiteData

    def __init__(self, core: Core, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__("On this site", parent)
        self._core = core
        self._runner = runner
        self._site: SiteData | None = None
        self.byline = _combo(BYLINE_CHOICES, "Byline goes to")
        self.byline_field = _field("Byline custom field name")
        self.standfirst = _combo(STANDFIRST_CHOICES, "Standfirst goes to")
        self.standfirst_field = _field("Standfirst custom field name")
        self.save = QPushButton("&Save")
        self.save.setToolTip("Keep these choices for the next pushes to this site")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828")
        self.problem.hide()
        form = QFormLayout(self)
        for label, combo, edit in (
            ("&Byline goes to", self.byline, self.byline_field),
            ("S&tandfirst goes to", self.standfirst, self.standfirst_field),
        ):
            row = QHBoxLayout()
            row.addWidget(combo)
            row.addWidget(edit, 1)
            caption = QLabel(label)
            caption.setBuddy(combo)
            form.addRow(caption, row)
        form.addRow(self.problem)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save)
        form.addRow(buttons)
        for combo in (self.byline, self.standfirst):
            combo.currentIndexChanged.connect(self._on_changed)
        for edit in (self.byline_field, self.standfirst_field):
            edit.textEdited.connect(self._on_changed)
        self.save.clicked.connect(self._on_save_clicked)
        self.setEnabled(False)

    def show_site(self, site: SiteData | None) -> None:
        self._site = site
        self.setEnabled(site is not None)
        mapping = site.mapping if site is not None else SiteMapping()
        for combo, value in ((self.byline, mapping.byline), (self.standfirst, mapping.standfirst)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        self.byline_field.setText(mapping.byline_field)
        self.standfirst_field.setText(mapping.standfirst_field)
        self.problem.hide()
        self._on_changed()
        self.save.setEnabled(False)

    def chosen(self) -> SiteMapping:
        return SiteMapping(
            byline=str(self.byline.currentData()),
            byline_field=self.byline_field.text().strip(),
            standfirst=str(self.standfirst.currentData()),
            standfirst_field=self.standfirst_field.text().strip(),
        )

    def _on_changed(self) -> None:
        chosen = self.chosen()
        self.byline_field.setEnabled(chosen.byline == BYLINE_FIELD)
        self.standfirst_field.setEnabled(chosen.standfirst == STANDFIRST_FIELD)
        self.save.setEnabled(self._site is not None and chosen != self._site.mapping)

    def _on_save_clicked(self) -> None:
        if self._site is None:
            return
        self.save.setEnabled(False)
        self.problem.hide()
        self._runner.write(
            self._core.remote.sites.set_mapping, self._site.id, self.chosen(),
            owner=self, on_done=self._on_saved, on_error=self._on_error,
        )  # fmt: skip

    def _on_saved(self, site: SiteData) -> None:
        self.show_site(site)
        self.mapping_saved.emit(site)

    def _on_error(self, error: BaseException) -> None:
        self.problem.setText(str(error))
        self.problem.show()
        self.save.setEnabled(True)
