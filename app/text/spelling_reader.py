"""A spylls line reader over bytes already in memory.

spylls's own ``FileReader`` opens the dictionary files and never closes them; reading the bytes
ourselves keeps file handles from leaking. Imported only when a dictionary is loaded.
"""

from __future__ import annotations

import io

from spylls.hunspell.readers.file_reader import BaseReader


class MemoryReader(BaseReader):  # type: ignore[misc]
    def __init__(self, data: bytes, encoding: str = "Windows-1252") -> None:
        self._data = data
        super().__init__(self._decode(encoding))

    def reset_encoding(self, encoding: str) -> None:
        self.reset_io(self._decode(encoding))

    def _decode(self, encoding: str) -> io.StringIO:
        return io.StringIO(self._data.decode(encoding, errors="surrogateescape"))
