"""The headless command line: everything here works without Qt and without a display.

``copydesk`` alone opens the window (the entry point in ``copydesk.py`` decides); every subcommand is
run by :func:`run_command`. Expected failures print one line that names the problem and exit 1; nothing
is changed by a command that fails. A library that can only be read (a read-only folder, a full disk)
still lists and exports; a command that worked on it says so in one line on standard error, and one
that needed to write fails with the one line of its error.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from app import APP_NAME, version
from app.cli import comments as cli_comments
from app.cli import notes as cli_notes
from app.cli import remote as cli_remote
from app.cli import workflow as cli_workflow
from app.cli.output import write_json
from app.errors import CopydeskError, InvalidInputError, NotFoundError
from app.pieces.data import PieceSummary
from app.pieces.workflow import Status

log = logging.getLogger(__name__)


class _VersionAction(argparse.Action):
    """``--version``, reading the package metadata only when asked (it is slow to import)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kwargs: Any) -> None:
        sys.stdout.write(f"{APP_NAME} {version()}\n")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="copydesk",
        description=f"{APP_NAME}: write columns offline, preview them as published, push to WordPress.",
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="the library folder (default: $COPYDESK_DATA_DIR, else the platform's data folder)",
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window on a temporary library, render, write and read, then exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="import a Markdown file with front matter; prints the new id")
    p.add_argument("file", type=Path)

    p = sub.add_parser("list", help="list the pieces in the library")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--status", choices=[s.value for s in Status])
    p.add_argument("--search", metavar="WORDS", help="full-text search")
    p.add_argument("--trash", action="store_true", help="list the pieces in the trash")

    p = sub.add_parser("export", help="export a piece as Markdown or as the published HTML")
    p.add_argument("id", type=int)
    p.add_argument("--format", choices=["md", "html"], default="md")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here, not to stdout")

    for kind, plural in (("disclaimer", "disclaimers"), ("snippet", "snippets")):
        noun = "disclaimers" if kind == "disclaimer" else "call-to-action snippets"
        p = sub.add_parser(plural, help=f"manage the library of {noun}")
        p.set_defaults(kind=kind)
        actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
        add = actions.add_parser("add", help="add one; the text from --file or standard input")
        add.add_argument("name")
        add.add_argument("--file", type=Path, help="a Markdown file (default: standard input)")
        add.add_argument(
            "--default-for-category",
            action="append",
            default=[],
            metavar="CATEGORY",
            help="attach it to new pieces in this category (repeatable)",
        )
        add.add_argument(
            "--default-for-byline",
            action="append",
            default=[],
            metavar="BYLINE",
            help="attach it to new pieces under this byline (repeatable)",
        )
        lst = actions.add_parser("list", help="list them")
        lst.add_argument("--json", action="store_true")
        rm = actions.add_parser("remove", help="remove one by name")
        rm.add_argument("name")
    cli_remote.add_parsers(sub)
    cli_comments.add_parsers(sub)
    cli_workflow.add_parsers(sub)
    cli_notes.add_parsers(sub)
    return parser


def _summary_json(s: PieceSummary) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "status": s.status.value,
        "updated_at": s.updated_at.isoformat(),
        "word_count": s.word_count,
        "byline": s.byline,
        "trashed": s.trashed,
    }


def _print_table(rows: Sequence[PieceSummary], out: TextIO) -> None:
    if not rows:
        out.write("No pieces.\n")
        return
    out.write(f"{'ID':>5}  {'STATUS':<17}  {'UPDATED':<16}  {'WORDS':>6}  TITLE\n")
    for s in rows:
        updated = s.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        title = s.title or "(untitled)"
        out.write(f"{s.id:>5}  {s.status.label:<17}  {updated:<16}  {s.word_count:>6}  {title}\n")


def _read_text(file: Path | None) -> str:
    if file is None:
        if sys.stdin.isatty():
            raise InvalidInputError("Give the text with --file FILE or on standard input.")
        return sys.stdin.read()
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(f"{file}: no such file.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"{file}: cannot be read ({exc}).") from None


def _boilerplate(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    library = core.boilerplate
    kind = args.kind
    if args.action == "list":
        entries = library.entries(kind)
        rules = [r for r in library.rules() if r.kind == kind]
        if args.json:
            payload = [
                {
                    "id": e.id,
                    "name": e.name,
                    "text": e.body,
                    "default_for": [
                        {"field": r.match_field, "value": r.match_value}
                        for r in rules
                        if r.target_id == e.id
                    ],
                }
                for e in entries
            ]
            write_json(payload, out)
        else:
            for e in entries:
                defaults = [f"{r.match_field} {r.match_value}" for r in rules if r.target_id == e.id]
                suffix = f"  (default for {', '.join(defaults)})" if defaults else ""
                out.write(f"{e.name}{suffix}\n")
        return 0
    if args.action == "remove":
        library.remove(kind, args.name)
        return 0
    text = _read_text(args.file)
    entry = library.add(kind, args.name, text)
    for category in args.default_for_category:
        library.add_rule(kind, entry.id, "category", category)
    for byline in args.default_for_byline:
        library.add_rule(kind, entry.id, "byline", byline)
    return 0


def _dispatch(args: argparse.Namespace, out: TextIO) -> int:
    from app.core import open_core

    core = open_core(args.data_dir)
    try:
        handler = _HANDLERS[args.command]
        code = handler(core, args, out)
        if code == 0 and core.db.read_only:
            # a command that only read worked; say once why nothing could have been written
            sys.stderr.write(
                f"copydesk: the library is open only for reading ({core.db.read_only_reason}).\n"
            )
        return code
    finally:
        core.close()


def _import(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    piece = core.import_markdown(args.file)
    out.write(f"{piece.id}\n")
    return 0


def _list(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    if args.search:
        rows = core.pieces.search(args.search, trashed=args.trash)
    else:
        rows = core.pieces.summaries(trashed=args.trash)
    if args.status:
        rows = [r for r in rows if r.status.value == args.status]
    if args.json:
        payload = [_summary_json(r) for r in rows]
        write_json(payload, out)
    else:
        _print_table(rows, out)
    return 0


def _export(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    text = core.export_markdown(args.id) if args.format == "md" else core.export_html(args.id)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        out.write(text)
    return 0


_HANDLERS: dict[str, Callable[[Any, argparse.Namespace, TextIO], int]] = {
    "import": _import,
    "list": _list,
    "export": _export,
    "disclaimers": _boilerplate,
    "snippets": _boilerplate,
    **cli_remote.HANDLERS,
    **cli_comments.HANDLERS,
    **cli_workflow.HANDLERS,
    **cli_notes.HANDLERS,
}


def run_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run one subcommand; returns the process exit status."""
    logging.basicConfig(level=logging.WARNING, format="copydesk: %(message)s")
    try:
        return _dispatch(args, out or sys.stdout)
    except CopydeskError as exc:
        sys.stderr.write(f"copydesk: {exc}\n")
        return 1
    except OSError as exc:
        sys.stderr.write(f"copydesk: {exc.strerror or exc}: {exc.filename or ''}\n".rstrip() + "\n")
        return 1
