"""The command line of remote sites: ``site``, ``push``, ``unlink``, ``pull`` and ``outbox``.

Hooked into :mod:`app.cli.main` by :func:`add_parsers` and :data:`HANDLERS`. Nothing here imports
``requests`` or touches the keyring until a command needs it (``core.remote`` is built lazily).

Exit status: 0 done; 1 a failure (one line on standard error, and bad input changes nothing);
:data:`EX_TEMPFAIL` (75, as mail servers use it) when a push could not reach the site and waits in the
outbox to be retried (``copydesk outbox run``).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from app.cli.links import add_unlink_parser, parse_when, unlink
from app.cli.mapping import add_map_parser, map_site
from app.cli.output import write_json
from app.errors import InvalidInputError
from app.sites.statuses import LIST_STATUSES, PUSH_STATUSES

if TYPE_CHECKING:
    from app.cms.wordpress.check import ConnectionReport
    from app.outbox.queue import Job
    from app.outbox.worker import JobOutcome
    from app.publishing.guards import ScheduleTooSoonError
    from app.publishing.jobs import PushResult
    from app.remote import RemoteServices

EX_TEMPFAIL = 75
_MARKS = {"ok": "ok", "info": "--", "warning": "!!", "error": "XX"}


def add_parsers(sub: Any) -> None:
    """Add ``site``, ``push``, ``pull`` and ``outbox`` to the ``copydesk`` parser's subcommands."""
    p = sub.add_parser("site", help="manage the WordPress sites pieces are pushed to")
    actions = p.add_subparsers(dest="site_action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add", help="add a site; the application password is read from standard input"
    )
    add.add_argument("name")
    add.add_argument("--url", required=True, help="the site's address, e.g. https://example.com")
    add.add_argument("--user", required=True, help="your WordPress user name")
    add.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="accept a plain http:// address of another machine (the password crosses unencrypted)",
    )
    add.add_argument("--no-check", action="store_true", help="add it without connecting first")
    check = actions.add_parser("check", help="check the connection, the password and the role")
    check.add_argument("name")
    check.add_argument("--json", action="store_true")
    lst = actions.add_parser("list", help="list the sites")
    lst.add_argument("--json", action="store_true")
    rm = actions.add_parser("remove", help="remove a site, its password and its waiting jobs")
    rm.add_argument("name")
    add_map_parser(actions)

    p = sub.add_parser("push", help="push a piece to a site (through the outbox)")
    p.add_argument("id", type=int)
    p.add_argument("--site", required=True, metavar="NAME")
    p.add_argument(
        "--status",
        choices=PUSH_STATUSES,
        help="the status on the site (default: draft for a new post, unchanged for an update)",
    )
    p.add_argument(
        "--at",
        metavar="DATETIME",
        help="set the publication time first, e.g. 2026-12-24T09:00 (local time) or +01:00",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    choice = p.add_mutually_exclusive_group()
    choice.add_argument(
        "--keep-mine", action="store_true", help="after a conflict: replace the site's version"
    )
    choice.add_argument(
        "--take-theirs", action="store_true", help="after a conflict: replace the piece with it"
    )
    choice.add_argument(
        "--as-new",
        action="store_true",
        help="push it as a new post (forget the post it was pushed to on that site)",
    )
    p.add_argument("--queue", action="store_true", help="only queue it; `outbox run` sends it")
    add_unlink_parser(sub)

    p = sub.add_parser("pull", help="list a site's posts, or open one as a new piece (--post)")
    p.add_argument("--site", required=True, metavar="NAME")
    p.add_argument("--post", type=int, metavar="ID", help="open this post as a new piece")
    p.add_argument("--status", choices=LIST_STATUSES)
    p.add_argument("--search", metavar="WORDS")
    p.add_argument("--limit", type=int, metavar="N", help="at most N posts, the newest")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("outbox", help="what waits to be sent, what is sending, what failed")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="done and cancelled jobs too")
    jobs = p.add_subparsers(dest="outbox_action", metavar="ACTION")
    retry = jobs.add_parser("retry", help="try a waiting or failed job again now")
    retry.add_argument("job", type=int)
    cancel = jobs.add_parser("cancel", help="cancel a waiting or failed job")
    cancel.add_argument("job", type=int)
    jobs.add_parser("run", help="send every job that is due now")


def _remote(core: Any) -> RemoteServices:
    remote: RemoteServices = core.remote
    return remote


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


