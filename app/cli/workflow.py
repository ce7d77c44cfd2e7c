"""The command line of the editorial workflow: ``submit``, ``review``, ``pieces sync``, ``timeline``,
``calendar``.

Hooked into :mod:`app.cli.main` by :func:`add_parsers` and :data:`HANDLERS`. Exit status as for
``push``: 0 done; 1 a failure (one line on standard error; bad input changes nothing); 75 when the site
could not be reached and the action waits in the outbox (``copydesk outbox run`` sends it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO

from app.cli.output import write_json
from app.cli.remote import EX_TEMPFAIL
from app.errors import InvalidInputError

if TYPE_CHECKING:
    from app.outbox.worker import JobOutcome
    from app.publishing.safety import ConflictInfo
    from app.workflow.data import PieceSyncReport, QueueItem
    from app.workflow.service import WorkflowService


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("submit", help="submit a piece for review on a site (pushed as pending)")
    p.add_argument("id", type=int)
    p.add_argument("--site", required=True, metavar="NAME")
    p.add_argument("--queue", action="store_true", help="only queue it; `outbox run` sends it")
    p.add_argument("--override", default="", metavar="REASON", help="pass the checklist (editors)")

    p = sub.add_parser("review", help="the review queue of a site, and the editor's actions")
    actions = p.add_subparsers(dest="review_action", metavar="ACTION", required=True)
    lst = actions.add_parser("list", help="the posts awaiting review, newest first")
    lst.add_argument("--site", required=True, metavar="NAME")
    lst.add_argument("--category", metavar="NAME", help="only this category")
    lst.add_argument("--cached", action="store_true", help="as last fetched, without the network")
    lst.add_argument("--json", action="store_true")
    opn = actions.add_parser("open", help="open a post as a local piece linked to it")
    opn.add_argument("post", type=int)
    opn.add_argument("--site", required=True, metavar="NAME")
    app = actions.add_parser("approve", help="approve a piece; --at schedules it, --publish now")
    app.add_argument("id", type=int)
    app.add_argument("--at", metavar="DATETIME", help="e.g. 2026-12-24T09:00 (local time) or +01:00")
    app.add_argument("--publish", action="store_true", help="publish it now")
    app.add_argument("--site", metavar="NAME", help="when the piece is on several sites")
    app.add_argument("--queue", action="store_true", help="only queue it")
    app.add_argument("--override", default="", metavar="REASON", help="pass the checklist anyway")
    ret = actions.add_parser("return", help="return a piece to its writer with a note")
    ret.add_argument("id", type=int)
    ret.add_argument("--note", required=True)
    ret.add_argument("--site", metavar="NAME", help="when the piece is on several sites")
    ret.add_argument("--queue", action="store_true", help="only queue it")

    p = sub.add_parser("pieces", help="the pieces linked to sites")
    actions = p.add_subparsers(dest="pieces_action", metavar="ACTION", required=True)
    syn = actions.add_parser("sync", help="bring each linked piece's status and text back")
    syn.add_argument("--site", metavar="NAME")
    syn.add_argument("--json", action="store_true")

    p = sub.add_parser("timeline", help="who moved a piece when, here and on its sites")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("calendar", help="scheduled and published pieces by day (or --week)")
    p.add_argument("--week", action="store_true", help="this week, Monday to Sunday")
    p.add_argument("--days", type=int, default=14, help="how many days from today (default 14)")
    p.add_argument("--json", action="store_true")


def _flow(core: Any) -> WorkflowService:
    flow: WorkflowService = core.workflow
    return flow


def _site_id(core: Any, name: str | None) -> int | None:
    return core.remote.sites.find(name).id if name else None


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


def parse_when(text: str) -> datetime:
    """A date and time as typed: ISO 8601; without a time zone, the computer's local time."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError(
            f"“{text}” is not a date and time; write it like 2026-12-24T09:00."
        ) from None
    return moment.astimezone() if moment.tzinfo is None else moment


