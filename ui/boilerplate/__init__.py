"""Boilerplate feature of the main window."""
