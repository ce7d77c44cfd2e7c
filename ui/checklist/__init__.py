"""The pre-publish checklist in the window: its status, the per-site dialog, the confirmation."""
