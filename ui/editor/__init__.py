"""Editor feature of the main window."""
