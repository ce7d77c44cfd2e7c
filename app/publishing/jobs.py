"""A push as an outbox job: its result, kept as JSON with the job and typed again when read.

The outbox worker calls :meth:`PushJobs.run` for each job of kind :data:`app.outbox.data.PUSH`; what
it returns is stored in the jobs table, and whoever reads a finished job (the Push dialog, the command
line) turns it back into a :class:`PushResult` with :meth:`PushResult.of_job`, never by string key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from app.cms.base import Progress
from app.errors import InvalidInputError, NotFoundError
from app.outbox.data import PUSH, Job
from app.outbox.worker import JobContext, JobHandler
from app.sites import statuses


@dataclass(frozen=True)
class PushResult:
    piece_id: int
    site_id: int
    post_id: int
    link: str
    status: str  # on the site, after the push
    created: bool  # a new post was made
    unchanged: bool  # nothing had changed, nothing was sent
    uploaded: int  # images uploaded now
    reused_images: int  # images the site had already
    notices: tuple[str, ...]
    requests: int  # HTTP requests this push made

    @property
    def status_label(self) -> str:
        return statuses.label(self.status)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "notices": list(self.notices)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PushResult:
        """The result as :meth:`to_json` stored it."""
        try:
            return cls(
                piece_id=int(data["piece_id"]),
                site_id=int(data["site_id"]),
                post_id=int(data["post_id"]),
                link=str(data["link"]),
                status=str(data["status"]),
                created=bool(data["created"]),
                unchanged=bool(data["unchanged"]),
                uploaded=int(data.get("uploaded", 0)),
                reused_images=int(data.get("reused_images", 0)),
                notices=tuple(str(n) for n in data.get("notices", ())),
                requests=int(data.get("requests", 0)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInputError(f"The stored result of a push cannot be read ({exc!r}).") from None

    @classmethod
    def of_job(cls, job: Job) -> PushResult:
        """The result of a finished push job."""
        if job.kind != PUSH:
            raise InvalidInputError(f"Job {job.id} is not a push.")
        return cls.from_json(job.result)


class Pusher(Protocol):
    """What runs a push (:class:`app.publishing.push.Publisher`)."""

    def push(
        self,
        piece_id: int,
        site_id: int,
        *,
        status: str | None = None,
        overwrite: str | None = None,
        progress: Progress | None = None,
        on_step: Callable[[str], None] | None = None,
    ) -> PushResult: ...


class PushJobs:
    """Runs push jobs for the outbox worker."""

    def __init__(self, publisher: Pusher) -> None:
        self._publisher = publisher

    def handlers(self) -> dict[str, JobHandler]:
        return {PUSH: self.run}

    def run(self, job: Job, context: JobContext) -> dict[str, Any]:
        if job.piece_id is None:
            raise NotFoundError("The piece of this push no longer exists.")
        status = job.payload.get("status")
        overwrite = job.payload.get("overwrite")
        result = self._publisher.push(
            job.piece_id,
            job.site_id,
            status=str(status) if status else None,
            overwrite=str(overwrite) if overwrite else None,
            progress=context.progress,
            on_step=context.step,
        )
        return result.to_json()
