"""What every command prints with ``--json``: one JSON document, Unicode as it is, dates as text."""

from __future__ import annotations

import json
from typing import Any, TextIO


def write_json(payload: Any, out: TextIO) -> None:
    out.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
