"""The exceptions that carry an expected failure to the user.

Every subclass of :class:`CopydeskError` has a message written for a columnist: what happened and, where
it helps, what to do next. Anything else that escapes is a bug and goes to the crash dialog.
"""

from __future__ import annotations


class CopydeskError(Exception):
    """An expected failure with a message fit to show to the user as it is."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class NotFoundError(CopydeskError):
    """Something the user named (a piece, a disclaimer, a file) does not exist."""


class InvalidInputError(CopydeskError):
    """Input that cannot be used as it is: malformed front matter, a bad date, an empty name."""


class StorageError(CopydeskError):
    """The local library could not be read or written.

    *cause*, when known, says why, for code that acts on it: ``"read-only"`` (the folder cannot be
    written to), ``"read-only file"``, ``"full"`` (no room on the disk), ``"io"`` (the disk reported an
    input/output error), ``"locked"`` (another program holds it). The message names the cause and the
    hint what to do, in words that fit the command line and the window alike: neither says where the
    user's text is now (the window adds that, for the text it holds).
    """

    def __init__(self, message: str, *, hint: str = "", cause: str = "") -> None:
        super().__init__(message, hint=hint)
        self.cause = cause


class CorruptLibraryError(StorageError):
    """The library file exists but is not a readable SQLite database of ours."""

    def __init__(self, message: str, *, path: str, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.path = path


class LibraryLockedError(StorageError):
    """Another process holds the library for writing longer than we are willing to wait."""


class SettingsError(CopydeskError):
    """An unknown setting, or a value of the wrong type."""


class SecretsError(CopydeskError):
    """The operating system keyring is missing, locked, or refused us."""


class NetworkError(CopydeskError):
    """The site could not be reached: no network, DNS failure, timeout, connection refused."""


class AuthError(CopydeskError):
    """The site refused the credentials."""


class PermissionDenied(CopydeskError):
    """The credentials work, but the user's role does not allow the action."""


class ConflictError(CopydeskError):
    """The remote copy changed since the last sync; nothing was overwritten."""


class RemoteError(CopydeskError):
    """The site answered with an error that retrying will not fix."""

    def __init__(self, message: str, *, status: int = 0, code: str = "", hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.code = code
