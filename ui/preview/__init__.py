"""Preview feature of the main window."""
