"""The block parser against PHP's ``parse_blocks()`` on the corpus of real-looking block posts."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from app.blocks.parser import Block, parse_blocks
from tests.helpers.block_oracle import normalise, php_parse_blocks

CORPUS = Path(__file__).resolve().parents[2] / "data" / "blocks"


def corpus() -> dict[str, str]:
    return {path.stem: path.read_bytes().decode("utf-8") for path in sorted(CORPUS.glob("*.html"))}


def test_the_corpus_has_at_least_thirty_posts() -> None:
    assert len(corpus()) >= 30


def test_parser_agrees_with_php_on_every_corpus_post() -> None:
    posts = corpus()
    expected = php_parse_blocks(list(posts.values()))
    for (name, text), php in zip(posts.items(), expected, strict=True):
        mine = normalise([block.as_php() for block in parse_blocks(text)])
        assert mine == normalise(php), name


def test_parser_agrees_with_php_on_cut_and_spliced_posts() -> None:
    """Broken markup (cut anywhere, pieces of two posts spliced) splits as PHP splits it."""
    rng = random.Random(12)
    texts = list(corpus().values())
    documents = []
    for _ in range(400):
        a, b = rng.choice(texts), rng.choice(texts)
        documents.append(a[: rng.randrange(len(a) + 1)] + b[rng.randrange(len(b) + 1) :])
    documents += [
        "",
        "0",
        "<!-- wp:x -->0<!-- /wp:x -->",
        "<!-- wp:a {bad json} -->x<!-- /wp:a -->",
        '<!-- wp:p {"a":1} /--><!-- /wp:p {"a":1} -->',
        "<!-- wp:A -->upper<!-- /wp:A -->",
        "<!--wp:p -->no space<!-- /wp:p -->",
        "<!-- wp:p\u00a0-->nbsp<!-- /wp:p -->",
    ]
    expected = php_parse_blocks(documents)
    for document, php in zip(documents, expected, strict=True):
        mine = normalise([block.as_php() for block in parse_blocks(document)])
        assert mine == normalise(php), repr(document[:200])


def _spans_cover(text: str, blocks: list[Block]) -> None:
    position = 0
    for block in blocks:
        assert block.start == position
        position = block.end
    assert position == len(text)


@pytest.mark.parametrize("name", sorted(corpus()))
def test_top_level_blocks_cover_the_document_end_to_end(name: str) -> None:
    text = corpus()[name]
    _spans_cover(text, parse_blocks(text))
