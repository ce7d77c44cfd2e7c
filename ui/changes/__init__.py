"""Tracked changes in the window: the changes panel, the marks in the editor, the word merge."""
