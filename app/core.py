"""The core opened on one data folder: the composition of every service the CLI and the UI use."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import InvalidInputError, NotFoundError
from app.paths import DataPaths, resolve_data_dir
from app.pieces import frontmatter
from app.pieces.boilerplate import BoilerplateLibrary
from app.pieces.data import PieceData
from app.pieces.library import PieceLibrary
from app.render.stored import ArticleRenderer
from app.settings import Settings
from app.store import Database, open_database

if TYPE_CHECKING:
    from app.changes.service import ChangeService
    from app.checklist.service import ChecklistService
    from app.comments.service import CommentService
    from app.notes.service import NoteService
    from app.remote import RemoteServices
    from app.workflow.service import WorkflowService

log = logging.getLogger(__name__)


@dataclass
class Core:
    paths: DataPaths
    db: Database
    settings: Settings
    pieces: PieceLibrary
    boilerplate: BoilerplateLibrary
    articles: ArticleRenderer
    created: bool  # the library did not exist before this start

    @functools.cached_property
    def remote(self) -> RemoteServices:
        """Sites, push, pull and the outbox; built on first use (no network, no keyring before)."""
        return self.connect_remote()

    def connect_remote(self, **options: Any) -> RemoteServices:
        """Build the remote services with *options* (see :func:`app.remote.open_remote`) and keep them
        as ``self.remote``. Imported here, not at the top, so that offline commands never load
        ``requests`` or the keyring."""
        from app.remote import open_remote

        remote = open_remote(
            self.db,
            self.pieces,
            self.articles,
            byline=lambda: str(self.settings.get("author.byline")),
            **options,
        )
        self.__dict__["remote"] = remote
        return remote

    @functools.cached_property
    def comments(self) -> CommentService:
        """The comment desk: reading works offline; sync and actions go through ``remote``."""
        from app.comments.service import CommentService

        return CommentService(self.db, self.pieces, lambda: self.remote)

    @functools.cached_property
    def workflow(self) -> WorkflowService:
        """The editorial workflow: reading works offline; actions go through ``remote``'s outbox."""
        from app.workflow.service import WorkflowService

        service = WorkflowService(self.db, self.pieces, self.articles, lambda: self.remote)
        # the pre-publish checklist, built when first asked
        service.gate = lambda *args: self.checklist.gate(*args)  # noqa: PLW0108
        return service

    @functools.cached_property
    def notes(self) -> NoteService:
        """Notes on passages: they work offline; shared through the site's companion plugin."""
        from app.notes.service import NoteService

        return NoteService(
            self.db, self.pieces, lambda: self.remote,
            author=lambda: str(self.settings.get("author.byline")) or "Me",
        )  # fmt: skip

    @functools.cached_property
    def changes(self) -> ChangeService:
        """Tracked changes: what came back from the site, against the base version, to decide on."""
        import socket

        from app.changes.service import ChangeService

        return ChangeService(self.pieces, self.workflow.store, machine=socket.gethostname())

    @functools.cached_property
    def checklist(self) -> ChecklistService:
        """The pre-publish checklist, per site; the workflow's actions pass through its gate."""
        from app.checklist.service import ChecklistService

        return ChecklistService(
            self.db, self.pieces, lambda: self.remote,
            open_notes=lambda piece_id: self.notes.open_count(piece_id),  # noqa: PLW0108
            language=lambda: str(self.settings.get("editor.spell_language")),
            personal_dictionary=self.paths.personal_dictionary,
        )  # fmt: skip

    def close(self) -> None:
        if "remote" in self.__dict__:
            self.remote.close()
        self.db.dispose()

    # -- new pieces ----------------------------------------------------------------------------

    def new_piece(self, data: PieceData | None = None) -> PieceData:
        """A new piece with the user's byline and the defaults its categories and byline call for."""
        data = data or PieceData(byline=self.settings.get("author.byline"))
        return self.pieces.create(self.boilerplate.apply_defaults(data))

    # -- import and export ---------------------------------------------------------------------

    def import_markdown(self, path: Path) -> PieceData:
        """Store the Markdown file at *path* as a new piece. Nothing is stored when it is invalid."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise NotFoundError(f"{path}: no such file.") from None
        except IsADirectoryError:
            raise InvalidInputError(f"{path}: is a folder, not a Markdown file.") from None
        except UnicodeDecodeError:
            raise InvalidInputError(f"{path}: is not UTF-8 text.") from None
        except OSError as exc:
            raise InvalidInputError(f"{path}: cannot be read ({exc.strerror}).") from None
        doc = frontmatter.parse(text, source=path.name, base_dir=path.parent.resolve())
        piece = doc.piece
        if doc.disclaimer:
            try:
                piece.disclaimer_id = self.boilerplate.find("disclaimer", doc.disclaimer).id
            except NotFoundError as exc:
                raise InvalidInputError(f"{path.name}: {exc.message}") from None
        for name in doc.snippets:
            try:
                piece.snippet_ids.append(self.boilerplate.find("snippet", name).id)
            except NotFoundError as exc:
                raise InvalidInputError(f"{path.name}: {exc.message}") from None
        if not doc.names_disclaimer:
            piece = self.boilerplate.apply_defaults(piece)
        return self.pieces.create(piece, reason="imported")

    def export_markdown(self, piece_id: int) -> str:
        piece = self.pieces.get(piece_id)
        disclaimer = None
        if piece.disclaimer_id is not None:
            found = self.boilerplate.by_ids("disclaimer", [piece.disclaimer_id])
            disclaimer = found[piece.disclaimer_id].name if found else None
        snippets = self.boilerplate.by_ids("snippet", piece.snippet_ids)
        names = [snippets[i].name for i in piece.snippet_ids if i in snippets]
        return frontmatter.dump(piece, disclaimer=disclaimer, snippets=names)

    def export_html(self, piece_id: int) -> str:
        return self.articles.render(self.pieces.get(piece_id)).document_html


def open_core(data_dir: str | Path | None = None, *, settings: Settings | None = None) -> Core:
    """Open (creating when needed) the library in *data_dir* and every service on it."""
    paths = DataPaths(resolve_data_dir(data_dir)).ensure()
    created = not paths.database.exists()
    db = open_database(paths.database, keep_dir=paths.backups)
    boilerplate = BoilerplateLibrary(db)
    core = Core(
        paths=paths,
        db=db,
        settings=settings or Settings(paths.settings),
        pieces=PieceLibrary(db),
        boilerplate=boilerplate,
        articles=ArticleRenderer(boilerplate, paths.stylesheet_override),
        created=created,
    )
    if created:
        boilerplate.seed_defaults()
    return core
