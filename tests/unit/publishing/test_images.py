from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import InvalidInputError
from app.publishing.images import find_images, local_path, rewrite_images
from app.render import render_markdown
from tests.helpers.pictures import write_png


def test_find_images_in_rendered_html(tmp_path: Path) -> None:
    one = write_png(tmp_path / "My Photo.PNG")
    two = write_png(tmp_path / "b.png", 10, 10)
    featured = write_png(tmp_path / "f.png", 20, 20)
    html = render_markdown(
        f"![First & best]({one})\n\n![Web](https://example.org/x.jpg)\n\n![Again]({one})\n\n![B]({two})\n"
    )
    images = find_images(html, str(featured))
    assert [i.path for i in images.body] == [one, two]
    assert images.body[0].alt == "First & best"
    assert images.featured is not None and images.featured.path == featured
    assert [i.path for i in images.all] == [featured, one, two]
    upload = images.body[0].upload()
    assert upload.filename == "my-photo.png" and upload.mime_type == "image/png"
    assert upload.slug == f"copydesk-{images.body[0].sha256[:32]}" and upload.size == one.stat().st_size
    assert images.warnings == ()


def test_missing_and_unusable_images_stop_the_push(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    html = render_markdown(f"![a]({tmp_path / 'gone.png'})\n\n![b]({text})\n")
    with pytest.raises(InvalidInputError) as bad:
        find_images(html, str(tmp_path / "nofeature.jpg"))
    message = bad.value.message
    assert "gone.png does not exist" in message and "notes.txt is not a kind of image" in message
    assert "The featured image" in message and "nofeature.jpg does not exist" in message


def test_relative_images_and_web_featured_images(tmp_path: Path) -> None:
    images = find_images(render_markdown("![a](images/a.png)\n"), "https://example.org/f.jpg")
    assert images.body == () and images.featured is None
    assert images.featured_url == "https://example.org/f.jpg"
    assert images.warnings == (
        "The image “images/a.png” has no full path or web address; it will not show on the site.",
    )
    with pytest.raises(InvalidInputError, match="needs a full path"):
        find_images("", "images/f.png")


def test_rewrite_images(tmp_path: Path) -> None:
    one = write_png(tmp_path / "a b.png")
    html = render_markdown(f"![A]({one})\n\n![W](https://example.org/x.jpg)\n")
    rewritten = rewrite_images(html, {str(one): "https://gazette.example/up/a-b.png?v=1&x=2"})
    assert 'src="https://gazette.example/up/a-b.png?v=1&amp;x=2"' in rewritten
    assert 'src="https://example.org/x.jpg"' in rewritten and "file:" not in rewritten


def test_local_path() -> None:
    assert local_path("file:///tmp/a%20b.png") == Path("/tmp/a b.png")
    assert local_path("/tmp/x.png") == Path("/tmp/x.png")
    assert local_path("https://example.org/x.png") is None
    assert local_path("images/x.png") is None
