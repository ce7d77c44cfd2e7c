"""Editorial notes anchored to passages of a piece (issue 11): anchoring, the local store, sync through
the companion plugin, and the service the CLI and the window use (``core.notes``)."""
