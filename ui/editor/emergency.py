"""The last resort when the library cannot be written: a plain Markdown copy of the piece.

Written without the database (a full disk, a read-only folder, a damaged file), as Markdown with front
matter that File → Import reads back. It goes beside the library, in ``emergency/``; when even that
cannot be written, to the system's temporary folder.
"""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import datetime
from pathlib import Path

from app.errors import StorageError
from app.pieces.data import PieceData

log = logging.getLogger(__name__)

FOLDER = "emergency"


class TextKeptError(StorageError):
    """Saving failed, and the unsaved text is kept in emergency copies: *kept* names the files."""

    def __init__(self, message: str, *, kept: list[str], hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.kept = kept


def folders(data_dir: Path) -> list[Path]:
    """Where an emergency copy may go, best first."""
    return [data_dir / FOLDER, Path(tempfile.gettempdir()) / "copydesk-emergency"]


def file_name(piece: PieceData, now: datetime | None = None) -> str:
    name = piece.uid or f"piece-{piece.id or 'new'}"
    return f"{name}-{(now or datetime.now()):%Y%m%d-%H%M%S}.md"


def keep(piece: PieceData, places: list[Path]) -> Path:
    """Write *piece* to the first of *places* that takes it and return the file.

    Raises :class:`OSError` (naming every place tried) when none does.
    """
    from app.pieces import frontmatter  # YAML: loaded only when it comes to this, not at start

    try:
        text = frontmatter.dump(piece)
    except Exception:  # odd metadata must not cost the text itself
        log.exception("Front matter for the emergency copy failed; writing the text alone")
        text = piece.body
    name = file_name(piece)
    problems: list[str] = []
    for folder in places:
        path = folder / name
        part = folder / f".{name}.part"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with part.open("w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(part, path)
        except OSError as exc:
            problems.append(f"{folder}: {exc.strerror or exc}")
            _remove(part)
            continue
        log.warning("Kept an emergency copy of piece %s in %s", piece.id, path)
        return path
    raise OSError("; ".join(problems))


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass
