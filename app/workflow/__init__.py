"""The editorial workflow through the site: submit, the review queue, return, approve, schedule.

- :mod:`app.workflow.service` — :class:`WorkflowService`, composed on a library as ``core.workflow``
- :mod:`app.workflow.roles` — roles from capabilities, what each may do, WordPress's 60-second rule
- :mod:`app.workflow.jobs` — the review actions as outbox jobs (``review.submit``, ``review.return``,
  ``review.approve``)
- :mod:`app.workflow.sync` — pieces sync: status and the editor's text back from the site
- :mod:`app.workflow.calendar` — the calendar and the missed-schedule watchdog (offline)
- :mod:`app.workflow.store` — the tables: timeline, review states, the cached review queue
- :mod:`app.workflow.data` — the plain values that cross threads
- :mod:`app.cms.wordpress.review` — the REST calls (WordPress's and the companion plugin's)

docs/workflow.md describes the design.
"""