def _run(flow: WorkflowService, job_id: int, queue_only: bool, done: str, out: TextIO) -> int:
    if queue_only:
        out.write(f"Queued as job {job_id}.\n")
        return 0
    outcomes = flow.send([job_id])
    if not outcomes:
        out.write(f"Job {job_id} is waiting in the outbox.\n")
        return EX_TEMPFAIL
    return _exit(outcomes[0], done, out)


def _exit(outcome: JobOutcome, done: str, out: TextIO) -> int:
    job = outcome.job
    if outcome.done:
        out.write(done.format(**job.result) + "\n")
        for notice in job.result.get("notices", []):
            out.write(f"note: {notice}\n")
        return 0
    message = str(outcome.error) if outcome.error else job.last_error
    if job.waiting_to_retry:
        sys.stderr.write(
            f"copydesk: {message} It waits in the outbox as job {job.id} and is tried again after "
            f"{_when(job.next_attempt_at)} (copydesk outbox run).\n"
        )
        return EX_TEMPFAIL
    sys.stderr.write(f"copydesk: {message}\n")
    return 1


def submit(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    flow = _flow(core)
    site = core.remote.sites.find(args.site)
    job = flow.submit(args.id, site.id, override=args.override)
    return _run(flow, job.id, args.queue, "Submitted for review as post {post_id} ({status}).", out)


def _item_json(item: QueueItem, now: datetime) -> dict[str, Any]:
    return {
        "site": item.site_name, "post_id": item.post_id, "title": item.title,
        "byline": item.byline, "submitted_by": item.submitted_by,
        "submitted_at": item.submitted_at, "age_seconds": int(item.age(now)),
        "word_count": item.word_count, "categories": list(item.categories),
        "link": item.link, "piece_id": item.piece_id, "status": item.status,
        "status_label": item.status_label,
    }  # fmt: skip


def _age(seconds: float) -> str:
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} d"


