"""Revisions feature of the main window."""
