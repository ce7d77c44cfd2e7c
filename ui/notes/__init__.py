"""Notes on passages in the window: the panel, the editor's highlights, the controller."""
