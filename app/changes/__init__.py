"""Tracked changes: what the other side changed since a base version, word by word, accepted or
rejected one by one; and the three-way merge when both sides edited (no Qt here)."""
