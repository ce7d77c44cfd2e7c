"""Push sends only files the user chose or that sit in an imported piece's own folder (defect 5).

Against the real WordPress: a file named with ``../`` out of the folder, an absolute path, raw HTML,
a featured image outside, and a picture swapped for a symlink after the import are all refused with a
message naming the file, nothing of theirs reaches the media library, and the outbox job fails for
good instead of retrying.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core import Core
from app.errors import InvalidInputError
from app.outbox.data import JobState
from app.pieces.data import PieceData
from app.remote import RemoteServices
from tests.helpers.pictures import write_png
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import AddSite

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


def media_names(wp: WordPressServer) -> list[str]:
    media = wp.rest("GET", "/wp/v2/media", params={"per_page": 100})
    assert isinstance(media, list)
    return [str(m["source_url"]).rsplit("/", 1)[-1] for m in media]


def import_file(core: Core, folder: Path, text: str) -> PieceData:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "piece.md"
    source.write_text(text, encoding="utf-8")
    return core.import_markdown(source)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """``outside/private/passport-scan.png`` beside ``desk/pieces/bus/`` (the imported piece)."""
    write_png(tmp_path / "outside" / "private" / "passport-scan.png", 40, 30, (200, 0, 0))
    (tmp_path / "desk" / "pieces" / "bus" / "img").mkdir(parents=True)
    return tmp_path


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: Buses\n---\n\n![x](../../../outside/private/passport-scan.png)\n",
        "---\ntitle: Buses\n---\n\n![x]({root}/outside/private/passport-scan.png)\n",
        '---\ntitle: Buses\n---\n\n<img src="file://{root}/outside/private/passport-scan.png">\n',
        "---\ntitle: Buses\n---\n\n![x][p]\n\n[p]: {root}/outside/private/passport-scan.png\n",
        "---\ntitle: Buses\nfeatured_image: ../../../outside/private/passport-scan.png\n---\n\nHi.\n",
    ],
    ids=["relative", "absolute", "html-file-uri", "reference", "featured"],
)
def test_a_file_outside_the_imported_folder_is_never_uploaded(
    *,
    core: Core,
    remote: RemoteServices,
    add_site: AddSite,
    wordpress: WordPressServer,
    tree: Path,
    text: str,
) -> None:
    site = add_site("author")
    piece = import_file(core, tree / "desk" / "pieces" / "bus", text.replace("{root}", str(tree)))
    with pytest.raises(InvalidInputError) as refused:
        remote.publisher.push(piece.id, site.id)
    assert "passport-scan.png" in refused.value.message
    assert "outside the folder the piece was imported from" in refused.value.message
    assert media_names(wordpress) == []
    # through the outbox: one attempt, a permanent failure that says why, nothing retried
    job = remote.outbox.enqueue_push(piece.id, site.id)
    outcome = remote.worker().run_job(job.id)
    assert outcome.job.state == JobState.FAILED and outcome.job.attempts == 1
    assert outcome.job.error_kind == "input"
    assert "passport-scan.png" in outcome.job.last_error
    assert remote.worker().run_due() == []
    assert media_names(wordpress) == []


def test_a_symlink_swapped_in_after_the_import_sends_nothing(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer, tree: Path
) -> None:
    site = add_site("author")
    folder = tree / "desk" / "pieces" / "bus"
    picture = write_png(folder / "img" / "stop.png", 20, 20, (0, 90, 0))
    piece = import_file(core, folder, "---\ntitle: Buses\n---\n\n![Stop](img/stop.png)\n")
    first = remote.publisher.push(piece.id, site.id)
    assert first.uploaded == 1 and media_names(wordpress) == ["stop.png"]

    picture.unlink()
    picture.symlink_to(tree / "outside" / "private" / "passport-scan.png")
    with pytest.raises(InvalidInputError) as refused:
        remote.publisher.push(piece.id, site.id)
    assert str(picture) in refused.value.message
    assert "passport-scan.png" in refused.value.message  # where it leads
    job = remote.outbox.enqueue_push(piece.id, site.id)
    outcome = remote.worker().run_job(job.id)
    assert outcome.job.state == JobState.FAILED and outcome.job.error_kind == "input"
    assert remote.worker().run_due() == []
    assert media_names(wordpress) == ["stop.png"]


def test_a_symlink_to_a_system_file_is_refused_even_inside_the_folder(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer, tree: Path
) -> None:
    """``img/stop.png`` made a link to a file that is not an image at all (``/etc/passwd``)."""
    site = add_site("author")
    folder = tree / "desk" / "pieces" / "bus"
    write_png(folder / "img" / "stop.png", 20, 20)
    piece = import_file(core, folder, "---\ntitle: Buses\n---\n\n![Stop](img/stop.png)\n")
    (folder / "img" / "stop.png").unlink()
    (folder / "img" / "stop.png").symlink_to("/etc/passwd")
    with pytest.raises(InvalidInputError) as refused:
        remote.publisher.push(piece.id, site.id)
    assert "/etc/passwd" in refused.value.message
    assert media_names(wordpress) == []


def test_files_inside_the_folder_and_files_the_user_chose_go_out(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer, tree: Path
) -> None:
    site = add_site("author")
    folder = tree / "desk" / "pieces" / "bus"
    write_png(folder / "img" / "stop.png", 20, 20)
    piece = import_file(core, folder, "---\ntitle: Buses\n---\n\n![Stop](img/stop.png)\n")
    # the user picks a featured image and inserts a picture from elsewhere, in the app
    chosen = write_png(tree / "Pictures" / "front.png", 30, 20, (0, 0, 200))
    inserted = write_png(tree / "Pictures" / "inserted.png", 10, 10, (9, 9, 9))
    edited = core.pieces.get(piece.id)
    core.pieces.save(
        edited.copy(featured_image=str(chosen), body=edited.body + f"\n![More]({inserted})\n")
    )
    result = remote.publisher.push(piece.id, site.id)
    assert result.uploaded == 3
    assert sorted(media_names(wordpress)) == ["front.png", "inserted.png", "stop.png"]


def test_an_imported_file_cannot_vouch_for_itself(core: Core, tree: Path) -> None:
    """The import record cannot come from the file's own front matter, and is never exported."""
    folder = tree / "desk" / "pieces" / "bus"
    text = (
        "---\ntitle: Buses\ncopydesk_import:\n  dir: /\n  files: []\n---\n\n"
        "![x](../../../outside/private/passport-scan.png)\n"
    )
    piece = import_file(core, folder, text)
    record = piece.extra["copydesk_import"]
    assert record["dir"] == str(folder.resolve())
    assert str(tree.resolve() / "outside" / "private" / "passport-scan.png") in record["files"]
    assert "copydesk_import" not in core.export_markdown(piece.id)
