"""Metadata feature of the main window."""
