"""Sites: add a WordPress site once, check its connection, change its password, remove it.

The application password goes from the dialog to the operating system's keyring and nowhere else.
"Check connection" explains, in words, what the site said: it answers, the credentials work, what
the user's role allows, and anything to fix.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.publish.mapping import SiteMappingBox
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.core import Core
    from app.sites.registry import ConnectionReport, SiteData

_MARKS = {
    "ok": ("✔", "#2e7d32"),
    "info": ("•", "#555555"),
    "warning": ("⚠", "#b26a00"),
    "error": ("✖", "#c62828"),
}


def report_html(report: ConnectionReport) -> str:
    """The check as a list a columnist can read: one line per finding, with what to do."""
    rows = []
    for item in report.items:
        mark, colour = _MARKS.get(item.level, ("•", "#555555"))
        detail = f"<br><span style='color:#666'>{html.escape(item.detail)}</span>" if item.detail else ""
        rows.append(
            f"<tr><td style='color:{colour}; padding-right:8px; vertical-align:top'>{mark}</td>"
            f"<td style='padding-bottom:6px'>{html.escape(item.title)}{detail}</td></tr>"
        )
    return "<table>" + "".join(rows) + "</table>"


def _insecure_remote(url: str) -> bool:
    from app.sites.registry import insecure_address

    return insecure_address(url)


class AddSiteDialog(QDialog):
    """Name, address, user and application password; the site is stored only if it checks out."""

    site_added = Signal(object)  # SiteData

    def __init__(self, core: Core, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a WordPress Site")
        self.resize(560, 300)
        self._core = core
        self._runner = runner
        self.name = QLineEdit(placeholderText="e.g. Daily Gazette")
        self.url = QLineEdit(placeholderText="https://gazette.example")
        self.user = QLineEdit(placeholderText="your WordPress user name")
        self.password = QLineEdit(placeholderText="xxxx xxxx xxxx xxxx xxxx xxxx")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.insecure = QCheckBox(
            "Send my password over plain http anyway (anyone on the network can read it)"
        )
        self.insecure.hide()
        help_text = QLabel(
            "Make an <b>application password</b> in WordPress under <i>Users ▸ Profile ▸ "
            "Application Passwords</i>. It is kept in your system's keyring, never in Copydesk's files."
        )
        help_text.setWordWrap(True)
        self.report = QTextBrowser()
        self.report.setOpenLinks(False)
        self.report.hide()
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Address", self.url)
        form.addRow("User", self.user)
        form.addRow("Application password", self.password)
        form.addRow("", self.insecure)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Check and Add")
        layout = QVBoxLayout(self)
        layout.addWidget(help_text)
        layout.addLayout(form)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.buttons)
        self.url.textChanged.connect(self._on_url_changed)
        self.buttons.accepted.connect(self._on_add_clicked)
        self.buttons.rejected.connect(self.reject)

    def _on_url_changed(self, text: str) -> None:
        self.insecure.setVisible(_insecure_remote(text))

    def _on_add_clicked(self) -> None:
        self.buttons.setEnabled(False)
        if self.report.isHidden():
            self.report.show()
            self.resize(self.width(), self.height() + 200)
        self.report.setHtml("Checking the site…")
        name, url, user = self.name.text(), self.url.text(), self.user.text()
        password, insecure = self.password.text(), self.insecure.isChecked()
        self._runner.network(
            lambda: self._core.remote.sites.add(name, url, user, password, allow_insecure_http=insecure),
            owner=self,
            on_done=self._on_added,
            on_error=self._on_failed,
        )

    def _on_added(self, result: tuple[SiteData, ConnectionReport | None]) -> None:
        site, report = result
        self.password.clear()
        self.site_added.emit(site)
        if report is not None and report.problems:
            QMessageBox.information(
                self, "Site added", "The site was added. Please read the notes:\n\n"
                + "\n".join(f"• {p.title} {p.detail}" for p in report.problems),
            )  # fmt: skip
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        report = getattr(error, "report", None)
        text = f"<p><b>Not added.</b> {html.escape(str(error))}</p>"
        if report is not None:
            text += report_html(report)
        self.report.setHtml(text)


class SitesDialog(QDialog):
    """The sites of this library and their connection checks."""

    sites_changed = Signal()

    def __init__(self, core: Core, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sites")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one per use
        self.resize(760, 480)
        self._core = core
        self._runner = runner
        self._sites: list[SiteData] = []
        self._shown: int | None = None  # the site whose details (and check) are shown
        self.sites = QListWidget()
        self.add = QPushButton("Add Site…")
        self.remove = QPushButton("Remove")
        self.check = QPushButton("Check Connection")
        self.password = QPushButton("Change Password…")
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.report = QTextBrowser()
        self.report.setOpenLinks(False)
        self.mapping = SiteMappingBox(core, runner)
        left = QVBoxLayout()
        left.addWidget(self.sites, 1)
        row = QHBoxLayout()
        row.addWidget(self.add)
        row.addWidget(self.remove)
        left.addLayout(row)
        right = QVBoxLayout()
        right.addWidget(self.details)
        actions = QHBoxLayout()
        actions.addWidget(self.check)
        actions.addWidget(self.password)
        actions.addStretch(1)
        right.addLayout(actions)
        right.addWidget(self.mapping)
        right.addWidget(self.report, 1)
        splitter = QSplitter()
        for box in (left, right):
            holder = QWidget()
            holder.setLayout(box)
            splitter.addWidget(holder)
        splitter.setStretchFactor(1, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.sites.currentRowChanged.connect(self._on_site_chosen)
        self.add.clicked.connect(self._on_add_clicked)
        self.remove.clicked.connect(self._on_remove_clicked)
        self.check.clicked.connect(self._on_check_clicked)
        self.password.clicked.connect(self._on_password_clicked)
        self.mapping.mapping_saved.connect(lambda site: self.reload(site.id))
        self.reload()

    def reload(self, select: int | None = None) -> None:
        self._runner.read(
            self._core.remote.sites.list, owner=self, on_done=lambda s: self._on_listed(s, select)
        )

    def _on_listed(self, sites: list[SiteData], select: int | None) -> None:
        self._sites = sites
        self.sites.clear()
        for site in sites:
            item = QListWidgetItem(site.name)
            item.setData(Qt.ItemDataRole.UserRole, site.id)
            self.sites.addItem(item)
        index = next((i for i, s in enumerate(sites) if s.id == select), 0)
        if sites:
            self.sites.setCurrentRow(index)
        else:
            self.details.setText("No sites yet. Add the WordPress site you write for.")
            self.report.clear()
            self.mapping.show_site(None)
        for button in (self.remove, self.check, self.password):
            button.setEnabled(bool(sites))

    def _current(self) -> SiteData | None:
        row = self.sites.currentRow()
        return self._sites[row] if 0 <= row < len(self._sites) else None

    def _on_site_chosen(self, _row: int) -> None:
        site = self._current()
        if site is None:
            return
        checked = (
            site.checked_at.astimezone().strftime("%d %B %Y, %H:%M") if site.checked_at else "never"
        )
        role = site.role or "unknown until checked"
        warning = " <b style='color:#b26a00'>(plain http)</b>" if site.insecure else ""
        self.details.setText(
            f"<b>{html.escape(site.name)}</b><br>{html.escape(site.url)}{warning}<br>"
            f"Signed in as <b>{html.escape(site.username)}</b>, role: {html.escape(role)}<br>"
            f"Last checked: {checked}"
        )
        if site.id != self._shown:  # another site: its check is not shown yet
            self.report.clear()
        self.mapping.show_site(site)
        self._shown = site.id

    def _on_sites_changed(self, select_id: int | None) -> None:
        self.reload(select_id)
        self.sites_changed.emit()

    def _on_add_clicked(self) -> None:
        dialog = AddSiteDialog(self._core, self._runner, self)
        dialog.site_added.connect(lambda site: self._on_sites_changed(site.id))
        dialog.open()

    def _on_check_clicked(self) -> None:
        site = self._current()
        if site is None:
            return
        self.check.setEnabled(False)
        self.report.setHtml("Checking…")
        self._runner.network(
            self._core.remote.sites.check, site.id,
            owner=self, on_done=self._on_checked, on_error=self._on_error,
        )  # fmt: skip

    def _on_checked(self, report: ConnectionReport) -> None:
        self.check.setEnabled(True)
        self.report.setHtml(report_html(report))
        site = self._current()
        self.reload(site.id if site else None)

    def _on_error(self, error: BaseException) -> None:
        self.check.setEnabled(True)
        self.report.setHtml(f"<p><b>{html.escape(str(error))}</b></p>")

    def _on_password_clicked(self) -> None:
        site = self._current()
        if site is None:
            return
        password, ok = QInputDialog.getText(
            self, "Change password", f"New application password for {site.username} on {site.name}:",
            QLineEdit.EchoMode.Password,
        )  # fmt: skip
        if ok and password.strip():
            # the keyring may wait for the user to unlock it: not on the database writer
            self._runner.network(
                self._core.remote.sites.set_password, site.id, password,
                owner=self, on_done=lambda _r: self._on_check_clicked(), on_error=self._on_error,
            )  # fmt: skip

    def _on_remove_clicked(self) -> None:
        site = self._current()
        if site is None:
            return
        answer = QMessageBox.question(
            self,
            "Remove site",
            f"Remove {site.name}? Its password is deleted from the keyring and anything waiting to "
            "be sent to it is cancelled. The posts on the site are not touched.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._runner.network(  # the keyring again
                self._core.remote.sites.remove, site.id, owner=self,
                on_done=lambda _n: self._on_sites_changed(None), on_error=self._on_error,
            )  # fmt: skip
