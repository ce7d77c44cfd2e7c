"""The pre-publish checklist, the one entry point: ``core.checklist``.

Per site (``site_id`` None: pieces on no site), stored in the library, exported and imported as JSON,
and sent to the site's companion plugin, which refuses a move to ``publish`` or ``future`` over REST
when a required item it can check fails. Here, :meth:`gate` runs before submit, approve, schedule and
publish (the workflow service calls it): a required item unmet blocks the action with the list of
what is missing, unless an editor overrides it with a reason, which the timeline records (and the
site, through an outbox job, so the plugin lets the post through).

    report = core.checklist.check(piece.id, site.id, spelling=core.checklist.spelling_check())
    report.missing      # required items unmet
    report.warnings     # recommended items unmet
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, select

from app.checklist.config import OVERRIDE, ChecklistConfig
from app.checklist.rules import ChecklistReport, LinkCheck, SpellingCheck, evaluate
from app.errors import InvalidInputError, PermissionDenied
from app.store.models import Checklist, utcnow

if TYPE_CHECKING:
    from app.pieces.library import PieceLibrary
    from app.remote import RemoteServices
    from app.store import Database

log = logging.getLogger(__name__)

_VERBS = {"submit": "submitted", "approve": "approved", "schedule": "scheduled",
          "publish": "published"}  # fmt: skip


class ChecklistBlockedError(InvalidInputError):
    """A required item of the checklist is unmet; the action was not queued."""

    def __init__(self, message: str, report: ChecklistReport, *, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.report = report


class ChecklistService:
    def __init__(
        self,
        db: Database,
        pieces: PieceLibrary,
        remote: Callable[[], RemoteServices],
        *,
        open_notes: Callable[[int], int],
        language: Callable[[], str],
        personal_dictionary: Path | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._db = db
        self._pieces = pieces
        self._remote = remote
        self._open_notes = open_notes
        self._language = language
        self._personal = personal_dictionary
        self._clock = clock
        # the window's spelling checker (it has the dictionary loaded); None: not checked at gates
        self.spelling: SpellingCheck | None = None

    # -- the configuration ---------------------------------------------------------------------

    def config(self, site_id: int | None = None) -> ChecklistConfig:
        with self._db.session() as session:
            row = session.scalars(select(Checklist).where(_site(site_id))).one_or_none()
            return ChecklistConfig.from_json(row.config) if row else ChecklistConfig()

    def set_config(self, site_id: int | None, config: ChecklistConfig) -> ChecklistConfig:
        with self._db.session() as session:
            row = session.scalars(select(Checklist).where(_site(site_id))).one_or_none()
            if row is None:
                row = Checklist(site_id=site_id)
                session.add(row)
            row.config = config.dumps()
            row.updated_at = self._clock()
        return config

    def export_json(self, site_id: int | None = None) -> str:
        return self.config(site_id).dumps() + "\n"

    def import_json(self, site_id: int | None, text: str) -> ChecklistConfig:
        return self.set_config(site_id, ChecklistConfig.from_json(text))

    def publish(self, site_id: int) -> ChecklistConfig:
        """Send this site's checklist to its companion plugin (editors), which enforces it there."""
        from app.cms.wordpress.notes import NotesApi

        config = self.config(site_id)
        NotesApi(self._remote().sites.client(site_id)).set_checklist(config.to_json())
        return config

    def fetch(self, site_id: int) -> ChecklistConfig:
        """Take the site's checklist as its plugin keeps it (what the newsroom set), and keep it."""
        from app.cms.wordpress.notes import NotesApi

        data = NotesApi(self._remote().sites.client(site_id)).checklist()
        return self.set_config(site_id, ChecklistConfig.from_json(data))

    # -- checking ------------------------------------------------------------------------------

    def check(
        self,
        piece_id: int,
        site_id: int | None = None,
        *,
        spelling: SpellingCheck | None = None,
        links: bool = False,
    ) -> ChecklistReport:
        piece = self._pieces.get(piece_id)
        return evaluate(
            piece, self.config(site_id), open_notes=self._open_notes(piece_id),
            spelling=spelling or self.spelling, links=self.link_check() if links else None,
        )  # fmt: skip

    def spelling_check(self) -> SpellingCheck:
        """A spelling check with the dictionary of the settings (loads it: slow, off the GUI thread)."""
        from app.render.markdown import html_to_text, render_markdown
        from app.text.spelling import WORD, SpellChecker, should_check

        checker = SpellChecker(self._language(), self._personal)
        checker.load()

        def misspelt(body: str) -> Sequence[str]:
            words = [w for w in WORD.findall(html_to_text(render_markdown(body))) if should_check(w)]
            return sorted(checker.misspelt(words))

        return misspelt

    def link_check(self, timeout: float = 10.0) -> LinkCheck:
        """Whether each address answers below 400 (HEAD, then GET when HEAD is refused)."""

        def broken(addresses: Sequence[str]) -> Sequence[str]:
            import requests

            bad = []
            for address in addresses:
                try:
                    reply = requests.head(address, timeout=timeout, allow_redirects=True)
                    if reply.status_code in (405, 501):
                        reply = requests.get(address, timeout=timeout, stream=True)
                        reply.close()
                    if reply.status_code >= 400:
                        bad.append(address)
                except requests.RequestException:
                    bad.append(address)
            return bad

        return broken

    # -- the gate before the workflow's actions --------------------------------------------------

    def gate(self, piece_id: int, site_id: int, action: str, override: str = "") -> None:
        """Refuse *action* while a required item is unmet, unless an editor overrides it with a
        reason (recorded in the timeline and sent to the site)."""
        report = self.check(piece_id, site_id)
        if report.passed:
            return
        title = self._pieces.get(piece_id).title or "The piece"
        missing = "; ".join(f"{item.label} ({item.detail})" for item in report.missing)
        override = override.strip()
        if not override:
            raise ChecklistBlockedError(
                f"“{title}” cannot be {_VERBS.get(action, action)}: the checklist requires: {missing}.",
                report,
                hint="Fix them, or (editors) override the checklist with a reason.",
            )
        remote = self._remote()
        site = remote.sites.get(site_id)
        from app.workflow.roles import Role, role_of

        if role_of(site.capabilities) is not Role.EDITOR:
            raise PermissionDenied(
                f"Only editors may override the checklist on {site.name}.",
                hint=f"Fix what is missing: {missing}.",
            )
        self._record_override(piece_id, site_id, override, missing)

    def _record_override(self, piece_id: int, site_id: int, reason: str, missing: str) -> None:
        from app.cms.wordpress.notes import has_notes
        from app.errors import CopydeskError

        remote = self._remote()
        link = remote.links.get(piece_id, site_id)
        post_id = link.remote_id if link else None
        deps = remote.workflow_deps
        deps.store.add_event(
            piece_id=piece_id, site_id=site_id, post_id=post_id, action="checklist-overridden",
            note=f"{reason} (unmet: {missing})", machine=deps.machine,
        )  # fmt: skip
        if post_id is None or not has_notes(remote.sites.get(site_id).companion_version):
            return
        job = remote.outbox.enqueue(
            OVERRIDE, site_id=site_id, piece_id=piece_id,
            payload={"post_id": post_id, "reason": reason, "label": "Override the checklist"},
        )  # fmt: skip
        try:
            remote.worker().run_job(job.id)  # at once when online; else it goes before the action
        except CopydeskError as exc:
            log.info("The checklist override waits in the outbox: %s", exc)


def _site(site_id: int | None) -> ColumnElement[bool]:
    return Checklist.site_id.is_(None) if site_id is None else Checklist.site_id == site_id
