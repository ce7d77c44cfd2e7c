"""Hostile comment HTML comes out safe to look at, with its words and its links' real targets."""

from __future__ import annotations

import pytest

from app.comments.sanitize import comment_html, image_urls, plain_text

HOSTILE = (
    '<p>Hi<script>document.title="x"</script> <b onmouseover="steal()">there</b></p>'
    '<img src="https://track.example/pixel.gif?u=1" width="1" height="1" onerror="alert(1)">'
    '<p><a href="javascript:alert(document.cookie)">win a prize</a> '
    '<a href="https://evil.example/login">https://bank.example/login</a> '
    '<a href="https://data.example.gov/routes">data.example.gov</a></p>'
    '<style>p { display: none }</style><iframe src="https://evil.example/"></iframe>'
    '<p style="position:fixed" class="x" id="y">styled</p>'
    '<img src="data:image/png;base64,AAAA"><svg onload="alert(1)"><circle/></svg>'
    "<form action='https://evil.example'><input name=p></form>"
)


def test_scripts_handlers_styles_frames_and_forms_are_gone() -> None:
    cleaned = comment_html(HOSTILE).lower()
    gone = ("<script", "onerror", "onmouseover", "onload", "javascript:", "<style", "<iframe",
            "style=", "<svg", "<form", "<input", "data:", "document.title", 'class="x"',
            "id=")  # fmt: skip
    for bad in gone:
        assert bad not in cleaned, bad
    assert "<b>there</b>" in cleaned


def test_pictures_become_placeholders_until_asked_for() -> None:
    cleaned = comment_html(HOSTILE)
    assert "<img" not in cleaned
    assert (
        '<a class="image" href="copydesk-image:0" title="https://track.example/pixel.gif?u=1">'
        "[image: track.example]</a>"
    ) in cleaned
    assert image_urls(HOSTILE) == ["https://track.example/pixel.gif?u=1"]
    shown = comment_html(HOSTILE, images={"https://track.example/pixel.gif?u=1": 1})
    assert '<img src="https://track.example/pixel.gif?u=1" alt="" width="1">' in shown


def test_links_show_their_real_target() -> None:
    cleaned = comment_html(HOSTILE)
    # deceptive words: the real host follows them, and the title holds the whole address
    assert (
        '<a href="https://evil.example/login" title="https://evil.example/login">'
        'https://bank.example/login</a> <span class="link-target">(evil.example)</span>'
    ) in cleaned
    # words that already name the host get nothing more
    assert "data.example.gov</a> <span" not in cleaned
    # a javascript: link keeps its words, loses its target, and says so
    assert 'win a prize</span> <span class="link-target">[unsafe link removed]</span>' in cleaned


@pytest.mark.parametrize(
    "text",
    [
        "Café crème, naïve façade — ça va?",
        "Te reo Māori: kia ora, whānau, tēnā koe.",
        "עברית: זו תגובה מימין לשמאל.",
        "العربية: هذا تعليق",
        "Emoji 🎉🙂👍🏽 and a flag 🇳🇿, a ZWJ family 👨‍👩‍👧.",
        "Less < more & “quotes” ‘too’",
    ],
)
def test_unicode_comes_through_intact(text: str) -> None:
    import html

    fragment = f"<p>{html.escape(text)}</p>"
    assert html.unescape(comment_html(fragment)) == f"<p>{text}</p>"
    assert plain_text(fragment) == text


def test_plain_text_keeps_paragraphs_and_shows_hosts() -> None:
    text = plain_text(HOSTILE)
    assert text.splitlines()[0] == "Hi there"
    assert "https://bank.example/login (evil.example)" in text
    assert "[image: track.example]" in text
    assert "document.title" not in text and "display: none" not in text


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "file:///etc/passwd", "data:image/png;base64,AAAA", "ftp://x.example/a"],
)
def test_only_web_pictures_can_be_fetched(url: str) -> None:
    from app.comments.images import fetch_image
    from app.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="Only pictures on the web"):
        fetch_image(url)
