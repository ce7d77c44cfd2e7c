"""What a moderation or a reply job leaves in the outbox, typed again when it is read.

:mod:`app.comments.jobs` returns :meth:`to_json` to the outbox worker, which keeps it with the job as
JSON; whoever reads a finished job (the command line, the desk) calls ``of_job``, never a string key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.errors import InvalidInputError
from app.outbox.data import Job

MODERATE = "comment.moderate"
REPLY_KIND = "comment.reply"
KINDS = (MODERATE, REPLY_KIND)


def _result(job: Job, kind: str) -> Mapping[str, Any]:
    if job.kind != kind:
        raise InvalidInputError(f"Job {job.id} is not a {kind} job.")
    return job.result


def _unreadable(kind: str, exc: Exception) -> InvalidInputError:
    return InvalidInputError(f"The stored result of a {kind} job cannot be read ({exc!r}).")


@dataclass(frozen=True)
class ModerationResult:
    status: str  # the comment's status on the site afterwards
    already: bool = False  # it was there already: nothing was sent
    notices: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "already": self.already, "notices": list(self.notices)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ModerationResult:
        try:
            return cls(
                status=str(data["status"]),
                already=bool(data.get("already", False)),
                notices=tuple(str(n) for n in data.get("notices", ())),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise _unreadable(MODERATE, exc) from None

    @classmethod
    def of_job(cls, job: Job) -> ModerationResult:
        return cls.from_json(_result(job, MODERATE))


@dataclass(frozen=True)
class ReplyResult:
    comment_id: int  # the reply's id on the site
    status: str
    found_again: bool  # an earlier attempt had posted it; it was not posted twice

    def to_json(self) -> dict[str, Any]:
        return {"comment_id": self.comment_id, "status": self.status, "found_again": self.found_again}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReplyResult:
        try:
            return cls(
                comment_id=int(data["comment_id"]),
                status=str(data["status"]),
                found_again=bool(data.get("found_again", False)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise _unreadable(REPLY_KIND, exc) from None

    @classmethod
    def of_job(cls, job: Job) -> ReplyResult:
        return cls.from_json(_result(job, REPLY_KIND))