# -- site ----------------------------------------------------------------------------------------


def _read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Application password: ")
    return sys.stdin.read().strip()


def _report_json(report: ConnectionReport) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "items": [
            {"key": i.key, "level": i.level, "title": i.title, "detail": i.detail} for i in report.items
        ],
        "role": ",".join(report.user.roles) if report.user else None,
        "companion": report.companion.version if report.companion else None,
    }


def _print_report(report: ConnectionReport, out: TextIO, *, problems_only: bool = False) -> None:
    items = report.problems if problems_only else list(report.items)
    for item in items:
        out.write(f"[{_MARKS[item.level]}] {item.title}\n")
        if item.detail:
            out.write(f"     {item.detail}\n")


def site(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    remote = _remote(core)
    action = args.site_action
    if action == "list":
        sites = remote.sites.list()
        if args.json:
            write_json(
                [
                    {"id": s.id, "name": s.name, "url": s.url, "user": s.username, "role": s.role,
                     "checked_at": s.checked_at, "companion": s.companion_version or None,
                     "mapping": s.mapping.describe()}
                    for s in sites
                ],
                out,
            )  # fmt: skip
        elif not sites:
            out.write("No sites. Add one with: copydesk site add NAME --url URL --user USER\n")
        for s in sites if not args.json else ():
            out.write(f"{s.name}  {s.url}  {s.username}  {s.role or 'not checked'}\n")
        return 0
    if action == "add":
        password = _read_password()
        added, report = remote.sites.add(
            args.name,
            args.url,
            args.user,
            password,
            allow_insecure_http=args.allow_insecure_http,
            check=not args.no_check,
        )
        role = f" as {added.role}" if added.role else ""
        out.write(f"Added “{added.name}” ({added.url}){role}.\n")
        if report is not None:
            _print_report(report, out, problems_only=True)
        return 0
    if action == "map":
        return map_site(core, args, out)
    found = remote.sites.find(args.name)
    if action == "remove":
        dropped = remote.sites.remove(found.id)
        extra = f"; {dropped} waiting job(s) cancelled" if dropped else ""
        out.write(f"Removed “{found.name}”{extra}.\n")
        return 0
    report = remote.sites.check(found.id)
    if args.json:
        write_json(_report_json(report), out)
    else:
        _print_report(report, out)
    if not report.ok:
        sys.stderr.write(f"copydesk: the connection to “{found.name}” has problems.\n")
        return 1
    return 0


# -- push ----------------------------------------------------------------------------------------


def _step_writer(job_id: int, message: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"  {message}\n")


def _push_text(result: PushResult, site_name: str) -> str:
    if result.unchanged:
        lines = [f"Nothing changed since the last push; the post is at {result.link}"]
    else:
        verb = "Pushed a new post" if result.created else "Updated the post"
        lines = [f"{verb} on {site_name} ({result.status}): {result.link}"]
    lines += [f"note: {n}" for n in result.notices]
    return "\n".join(lines) + "\n"


def _outcome_exit(outcome: JobOutcome, out: TextIO, args: argparse.Namespace) -> int:
    job = outcome.job
    if outcome.done:
        from app.publishing.jobs import PushResult

        result = PushResult.of_job(job)
        if args.json:
            write_json({"job": job.id, **result.to_json()}, out)
        else:
            out.write(_push_text(result, job.site_name))
        return 0
    message = str(outcome.error) if outcome.error else job.last_error
    if job.waiting_to_retry:
        sys.stderr.write(
            f"copydesk: {message} The push waits in the outbox as job {job.id} and is tried again "
            f"after {_when(job.next_attempt_at)} (copydesk outbox run).\n"
        )
        return EX_TEMPFAIL
    if job.error_kind == "conflict":
        message += " Use --keep-mine to replace the site's version, or --take-theirs to replace yours."
    sys.stderr.write(f"copydesk: {message}\n")
    return 1


def _schedule_refused(error: ScheduleTooSoonError, piece_id: int, site: str) -> int:
    sys.stderr.write(
        f"copydesk: {error.message}\n"
        f'  Publish it now:      copydesk push {piece_id} --site "{site}" --status publish\n'
        f'  Or pick a later time: copydesk push {piece_id} --site "{site}" --status future '
        "--at 2026-12-24T09:00\n"
    )
    return 1


def push(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    from app.publishing.guards import ScheduleTooSoonError

    remote = _remote(core)
    found = remote.sites.find(args.site)
    if args.at:
        core.pieces.save(core.pieces.get(args.id).copy(publish_at=parse_when(args.at)))
    try:
        remote.publisher.validate(args.id, found.id, args.status)
    except ScheduleTooSoonError as refused:  # nothing was sent: say how to choose
        return _schedule_refused(refused, args.id, found.name)
    if args.take_theirs:
        piece = remote.publisher.take_theirs(args.id, found.id)
        out.write(f"Piece {piece.id} now holds the version on {found.name}; yours is in its history.\n")
        return 0
    from app.publishing import OVERWRITE_ANY

    if args.as_new and remote.publisher.unlink(args.id, found.id):
        out.write(f"Forgot the post it was pushed to on {found.name}; pushing it as a new post.\n")
    job = remote.outbox.enqueue_push(
        args.id, found.id, status=args.status, overwrite=OVERWRITE_ANY if args.keep_mine else None
    )
    if args.queue:
        out.write(f"Queued as job {job.id}.\n")
        return 0
    return _outcome_exit(remote.worker().run_job(job.id, on_step=_step_writer), out, args)


# -- pull ----------------------------------------------------------------------------------------


def pull(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    remote = _remote(core)
    found = remote.sites.find(args.site)
    if args.post is not None:
        piece = remote.puller.import_post(found.id, args.post)
        if args.json:
            write_json({"id": piece.id, "title": piece.title, "post_id": args.post}, out)
        else:
            out.write(f"{piece.id}\n")
        return 0
    if args.limit is not None and args.limit < 1:
        raise InvalidInputError("--limit must be at least 1.")
    listing = remote.puller.list_posts(
        found.id, status=args.status, search=args.search or "", limit=args.limit
    )
    if args.json:
        write_json(
            [
                {"id": p.id, "title": p.title, "status": p.status, "modified_gmt": p.modified_gmt,
                 "link": p.link, "piece": listing.piece_of(p.id)}
                for p in listing.posts
            ],
            out,
        )  # fmt: skip
        return 0
    if not listing.posts:
        out.write("No posts.\n")
    for p in listing.posts:
        linked = listing.piece_of(p.id)
        mark = f"piece {linked}" if linked else ""
        out.write(f"{p.id:>6}  {p.status_label:<15}  {p.modified_gmt[:16]:<16}  {mark:<10}  {p.title}\n")
    return 0


# -- outbox ----------------------------------------------------------------------------------------


def _job_json(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "site": job.site_name,
        "piece_id": job.piece_id,
        "description": job.description,
        "state": job.state.value,
        "attempts": job.attempts,
        "next_attempt_at": job.next_attempt_at.isoformat(),
        "error": job.last_error or None,
        "error_kind": job.error_kind or None,
        "result": job.result or None,
    }


def _job_line(job: Job) -> str:
    state = job.state.label
    if job.waiting_to_retry:
        state = f"Retry at {_when(job.next_attempt_at)}"
    line = f"{job.id:>5}  {state:<22}  {job.description}"
    if job.last_error:
        line += f"\n       {job.last_error}"
    return line + "\n"


def outbox(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    from app.outbox.queue import JobState

    remote = _remote(core)
    action = args.outbox_action
    if action == "retry":
        remote.outbox.retry(args.job)
        out.write(f"Job {args.job} will be sent at the next `copydesk outbox run`.\n")
        return 0
    if action == "cancel":
        remote.outbox.cancel(args.job)
        out.write(f"Cancelled job {args.job}.\n")
        return 0
    if action == "run":
        outcomes = remote.worker().run_due(on_step=_step_writer)
        for outcome in outcomes:
            out.write(_job_line(outcome.job))
        if any(o.job.state == JobState.FAILED for o in outcomes):
            return 1
        return EX_TEMPFAIL if any(o.job.waiting_to_retry for o in outcomes) else 0
    jobs = remote.outbox.jobs() if args.all else remote.outbox.active()
    if args.json:
        write_json([_job_json(j) for j in jobs], out)
    elif not jobs:
        out.write("The outbox is empty.\n")
    else:
        for job in jobs:
            out.write(_job_line(job))
    return 0


HANDLERS: dict[str, Callable[[Any, argparse.Namespace, TextIO], int]] = {
    "site": site,
    "push": push,
    "unlink": unlink,
    "pull": pull,
    "outbox": outbox,
}
