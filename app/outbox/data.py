"""The outbox's plain values: a job and its state, and the backoff rule.

Kept apart from :mod:`app.outbox.queue` (which needs SQLAlchemy) so the window can show jobs without
loading the database layer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

PUSH = "push"
"""The kind of a push job (comment jobs name their own kinds in :mod:`app.comments.jobs`)."""


class JobState(StrEnum):
    QUEUED = "queued"
    IN_FLIGHT = "in_flight"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {
            "queued": "Waiting",
            "in_flight": "Sending",
            "done": "Done",
            "failed": "Failed",
            "cancelled": "Cancelled",
        }[self.value]


ACTIVE_STATES = (JobState.QUEUED, JobState.IN_FLIGHT, JobState.FAILED)


@dataclass(frozen=True)
class Backoff:
    base: float = 15.0  # seconds before the first retry
    factor: float = 2.0
    cap: float = 3600.0
    jitter: float = 0.1  # ± this fraction, so many clients do not come back at the same second

    def delay(self, attempts: int, retry_after: float | None = None) -> float:
        """Seconds to wait after the *attempts*-th failed attempt."""
        wait = min(self.cap, self.base * self.factor ** max(attempts - 1, 0))
        if self.jitter:
            wait *= 1 + random.uniform(-self.jitter, self.jitter)  # not cryptography
        return max(wait, retry_after or 0.0)


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    site_id: int
    site_name: str
    piece_id: int | None
    piece_title: str
    payload: dict[str, Any]
    state: JobState
    attempts: int
    next_attempt_at: datetime
    last_error: str
    error_kind: str  # "network", "busy", "lost", "conflict", "auth", "permission", ...
    result: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def waiting_to_retry(self) -> bool:
        return self.state == JobState.QUEUED and self.attempts > 0

    @property
    def description(self) -> str:
        if self.kind == PUSH:
            return f"Push “{self.piece_title or 'untitled'}” to {self.site_name}"
        if self.payload.get("label"):  # the kind's own words, e.g. "Approve the comment by Bevin"
            return f"{self.payload['label']} on {self.site_name}"
        return f"{self.kind} on {self.site_name}"
