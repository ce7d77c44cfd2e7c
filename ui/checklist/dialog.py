"""The pre-publish checklist of each site: every item required, recommended or off, and its limits;
exported and imported as JSON, sent to the site (editors) or taken from it.

It only reads and writes ``core.checklist`` through the runner; the JSON is the core's own
(:meth:`ChecklistConfig.dumps`), so a file exported here is what ``copydesk checklist import`` takes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.checklist.config import ITEMS, ChecklistConfig, Level
from app.errors import CopydeskError
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.core import Core

NO_SITE = 0  # the combo's data for pieces on no site
LEVELS = ((Level.REQUIRED, "Required"), (Level.RECOMMENDED, "Recommended"), (Level.OFF, "Off"))
LIMITS = (
    ("word_min", "Fewest words", "0: no minimum"),
    ("word_max", "Most words", "0: no maximum"),
    ("standfirst_max", "Longest standfirst (characters)", "0: no limit"),
    ("headline_max", "Longest headline (characters)", "0: no limit"),
)


class ChecklistDialog(QDialog):
    saved = Signal(object)  # (site id or None, ChecklistConfig)

    def __init__(
        self, core: Core, runner: TaskRunner, site_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("checklistDialog")
        self.setWindowTitle("Pre-Publish Checklist")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._core = core
        self._runner = runner
        self._first_site = site_id
        self.site = QComboBox()
        self.site.setAccessibleName("Site")
        self.site.addItem("Pieces on no site", NO_SITE)
        about = QLabel(
            "A required item unmet blocks submitting, approving and publishing (an editor may go "
            "ahead with a reason, which the timeline records); a recommended one only warns."
        )
        about.setWordWrap(True)
        self.levels: dict[str, QComboBox] = {}
        items = QGroupBox("Items")
        grid = QGridLayout(items)
        for row, (key, label) in enumerate(ITEMS.items()):
            name = QLabel(label)
            combo = QComboBox()
            combo.setAccessibleName(label)
            for level, words in LEVELS:
                combo.addItem(words, level.value)
            name.setBuddy(combo)
            grid.addWidget(name, row, 0)
            grid.addWidget(combo, row, 1)
            self.levels[key] = combo
        grid.setColumnStretch(0, 1)
        limits = QGroupBox("Limits")
        form = QFormLayout(limits)
        self.limits: dict[str, QSpinBox] = {}
        for key, label, tip in LIMITS:
            spin = QSpinBox()
            spin.setRange(0, 100_000)
            spin.setAccessibleName(label)
            spin.setToolTip(tip)
            spin.setSpecialValueText("No limit")
            form.addRow(label, spin)
            self.limits[key] = spin
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName("Checklist messages")
        self.export_button = QPushButton("Export…")
        self.import_button = QPushButton("Import…")
        self.send_button = QPushButton("Send to Site")
        self.fetch_button = QPushButton("Take the Site's")
        for button, what in (
            (self.export_button, "Export the checklist as JSON"),
            (self.import_button, "Import a checklist from JSON"),
            (self.send_button, "Send this checklist to the site (editors)"),
            (self.fetch_button, "Take the checklist the site keeps"),
        ):
            button.setAccessibleName(what)
            button.setToolTip(what)
        files = QHBoxLayout()
        for button in (self.export_button, self.import_button, self.send_button, self.fetch_button):
            files.addWidget(button)
        files.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        site_row = QFormLayout()
        site_row.addRow("Checklist of", self.site)
        columns = QHBoxLayout()
        columns.addWidget(items, 3)
        columns.addWidget(limits, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(site_row)
        layout.addWidget(about)
        layout.addLayout(columns)
        layout.addLayout(files)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.site.currentIndexChanged.connect(lambda _i: self.load())
        self.export_button.clicked.connect(self._on_export_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.send_button.clicked.connect(self.send_to_site)
        self.fetch_button.clicked.connect(self.take_from_site)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        runner.read(self._sites, owner=self, on_done=self._on_sites_read, on_error=self._show_error)

    # -- loading -------------------------------------------------------------------------------

    def _sites(self) -> list[tuple[int, str]]:
        return [(site.id, site.name) for site in self._core.remote.sites.list()]

    def _on_sites_read(self, sites: list[tuple[int, str]]) -> None:
        self.site.blockSignals(True)
        for site_id, name in sites:
            self.site.addItem(name, site_id)
        self.site.blockSignals(False)
        index = self.site.findData(self._first_site) if self._first_site else 0
        if index > 0:
            self.site.setCurrentIndex(index)  # loads it
        else:
            self.load()

    def site_id(self) -> int | None:
        return int(self.site.currentData() or NO_SITE) or None

    def load(self) -> None:
        self._runner.read(self._core.checklist.config, self.site_id(), owner=self,
                          on_done=self.show_config, on_error=self._show_error)  # fmt: skip
        on_site = self.site_id() is not None
        self.send_button.setEnabled(on_site)
        self.fetch_button.setEnabled(on_site)

    def show_config(self, config: ChecklistConfig) -> None:
        for key, combo in self.levels.items():
            combo.setCurrentIndex(combo.findData(config.level(key).value))
        for key, spin in self.limits.items():
            spin.setValue(int(getattr(config, key)))

    def config(self) -> ChecklistConfig:
        """The checklist as the dialog shows it (validated by the core's own reader)."""
        return ChecklistConfig.from_json(
            {
                "levels": {key: combo.currentData() for key, combo in self.levels.items()},
                **{key: spin.value() for key, spin in self.limits.items()},
            }
        )

    # -- saving, files, the site -----------------------------------------------------------------

    def save(self) -> None:
        try:
            config = self.config()
        except CopydeskError as exc:  # the minimum above the maximum
            self._show_error(exc)
            return
        site_id, service = self.site_id(), self._core.checklist
        self._runner.write(
            lambda: service.set_config(site_id, config),
            owner=self,
            on_done=lambda saved: self._on_saved(site_id, saved),
            on_error=self._show_error,
        )

    def _on_saved(self, site_id: int | None, config: ChecklistConfig) -> None:
        self.saved.emit((site_id, config))
        self.accept()

    def export_to(self, path: Path) -> None:
        """Write the checklist as shown to *path* as JSON."""
        try:
            path.write_text(self.config().dumps() + "\n", encoding="utf-8")
        except (OSError, CopydeskError) as exc:
            self._show_error(exc)
            return
        self.message.setText(f"Exported to {path.name}.")

    def import_from(self, path: Path) -> None:
        """Show the checklist in *path* (saved with Save)."""
        try:
            config = ChecklistConfig.from_json(path.read_text(encoding="utf-8"))
        except (OSError, CopydeskError) as exc:
            self._show_error(exc)
            return
        self.show_config(config)
        self.message.setText(f"Imported from {path.name}: press Save to keep it.")

    def _on_export_clicked(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, "Export Checklist", "checklist.json", "JSON (*.json)"
        )
        if name:
            self.export_to(Path(name))

    def _on_import_clicked(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, "Import Checklist", "", "JSON (*.json)")
        if name:
            self.import_from(Path(name))

    def send_to_site(self) -> None:
        site_id, service = self.site_id(), self._core.checklist
        if site_id is None:
            return
        config = self.config()
        self.message.setText("Sending to the site…")

        def send() -> ChecklistConfig:
            service.set_config(site_id, config)
            return service.publish(site_id)

        self._runner.network(
            send,
            owner=self,
            on_error=self._show_error,
            on_done=lambda _c: self.message.setText("The site enforces it now."),
        )

    def take_from_site(self) -> None:
        site_id = self.site_id()
        if site_id is None:
            return
        self.message.setText("Asking the site…")
        self._runner.network(self._core.checklist.fetch, site_id, owner=self, on_error=self._show_error,
                             on_done=self._on_fetched)  # fmt: skip

    def _on_fetched(self, config: ChecklistConfig) -> None:
        self.show_config(config)
        self.message.setText("Taken from the site.")

    def _show_error(self, error: BaseException) -> None:
        self.message.setText(str(error))
