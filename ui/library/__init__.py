"""Library feature of the main window."""
