"""An editor's override of the checklist, sent to the site as an outbox job (``checklist.override``):
the companion plugin records it (who, when, the reason) and lets the post be published or scheduled
with required items unmet. Queued before the approval it allows, so it is sent first."""

from __future__ import annotations

from typing import Any

from app.checklist.config import OVERRIDE
from app.cms.wordpress.notes import NotesApi
from app.outbox.queue import Job
from app.outbox.worker import JobContext, JobHandler
from app.sites.registry import SiteRegistry


class ChecklistJobs:
    def __init__(self, sites: SiteRegistry, machine: str) -> None:
        self._sites = sites
        self._machine = machine

    def handlers(self) -> dict[str, JobHandler]:
        return {OVERRIDE: self.run_override}

    def run_override(self, job: Job, context: JobContext) -> dict[str, Any]:
        post_id = int(job.payload.get("post_id") or 0)
        context.step("Recording the checklist override")
        api = NotesApi(self._sites.client(job.site_id))
        api.override(post_id, reason=str(job.payload.get("reason", "")), machine=self._machine)
        return {"post_id": post_id}
