"""Hostile comment HTML comes out safe to look at, with its words and its links' real targets."""

from __future__ import annotations

import html
import re

import pytest

from app.comments.sanitize import comment_html, has_hidden, image_urls, plain_text, reveal

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


BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
        "\u200e", "\u200f", "\u061c"]  # fmt: skip
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


@pytest.mark.parametrize("char", BIDI + ZERO_WIDTH, ids=lambda c: f"U+{ord(c):04X}")
def test_every_bidi_control_and_zero_width_character_is_shown_as_a_marker(char: str) -> None:
    mark = f"⟨U+{ord(char):04X}⟩"
    assert reveal(f"Bob{char}gnp.exe") == f"Bob{mark}gnp.exe"
    shown = comment_html(
        f"<p>Trusted{char}Editor <a href='https://evil.example/a{char}b'>go</a>"
        f"<img src='https://pics.example/x.png' alt='x{char}y'></p>"
    )
    assert char not in html.unescape(re.sub(r'href="[^"]*"', "", shown))  # only the link keeps it
    span = re.escape(f"{mark}</span>")
    assert re.search(r'Trusted<span class="hidden-char" title="[^"]+">' + span + "Editor", shown)
    assert f'title="https://evil.example/a{mark}b"' in shown  # the link target, revealed
    assert '<span class="link-target">(https://evil.example/a<span class="hidden-char"' in shown
    assert re.search("— x<span [^>]+>" + span + "y]", shown)  # the picture's words
    assert f'href="https://evil.example/a{char}b"' in shown  # the link itself is not changed


def test_the_marker_names_the_character_and_plain_text_keeps_it_for_storage() -> None:
    shown = comment_html("<p>\u202eTrusted Editor</p>")
    assert shown == (
        '<p><span class="hidden-char" title="Right-To-Left Override">⟨U+202E⟩</span>Trusted Editor</p>'
    )
    stored = plain_text("<p>\u202eTrusted <a href='https://x.example/'>x.example</a>\u2066</p>")
    assert stored == "\u202eTrusted x.example\u2066"
    assert has_hidden(stored) and not has_hidden(reveal(stored))


@pytest.mark.parametrize(
    "text",
    [
        "مرحبا بالعالم — שלום עולם",
        "می‌خواهم",  # Persian: the non-joiner is part of the spelling
        "क्‍ष",  # Devanagari: the joiner asks for a half form
        "a family 👨‍👩‍👧 and 🏳️‍🌈",
    ],
)
def test_scripts_and_emoji_that_need_joiners_are_left_alone(text: str) -> None:
    assert reveal(text) == text
    assert comment_html(f"<p>{text}</p>") == f"<p>{text}</p>"


def test_a_joiner_between_latin_letters_is_shown() -> None:
    assert reveal("pay‍pal ‌x") == "pay⟨U+200D⟩pal ⟨U+200C⟩x"
