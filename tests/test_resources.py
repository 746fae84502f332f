"""resources/ is found from a checkout and from an installed wheel; the icon and menu entry are sound."""
import configparser
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from nnviz.resources import resource_path, resources_dir

ROOT = Path(__file__).resolve().parents[1]
ICON_SIZES = (16, 32, 48, 64, 128, 256)


def _shipped_files() -> list[str]:
    """Every file under resources/, relative to it (caches and editor leftovers excepted)."""
    return sorted(p.relative_to(ROOT / "resources").as_posix()
                  for p in (ROOT / "resources").rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(("~", ".pyc")))


def test_a_checkout_finds_the_top_level_resources_folder():
    assert resources_dir() == ROOT / "resources"
    assert resource_path("README.md").is_file()
    assert resource_path("icons", "nnviz.svg") == ROOT / "resources" / "icons" / "nnviz.svg"


@pytest.mark.slow
def test_a_wheel_carries_resources_and_the_installed_package_finds_them(tmp_path):
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels),
                            str(ROOT)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = wheels.glob("nnviz-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"nnviz/_resources/{rel}" for rel in _shipped_files()}
    assert "nnviz/_resources/README.md" in expected
    assert "nnviz/_resources/icons/nnviz.svg" in expected
    assert expected <= names, f"missing from the wheel: {sorted(expected - names)}"
    assert not any(n.startswith("resources/") for n in names)  # no top-level 'resources' package
    # every package of the checkout is in it (the build backend finds them; none is listed by hand)
    packages = {p.parent.relative_to(ROOT).as_posix() + "/__init__.py" for p in (ROOT / "nnviz").rglob("__init__.py")}
    assert packages <= names, f"missing from the wheel: {sorted(packages - names)}"

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                    "--target", str(target), str(wheel)], check=True, capture_output=True, timeout=300)
    env = dict(os.environ, PYTHONPATH=str(target))
    out = subprocess.run([sys.executable, "-c", "from nnviz.resources import resource_path as r; "
                          "print(r('README.md')); print(r('README.md').is_file())"],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60, check=True)
    path, exists = out.stdout.split()
    assert Path(path) == target / "nnviz" / "_resources" / "README.md" and exists == "True"


def test_the_icon_svg_renders_and_each_png_has_the_size_in_its_name(qapp):
    from PySide6.QtGui import QImage
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(resource_path("icons", "nnviz.svg")))
    assert renderer.isValid() and renderer.defaultSize().width() == renderer.defaultSize().height()
    for size in ICON_SIZES:
        path = resource_path("icons", f"nnviz-{size}.png")
        image = QImage(str(path))
        assert (image.width(), image.height()) == (size, size), path
        assert path.stat().st_size < 64_000  # the PNGs stay small in the repository
        corner, centre = image.pixelColor(0, 0), image.pixelColor(size // 2, size // 2)
        assert corner.alpha() == 0 and centre.alpha() == 255  # rounded tile on a transparent square


def test_the_application_gets_the_icon_at_every_size(qapp):
    from nnviz.app.main import make_app

    app = make_app()
    sizes = {(s.width(), s.height()) for s in app.windowIcon().availableSizes()}
    assert {(s, s) for s in ICON_SIZES} <= sizes
    assert app.desktopFileName() == "nnviz"


def test_the_desktop_entry_starts_nnviz_with_its_icon_and_a_chinese_name():
    entry = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    entry.optionxform = str  # keys are case-sensitive
    entry.read(resource_path("nnviz.desktop"), encoding="utf-8")
    d = entry["Desktop Entry"]
    assert d["Type"] == "Application" and d["Name"] == "nnviz"
    assert d["Exec"] == "nnviz" and d["Icon"] == "nnviz"
    assert d["Name[zh_CN]"] == "神经网络可视化" and d["Comment[zh_CN]"] and d["Comment"]
    assert set(d["Categories"].rstrip(";").split(";")) >= {"Education", "Science"}
