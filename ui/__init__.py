"""Copydesk's Qt user interface. Imports ``app``; ``app`` never imports this package."""
