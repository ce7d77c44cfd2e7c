"""Everything that talks to remote sites, composed on one library: ``core.remote``.

It is built the first time ``core.remote`` is used, so commands that never go online do not import
``requests`` or touch the keyring.

    remote = core.remote   # or core.connect_remote(secrets=..., timeout=...)
    site, report = remote.sites.add("Gazette", "https://gazette.example", "ana", app_password)
    job = remote.outbox.enqueue_push(piece.id, site.id, status="pending")
    outcome = remote.worker().run_job(job.id, on_progress=...)   # or worker.serve() on a thread
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from app.checklist.jobs import ChecklistJobs
from app.cms.http import DEFAULT_TIMEOUT, UPLOAD_TIMEOUT
from app.comments.jobs import CommentJobs
from app.comments.store import CommentStore
from app.errors import InvalidInputError
from app.notes.jobs import NoteJobs
from app.notes.store import NoteStore
from app.outbox.data import JobState
from app.outbox.queue import Backoff, Outbox
from app.outbox.worker import JobOutcome, OutboxWorker
from app.pieces.data import PieceData
from app.publishing import LinkStore, Publisher, Puller, PushJobs
from app.sites.registry import SiteRegistry
from app.sites.secrets import SecretStore
from app.store.models import utcnow
from app.workflow.jobs import WorkflowDeps, WorkflowJobs
from app.workflow.store import WorkflowStore

if TYPE_CHECKING:
    from app.pieces.library import PieceLibrary
    from app.render.stored import ArticleRenderer
    from app.store import Database

log = logging.getLogger(__name__)


@dataclass
class RemoteServices:
    secrets: SecretStore
    sites: SiteRegistry
    links: LinkStore
    publisher: Publisher
    push_jobs: PushJobs
    puller: Puller
    outbox: Outbox
    comment_jobs: CommentJobs  # moderation and replies (app/comments)
    workflow_deps: WorkflowDeps  # what the review actions use (app/workflow)
    workflow_jobs: WorkflowJobs  # submit, return, approve (app/workflow)
    note_jobs: NoteJobs  # notes sent to the site (app/notes)
    checklist_jobs: ChecklistJobs  # an editor's override of the checklist (app/checklist)
    clock: Callable[[], datetime] = field(default=utcnow)

    def worker(self) -> OutboxWorker:
        """A worker that runs the outbox's jobs (one per thread that runs jobs)."""
        handlers = {
            **self.push_jobs.handlers(),
            **self.comment_jobs.handlers(),
            **self.workflow_jobs.handlers(),
            **self.note_jobs.handlers(),
            **self.checklist_jobs.handlers(),
        }
        return OutboxWorker(self.outbox, handlers, clock=self.clock)

    def send(self, job_ids: Sequence[int]) -> list[JobOutcome]:
        """Run these jobs now; those the site does not take now stay queued and are retried."""
        worker = self.worker()
        outcomes = []
        for job_id in job_ids:
            try:
                outcomes.append(worker.run_job(job_id))
            except InvalidInputError:
                continue  # no longer waiting: another worker took it, or it was cancelled
        return outcomes

    def send_due(self, kinds: Collection[str]) -> list[JobOutcome]:
        """Run the queued jobs of these *kinds* that are due, oldest first."""
        now = self.clock()
        due = [
            job.id
            for job in self.outbox.jobs([JobState.QUEUED])
            if job.kind in kinds and job.next_attempt_at <= now
        ]
        return self.send(sorted(due))

    def close(self) -> None:
        self.sites.close()


def open_remote(
    db: Database,
    pieces: PieceLibrary,
    articles: ArticleRenderer,
    *,
    byline: Callable[[], str],
    secrets: SecretStore | None = None,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    upload_timeout: tuple[float, float] = UPLOAD_TIMEOUT,
    backoff: Backoff | None = None,
    clock: Callable[[], datetime] = utcnow,
    machine: str = "",
) -> RemoteServices:
    secrets = secrets or SecretStore()
    sites = SiteRegistry(db, secrets, timeout=timeout, upload_timeout=upload_timeout)
    links = LinkStore(db)
    publisher = Publisher(
        db=db,
        pieces=pieces,
        articles=articles,
        sites=sites,
        links=links,
        clock=clock,
    )
    puller = Puller(
        pieces=pieces,
        sites=sites,
        links=links,
        # a pulled post keeps its own text: no default disclaimer or snippet is added to it
        new_piece=lambda: PieceData(byline=byline()),
    )
    outbox = Outbox(db, clock=clock, backoff=backoff)
    workflow = WorkflowDeps(
        pieces=pieces,
        store=WorkflowStore(db, clock=clock),
        outbox=outbox,
        sites=sites,
        links=links,
        publisher=publisher,
        machine=machine or socket.gethostname(),  # shown in the timeline: "from which machine"
        clock=clock,
    )
    return RemoteServices(
        secrets=secrets,
        sites=sites,
        links=links,
        publisher=publisher,
        push_jobs=PushJobs(publisher),
        puller=puller,
        outbox=outbox,
        comment_jobs=CommentJobs(db, CommentStore(db, clock=clock), outbox, sites, clock=clock),
        workflow_deps=workflow,
        workflow_jobs=WorkflowJobs(workflow),
        note_jobs=NoteJobs(NoteStore(db, clock=clock), sites, links, clock=clock),
        checklist_jobs=ChecklistJobs(sites, workflow.machine),
        clock=clock,
    )
