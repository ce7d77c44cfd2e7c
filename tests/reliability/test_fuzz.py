"""Hypothesis fuzzing of what comes from outside: front matter, a post's HTML, the site's JSON.

Only :class:`~app.errors.CopydeskError` (a message for the user) may escape; anything else is a bug.
The runs are derandomized (the same examples each time) and kept small, so the suite stays fast and
never flaky.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cms.wordpress import comments as wp_comments
from app.cms.wordpress import parse as wp_parse
from app.errors import CopydeskError
from app.pieces import frontmatter
from app.publishing.to_markdown import html_to_markdown
from tests.reliability.conftest import FaultRecorder

FUZZ = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# JSON as a server could send it (non-finite numbers have their own test below)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
POST_KEYS = (
    "id", "title", "content", "excerpt", "status", "slug", "link", "date_gmt", "modified_gmt",
    "author", "categories", "tags", "featured_media", "comment_status", "meta", "source_url", "name",
    "post", "parent", "author_name", "author_url", "votes",
)  # fmt: skip
wp_objects = st.dictionaries(st.sampled_from(POST_KEYS), json_values, max_size=10)


def only_expected_errors(
    ledger: FaultRecorder, fault: str, call: Callable[[], object], example: object
) -> None:
    ledger.injected(fault)
    try:
        call()
    except CopydeskError as exc:
        assert "Traceback" not in str(exc)
    except Exception as exc:  # the bug this test looks for
        ledger.lost(fault, f"{type(exc).__name__} escaped for {str(example)[:80]!r}")
        raise


PARSERS = {
    "parse_post": wp_parse.parse_post,
    "post summary": wp_parse.parse_summary,
    "media": wp_parse.parse_media,
    "term": lambda data: wp_parse.parse_term(data, "category"),
    "parse_comment": wp_comments.parse_comment,
}


@FUZZ
@given(data=wp_objects | json_values, parser=st.sampled_from(sorted(PARSERS)))
def test_rest_parsers_raise_only_copydesk_errors(data: Any, parser: str, ledger: FaultRecorder) -> None:
    only_expected_errors(
        ledger, "fuzzed REST answers (parsers)", lambda: PARSERS[parser](data), (parser, data)
    )


@pytest.mark.parametrize("parser", sorted(PARSERS))
@pytest.mark.parametrize("number", [float("inf"), float("-inf"), float("nan")])
def test_rest_parsers_take_non_finite_numbers(parser: str, number: float, ledger: FaultRecorder) -> None:
    """A site answering ``{"id": 1e999}`` reaches the parsers as ``inf`` (requests' JSON)."""
    data = dict.fromkeys(("id", "post", "parent", "author", "featured_media"), number)
    only_expected_errors(
        ledger, "non-finite numbers in REST answers", lambda: PARSERS[parser](data), (parser, data)
    )


yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.dates()
    | st.datetimes(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=15,
)
front_matter = st.dictionaries(
    st.sampled_from(frontmatter.KNOWN_KEYS) | st.text(max_size=10), yaml_values, max_size=8
)


@FUZZ
@given(meta=front_matter, body=st.text(max_size=200))
def test_front_matter_import_raises_only_copydesk_errors(
    meta: dict[Any, Any], body: str, ledger: FaultRecorder
) -> None:
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    only_expected_errors(ledger, "fuzzed front matter (import)", lambda: frontmatter.parse(text), meta)


@FUZZ
@given(text=st.text(alphabet=st.sampled_from("-:*&!|>'\"{}[],#\n %@`?abc01\t"), max_size=120))
def test_front_matter_yaml_syntax_raises_only_copydesk_errors(text: str, ledger: FaultRecorder) -> None:
    document = "---\n" + text + "\n---\nBody.\n"
    only_expected_errors(
        ledger, "fuzzed front matter (import)", lambda: frontmatter.parse(document), text
    )


html_tokens = st.sampled_from(
    [
        "<p>", "</p>", "<div>", "</div>", "<!-- wp:paragraph -->", "<!-- /wp:paragraph -->",
        "<!-- copydesk:x -->", "<ul>", "<li>", "</ul>", "<table><tr><td>", "</td></tr></table>",
        "<a href='https://example.org'>", "</a>", "<img src=x>", "<pre><code>", "</code></pre>",
        "<h2>", "</h2>", "<aside class='cd-disclaimer'>", "</aside>", "<script>x</script>",
        "<br>", "&amp;", "&#0;", "&#xD800;", "<![CDATA[x]]>", "<", ">", "\n\n", "*", "_", "`",
        "words ", "é ", "\u202e", "\x00",
    ]
)  # fmt: skip


@FUZZ
@given(tokens=st.lists(html_tokens | st.text(max_size=8), max_size=40))
def test_html_to_markdown_never_raises(tokens: list[str], ledger: FaultRecorder) -> None:
    fragment = "".join(tokens)
    ledger.injected("fuzzed post HTML (pull to Markdown)")
    try:
        markdown = html_to_markdown(fragment)
    except Exception as exc:
        ledger.lost("fuzzed post HTML (pull to Markdown)", f"{type(exc).__name__} for {fragment[:60]!r}")
        raise
    assert isinstance(markdown, str)


def test_json_infinity_is_what_requests_gives() -> None:
    """The fuzzed numbers are real: a site's ``1e999`` reaches the parsers as ``inf``."""
    assert json.loads('{"id": 1e999}')["id"] == float("inf")
