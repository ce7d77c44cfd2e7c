"""The command line of notes and the pre-publish checklist: ``check``, ``checklist``, ``notes``.

Hooked into :mod:`app.cli.main` by :func:`add_parsers` and :data:`HANDLERS`.

- ``copydesk check ID [--site NAME] [--links] [--json]``: the checklist of a piece; exit 1 when a
  required item fails. Spelling is checked with the dictionary of the settings.
- ``copydesk checklist show|export|import|push|pull [--site NAME]``: a site's checklist, as JSON.
- ``copydesk notes list ID | add ID --text NOTE [--quote TEXT] | reply NOTE --text | resolve NOTE
  [--reopen] | sync``: a note with ``--quote`` is on that passage, without it on the whole piece. A
  change to a piece shared through its site is sent at once (exit 75 when it waits in the outbox).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from app.cli.output import write_json
from app.cli.remote import EX_TEMPFAIL

if TYPE_CHECKING:
    from app.checklist.rules import ChecklistReport
    from app.notes.data import NoteData, NoteThread


def add_parsers(sub: Any) -> None:
    p = sub.add_parser(
        "check", help="the pre-publish checklist of a piece (exit 1: a required item fails)"
    )
    p.add_argument("id", type=int)
    p.add_argument("--site", metavar="NAME", help="the site whose checklist applies")
    p.add_argument("--links", action="store_true", help="also check that the links resolve")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("checklist", help="a site's checklist: show, export, import, push, pull")
    p.add_argument("checklist_action", choices=("show", "export", "import", "push", "pull"))
    p.add_argument("file", nargs="?", type=Path, help="the JSON file to import")
    p.add_argument("--site", metavar="NAME", help="the site (without it: pieces on no site)")

    p = sub.add_parser("notes", help="notes on passages of a piece")
    actions = p.add_subparsers(dest="notes_action", metavar="ACTION", required=True)
    lst = actions.add_parser("list", help="a piece's notes and replies, by position")
    lst.add_argument("id", type=int)
    lst.add_argument("--json", action="store_true")
    add = actions.add_parser("add", help="a note on a passage (--quote) or on the whole piece")
    add.add_argument("id", type=int)
    add.add_argument("--text", required=True, help="the note")
    add.add_argument("--quote", help="the passage, as it reads in the piece")
    rep = actions.add_parser("reply", help="reply to a note")
    rep.add_argument("note", type=int)
    rep.add_argument("--text", required=True)
    res = actions.add_parser("resolve", help="resolve a note (or --reopen it)")
    res.add_argument("note", type=int)
    res.add_argument("--reopen", action="store_true")
    syn = actions.add_parser("sync", help="send the notes changed here and bring the others back")
    syn.add_argument("--site", metavar="NAME")


def _site_id(core: Any, name: str | None) -> int | None:
    return int(core.remote.sites.find(name).id) if name else None


def _piece_site(core: Any, piece_id: int, name: str | None) -> int | None:
    """The named site, else the one site the piece is on (with a post), else None."""
    if name:
        return _site_id(core, name)
    core.pieces.get(piece_id)
    from app.workflow.store import WorkflowStore

    if not WorkflowStore(core.db).has_links():
        return None
    links = [link for link in core.remote.links.for_piece(piece_id) if link.remote_id is not None]
    return int(links[0].site_id) if len(links) == 1 else None


def _mark(ok: bool | None) -> str:
    return {True: "ok  ", False: "FAIL", None: "--  "}[ok]


def _print_report(report: ChecklistReport, out: TextIO) -> None:
    for item in report.items:
        out.write(f"{_mark(item.ok)}  {item.level.value:<11}  {item.label}: {item.detail}\n")
    if report.missing:
        out.write(f"{len(report.missing)} required item(s) unmet: it cannot be submitted, approved "
                  "or published.\n")  # fmt: skip
    elif report.warnings:
        out.write(f"Passes; {len(report.warnings)} recommended item(s) unmet.\n")
    else:
        out.write("Passes.\n")


def check(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    site_id = _piece_site(core, args.id, args.site)
    checklist = core.checklist
    spelling = None
    if checklist.config(site_id).level("spelling").value != "off":
        spelling = checklist.spelling_check()
    report = checklist.check(args.id, site_id, spelling=spelling, links=args.links)
    if args.json:
        write_json(report.to_json(), out)
    else:
        _print_report(report, out)
    return 0 if report.passed else 1


def checklist(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    service = core.checklist
    site_id = _site_id(core, args.site)
    action = args.checklist_action
    if action in ("push", "pull") and site_id is None:
        sys.stderr.write("copydesk: name the site with --site.\n")
        return 1
    if action == "import":
        text = args.file.read_text(encoding="utf-8") if args.file else sys.stdin.read()
        service.import_json(site_id, text)
        out.write("Imported.\n")
    elif action == "push":
        service.publish(site_id)
        out.write("The site now enforces this checklist.\n")
    elif action == "pull":
        service.fetch(site_id)
        out.write("Took the site's checklist.\n")
    elif action == "export":
        out.write(service.export_json(site_id))
    else:
        config = service.config(site_id)
        for key, label in _items().items():
            out.write(f"{config.level(key).value:<11}  {label}\n")
        out.write(f"words {config.word_min}–{config.word_max or 'any'}, standfirst ≤ "
                  f"{config.standfirst_max}, headline ≤ {config.headline_max} characters\n")  # fmt: skip
    return 0


def _items() -> dict[str, str]:
    from app.checklist.config import ITEMS

    return ITEMS


def _print_note(note: NoteData, out: TextIO, indent: str = "") -> None:
    state = " [resolved]" if note.resolved else ""
    pending = " (not sent yet)" if note.pending else ""
    out.write(f"{indent}#{note.id} {note.author}, {note.created_at:%Y-%m-%d %H:%M}{state}{pending}\n")
    for line in note.body.splitlines():
        out.write(f"{indent}    {line}\n")


def _print_thread(thread: NoteThread, out: TextIO) -> None:
    note = thread.note
    if note.anchor is None:
        out.write("On the whole piece:\n")
    elif thread.placement is None:
        out.write(f"Orphaned (its passage is gone): “{note.quote}”\n")
    else:
        out.write(f"On “{note.quote}” (characters {thread.placement.start}–{thread.placement.end}):\n")
    _print_note(note, out, "  ")
    for reply in thread.replies:
        _print_note(reply, out, "    ")


def _sent(core: Any, piece_id: int, out: TextIO) -> int:
    outcomes = core.notes.send(piece_id)
    waiting = [o for o in outcomes if not o.done]
    if not waiting:
        return 0
    message = str(waiting[0].error) if waiting[0].error else waiting[0].job.last_error
    sys.stderr.write(f"copydesk: {message} The notes wait in the outbox (copydesk outbox run).\n")
    return EX_TEMPFAIL if waiting[0].job.waiting_to_retry else 1


def notes(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    service = core.notes
    action = args.notes_action
    if action == "list":
        threads = service.threads(args.id)
        if args.json:
            write_json({"sharing": service.sharing(args.id).message,
                        "notes": [t.to_json() for t in threads]}, out)  # fmt: skip
            return 0
        out.write(service.sharing(args.id).message + "\n")
        for thread in threads:
            _print_thread(thread, out)
        return 0
    if action == "sync":
        report = service.sync(_site_id(core, args.site))
        out.write(f"{report.added} new, {report.updated} changed, {report.removed} deleted; "
                  f"{report.sent} send(s).\n")  # fmt: skip
        for name in report.local_only:
            out.write(f"note: {name} has no Copydesk plugin 0.4.0: notes stay in this library.\n")
        for name, error in report.errors:
            sys.stderr.write(f"copydesk: {name}: {error}\n")
        return 1 if report.errors else 0
    if action == "add":
        if args.quote:
            note = service.add_on_quote(args.id, args.quote, args.text)
        else:
            note = service.add(args.id, args.text)
    elif action == "reply":
        note = service.reply(args.note, args.text)
    else:
        note = service.reopen(args.note) if args.reopen else service.resolve(args.note)
    out.write(f"{note.id}\n")
    return _sent(core, note.piece_id, out) if note.site_id is not None else 0


HANDLERS: dict[str, Callable[[Any, argparse.Namespace, TextIO], int]] = {
    "check": check,
    "checklist": checklist,
    "notes": notes,
}
