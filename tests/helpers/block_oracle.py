"""PHP's own ``parse_blocks()`` (WordPress's default block parser, run by php-cli) as a test oracle."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

PARSER = Path("/usr/share/wordpress/wp-includes/class-wp-block-parser.php")
_SCRIPT = """<?php
require $argv[1];
$documents = json_decode(stream_get_contents(STDIN), true);
$parser = new WP_Block_Parser();
$out = array();
foreach ($documents as $document) {
    $out[] = $parser->parse($document);
}
echo json_encode($out);
"""


def php_parse_blocks(documents: list[str]) -> list[list[dict[str, Any]]]:
    """Each document parsed by WordPress's PHP parser, as JSON-decoded ``parse_blocks()`` output."""
    if not PARSER.is_file():
        raise RuntimeError(f"{PARSER} is missing: run scripts/install-test-services as root")
    result = subprocess.run(
        ["php", "-r", _SCRIPT.removeprefix("<?php\n"), str(PARSER)],
        input=json.dumps(documents).encode(),
        capture_output=True,
        check=False,
        timeout=120,
    )
    if result.returncode != 0:
        raise RuntimeError(f"php failed: {result.stderr.decode(errors='replace')[-2000:]}")
    parsed: list[list[dict[str, Any]]] = json.loads(result.stdout)
    return parsed


def normalise(value: Any) -> Any:
    """PHP's arrays as JSON: an empty object and an empty list are the same thing there."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()} if value else []
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value
