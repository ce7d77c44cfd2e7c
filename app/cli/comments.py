"""The command line of the comment desk: ``copydesk comments sync|list|moderate|reply``.

Hooked into :mod:`app.cli.main` like :mod:`app.cli.remote`. Comment ids are the library's own (the ones
``comments list`` prints). Exit status: 0 done; 1 a failure, one line on standard error (bad input
changes nothing); 75 when the site could not be reached and the action waits in the outbox.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

from app.cli.output import write_json
from app.errors import InvalidInputError

if TYPE_CHECKING:
    from app.comments import CommentData, ThreadNode
    from app.comments.service import CommentService
    from app.outbox.worker import JobOutcome

EX_TEMPFAIL = 75
ACTIONS = ("approve", "hold", "spam", "trash", "restore")
PREVIEW = 160  # characters of a comment's text in the listing


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("comments", help="reader comments: sync, list, moderate, reply")
    actions = p.add_subparsers(dest="comments_action", metavar="ACTION", required=True)

    sync = actions.add_parser("sync", help="bring the comments of a site (or of every site) up to date")
    sync.add_argument("--site", metavar="NAME", help="only this site (default: every site)")
    sync.add_argument("--full", action="store_true", help="fetch everything again")
    sync.add_argument("--json", action="store_true")

    lst = actions.add_parser("list", help="a piece's comments as threads, or every stored comment")
    lst.add_argument("piece", nargs="?", type=int, metavar="PIECE_ID")
    lst.add_argument("--site", metavar="NAME", help="with --post: the site of the post")
    lst.add_argument("--post", type=int, metavar="ID", help="a post of the site (pushed or not)")
    lst.add_argument("--sort", default="newest", help="newest (default), oldest or votes")
    lst.add_argument("--status", help="approved, hold, spam or trash (default: approved and held)")
    lst.add_argument("--search", metavar="WORDS", help="full-text search")
    lst.add_argument("--json", action="store_true")

    mod = actions.add_parser("moderate", help="approve, hold, spam, trash or restore comments")
    mod.add_argument("ids", nargs="+", type=int, metavar="COMMENT_ID")
    for name in ACTIONS:
        mod.add_argument(f"--{name}", dest="action", action="store_const", const=name)
    mod.add_argument("--queue", action="store_true", help="only queue it; `outbox run` sends it")

    rep = actions.add_parser("reply", help="answer a comment (Markdown, from --text or standard input)")
    rep.add_argument("id", type=int, metavar="COMMENT_ID")
    rep.add_argument("--text", help="the reply in Markdown (default: standard input)")
    rep.add_argument("--queue", action="store_true", help="only queue it; `outbox run` sends it")
    rep.add_argument("--json", action="store_true")


def _desk(core: Any) -> CommentService:
    desk: CommentService = core.comments
    return desk


# -- sync ------------------------------------------------------------------------------------------


def _sync(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    desk = _desk(core)
    if args.site:
        site = core.remote.sites.find(args.site)
        desk.send_due()
        reports = [desk.sync(site.id, full=args.full)]
        errors: list[tuple[str, Exception]] = []
    else:
        outcome = desk.sync_all(full=args.full)
        reports, errors = list(outcome.reports), list(outcome.errors)
        if not reports and not errors:
            raise InvalidInputError("There are no sites. Add one with: copydesk site add")
    if args.json:
        write_json(
            {
                "sites": [
                    {"site": r.site_name, "full": r.full, "fetched": r.fetched, "added": r.added,
                     "changed": r.changed, "removed": r.removed, "requests": r.requests,
                     "scope": r.scope, "votes": r.votes}
                    for r in reports
                ],
                "errors": [{"site": name, "error": str(exc)} for name, exc in errors],
            },
            out,
        )  # fmt: skip
    else:
        for report in reports:
            out.write(f"{report.summary} ({report.requests} requests)\n")
    for name, exc in errors:
        sys.stderr.write(f"copydesk: {name}: {exc}\n")
    return 1 if errors else 0


# -- list ------------------------------------------------------------------------------------------


def _walk(roots: tuple[ThreadNode, ...]) -> Iterator[tuple[int, CommentData]]:
    stack = [(0, node) for node in reversed(roots)]
    while stack:
        depth, node = stack.pop()
        yield depth, node.comment
        stack.extend((depth + 1, child) for child in reversed(node.children))


def _comment_json(comment: CommentData, depth: int) -> dict[str, Any]:
    from app.comments.sanitize import comment_html

    return {
        "id": comment.id,
        "remote_id": comment.remote_id,
        "post_id": comment.post_id,
        "post": comment.post_title,
        "parent_id": comment.parent_id,
        "reply_to": comment.parent_author or None,
        "depth": depth,
        "author": comment.author_name,
        "date": comment.date.isoformat(),
        "status": comment.shown_status,
        "site_status": comment.status,
        "pending": comment.pending or None,
        "problem": comment.problem or None,
        "new": comment.new,
        "votes": comment.votes,
        "text": comment.text,
        "html": comment_html(comment.html),
        "link": comment.link,
    }


def _comment_text(comment: CommentData, depth: int, *, with_post: bool) -> str:
    pad = "  " * depth
    when = comment.date.astimezone().strftime("%Y-%m-%d %H:%M")
    head = [f"#{comment.id}", comment.author_name or "Anonymous"]
    if comment.parent_author:
        head[-1] += f" (reply to {comment.parent_author})"
    details = [when, comment.status_label]
    if comment.votes:
        details.append(f"{comment.votes} votes")
    if comment.pending:
        details.append(comment.pending_label.lower())
    if comment.new:
        details.append("new")
    if with_post and comment.post_title:
        details.append(f"on “{comment.post_title}”")
    text = " ".join(comment.text.split())
    if len(text) > PREVIEW:
        text = text[: PREVIEW - 1].rstrip() + "…"
    lines = [f"{pad}{'  '.join(head)} · {' · '.join(details)}", f"{pad}    {text}"]
    if comment.problem:
        lines.append(f"{pad}    !! {comment.problem}")
    return "\n".join(lines) + "\n"


def _list(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    from app.comments import SortKey

    desk = _desk(core)
    try:
        sort = SortKey(args.sort)
    except ValueError:
        raise InvalidInputError(
            f"“{args.sort}” is not a sort order; use newest, oldest or votes."
        ) from None
    search = args.search or ""
    if args.post is not None:
        if not args.site:
            raise InvalidInputError("Give the site of the post with --site NAME.")
        site = core.remote.sites.find(args.site)
        thread = desk.thread_for_post(site.id, args.post, sort=sort, status=args.status, search=search)
    elif args.piece is not None:
        core.pieces.get(args.piece)  # a piece that does not exist is an error, not an empty list
        thread = desk.thread_for_piece(args.piece, sort=sort, status=args.status, search=search)
    else:
        from app.comments.threads import sort_flat

        if sort is SortKey.VOTES:
            raise InvalidInputError("Sort by votes one piece or post at a time (give PIECE_ID).")
        found = desk.comments(status=args.status, search=search)
        return _print([(0, c) for c in sort_flat(found, sort)], args, out, with_post=True)
    return _print(list(_walk(thread.roots)), args, out, with_post=False)


def _print(
    rows: list[tuple[int, CommentData]], args: argparse.Namespace, out: TextIO, *, with_post: bool
) -> int:
    if args.json:
        write_json([_comment_json(c, depth) for depth, c in rows], out)
    elif not rows:
        out.write("No comments.\n")
    else:
        for depth, comment in rows:
            out.write(_comment_text(comment, depth, with_post=with_post))
    return 0


# -- moderate and reply ----------------------------------------------------------------------------


def _outcomes(outcomes: list[JobOutcome], out: TextIO, done: Callable[[JobOutcome], str]) -> int:
    code = 0
    for outcome in outcomes:
        job = outcome.job
        if outcome.done:
            out.write(done(outcome))
        elif job.waiting_to_retry:
            when = job.next_attempt_at.astimezone().strftime("%H:%M")
            sys.stderr.write(
                f"copydesk: {job.last_error} “{job.description}” waits in the outbox as job {job.id} "
                f"and is tried again after {when} (copydesk outbox run).\n"
            )
            code = max(code, EX_TEMPFAIL) if code != 1 else 1
        else:
            sys.stderr.write(f"copydesk: {job.last_error}\n")
            code = 1
    return code


def _moderate(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    from app.comments import Action

    if args.action is None:
        raise InvalidInputError(f"Say what to do: --{', --'.join(ACTIONS)}.")
    desk = _desk(core)
    action = Action(args.action)
    jobs = desk.moderate(args.ids, action)
    if args.queue:
        out.write(f"Queued as job {', '.join(str(j.id) for j in jobs)}.\n")
        return 0

    def done(outcome: JobOutcome) -> str:
        from app.comments.data import STATUS_LABELS
        from app.comments.results import ModerationResult

        payload = outcome.job.payload
        result = ModerationResult.of_job(outcome.job)
        what = "already" if result.already else "now"
        status = STATUS_LABELS.get(result.status, result.status)
        notes = "".join(f"note: {notice}\n" for notice in result.notices)
        return (
            f"The comment by {payload.get('author')} (#{payload.get('comment')}) is {what} "
            f"“{status}”.\n{notes}"
        )

    return _outcomes(desk.send([j.id for j in jobs]), out, done)


def _reply(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    text = args.text
    if text is None:
        if sys.stdin.isatty():
            raise InvalidInputError("Give the reply with --text TEXT or on standard input.")
        text = sys.stdin.read()
    desk = _desk(core)
    reply, job = desk.reply(args.id, text)
    if args.queue:
        out.write(f"Queued as job {job.id}; the reply is #{reply.id}.\n")
        return 0

    def done(outcome: JobOutcome) -> str:
        if args.json:
            from app.comments.results import ReplyResult

            result = ReplyResult.of_job(outcome.job).to_json()
            return json.dumps({"id": reply.id, "job": job.id, **result}) + "\n"
        return f"Replied (#{reply.id}): {desk.get(reply.id).link}\n"

    return _outcomes(desk.send([job.id]), out, done)


def comments(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    handler = {"sync": _sync, "list": _list, "moderate": _moderate, "reply": _reply}
    return handler[args.comments_action](core, args, out)


HANDLERS: dict[str, Callable[[Any, argparse.Namespace, TextIO], int]] = {"comments": comments}