def review(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    flow = _flow(core)
    action = args.review_action
    if action == "list":
        site = core.remote.sites.find(args.site)
        if args.cached:
            items = flow.cached_queue(site.id)
        else:
            items = flow.queue(site.id, category=args.category)
        now = datetime.now(UTC)
        if args.json:
            write_json([_item_json(i, now) for i in items], out)
        elif not items:
            out.write(f"Nothing awaits review on {site.name}.\n")
        for item in items if not args.json else ():
            piece = f"piece {item.piece_id}" if item.piece_id else ""
            status = f"  [{item.status_label}]" if item.status != "pending" else ""
            out.write(
                f"{item.post_id:>6}  {_age(item.age(now)):>6}  {item.word_count:>5} w  "
                f"{item.byline[:20]:<20}  {piece:<10}  {item.title}{status}\n"
            )
        if not args.json:
            for line in flow.site(site.id).missing:
                out.write(f"note: {line}\n")
        return 0
    if action == "open":
        site = core.remote.sites.find(args.site)
        opened = flow.open_post_checked(site.id, args.post)
        out.write(f"{opened.piece.id}\n")
        if opened.conflict is not None:
            sys.stderr.write(f"copydesk: {_conflict_line(opened.conflict)}\n")
            return 1
        return 0
    site_id = _site_id(core, args.site)
    if action == "return":
        job = flow.send_back(args.id, args.note, site_id=site_id)
        return _run(flow, job.id, args.queue, "Returned to its writer ({status}).", out)
    at = parse_when(args.at) if args.at else None
    job = flow.approve(args.id, at=at, publish=args.publish, site_id=site_id, override=args.override)
    done = "Approved ({status})." if not at else "Approved and scheduled ({status}, {date_gmt} UTC)."
    return _run(flow, job.id, args.queue, done, out)


def _report_json(report: PieceSyncReport) -> dict[str, Any]:
    return {
        "site": report.site_name, "checked": report.checked,
        "status_changed": report.status_changed, "text_updated": report.text_updated,
        "returned": report.returned,
        "conflicts": [c.piece_id for c in report.conflicts], "problems": report.problems,
        "missed": [m.message for m in report.missed], "awaiting_review": report.awaiting_review,
        "requests": report.requests,
    }  # fmt: skip


def pieces(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    flow = _flow(core)
    reports, errors = flow.sync(_site_id(core, args.site))
    if args.json:
        write_json(
            {"sites": [_report_json(r) for r in reports],
             "errors": [{"site": name, "error": str(exc)} for name, exc in errors]},
            out,
        )  # fmt: skip
    else:
        for r in reports:
            out.write(
                f"{r.site_name}: {r.checked} pieces checked, {len(r.status_changed)} changed "
                f"status, {len(r.text_updated)} brought the editor's text ({r.requests} requests).\n"
            )
            for line in r.inbox:
                out.write(f"  {line}\n")
            for line in flow.site(r.site_id).missing:
                out.write(f"  note: {line}\n")
            for conflict in r.conflicts:
                out.write(f"  {_conflict_line(conflict)}\n")
            for line in [*r.problems, *(m.message for m in r.missed)]:
                out.write(f"  !! {line}\n")
    for name, exc in errors:
        sys.stderr.write(f"copydesk: {name}: {exc}\n")
    if errors:
        return EX_TEMPFAIL if all(_is_network(e) for _n, e in errors) else 1
    waiting = flow.waiting()
    if waiting:
        sys.stderr.write(
            f"copydesk: {waiting} review action(s) still wait in the outbox (copydesk outbox run).\n"
        )
        return EX_TEMPFAIL
    return 0


def _conflict_line(conflict: ConflictInfo) -> str:
    return (
        f"conflict: “{conflict.mine.title}” was changed both here and on the site; your text is "
        f"kept; compare them (copydesk push {conflict.piece_id} --site “{conflict.site_name}” "
        "--take-theirs or --keep-mine)."
    )


def _is_network(exc: Exception) -> bool:
    from app.errors import NetworkError

    return isinstance(exc, NetworkError)


def timeline(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    flow = _flow(core)
    entries = flow.timeline(args.id)
    if args.json:
        write_json(
            [{"at": e.at, "action": e.action, "from": e.from_status, "to": e.to_status,
              "user": e.user_name, "machine": e.machine, "note": e.note, "source": e.source,
              "site": e.site_name, "text": e.text} for e in entries],
            out,
        )  # fmt: skip
        return 0
    for site_name, status in flow.site_statuses(args.id):
        out.write(f"On {site_name}: {status}.\n")
    if not entries:
        out.write("Nothing has happened to this piece on a site yet.\n")
    for e in entries:
        who = e.user_name or "you"
        where = f" on {e.machine}" if e.machine else ""
        site = f" [{e.site_name}]" if e.site_name else ""
        note = f": “{e.note}”" if e.note and e.action != "scheduled" else ""
        out.write(f"{_when(e.at)}  {e.text}{note} — {who}{where}{site}\n")
    return 0


def calendar(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    if args.days < 1:
        raise InvalidInputError("--days must be at least 1.")
    today = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    start, days = today, args.days
    if args.week:
        start, days = today - timedelta(days=today.weekday()), 7
    entries = _flow(core).calendar(start, days)
    if args.json:
        write_json(
            [{"when": e.when, "piece_id": e.piece_id, "post_id": e.post_id, "title": e.title,
              "site": e.site_name or None, "status": e.status, "missed": e.missed}
             for e in entries],
            out,
        )  # fmt: skip
        return 0
    if not entries:
        out.write("Nothing scheduled or published in that time.\n")
    day = ""
    for e in entries:
        local = e.when.astimezone()
        if local.strftime("%A %d %B") != day:
            day = local.strftime("%A %d %B")
            out.write(f"{day}\n")
        label = "published" if e.status == "publish" else "MISSED" if e.missed else "scheduled"
        site = f" [{e.site_name}]" if e.site_name else ""
        out.write(f"  {local:%H:%M}  {label:<9}  {e.title}{site}\n")
    return 0


HANDLERS: dict[str, Callable[[Any, argparse.Namespace, TextIO], int]] = {
    "submit": submit,
    "review": review,
    "pieces": pieces,
    "timeline": timeline,
    "calendar": calendar,
}
