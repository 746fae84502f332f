"""Chinese never draws as boxes: with no CJK font on the system, the shipped one is loaded."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

PROBE = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from nnviz.app import fonts
before = fonts.has_chinese_font()
how = fonts.ensure_chinese_font(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
print(json.dumps({"before": before, "how": how, "after": fonts.shows_chinese()}))
"""


def _probe(tmp_path, *args, fonts_dir=None):
    conf = tmp_path / "fonts.conf"   # fontconfig that knows no fonts but the ones we name
    dirs = f"<dir>{fonts_dir}</dir>" if fonts_dir else ""
    conf.write_text(f'<?xml version="1.0"?><fontconfig>{dirs}<cachedir>{tmp_path}/fc</cachedir></fontconfig>')
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FONTCONFIG_FILE=str(conf), PYTHONPATH=str(ROOT))
    p = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env,
                       timeout=120, cwd=tmp_path)
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not SYSTEM_FONT.is_file(), reason="fonts-wqy-microhei is not installed")
def test_with_no_cjk_font_on_the_system_the_shipped_font_is_loaded(tmp_path):
    got = _probe(tmp_path, str(SYSTEM_FONT))
    assert got == {"before": False, "how": "bundled", "after": True}


@pytest.mark.skipif(not SYSTEM_FONT.is_file(), reason="fonts-wqy-microhei is not installed")
def test_a_system_cjk_font_is_used_and_nothing_is_loaded(tmp_path):
    got = _probe(tmp_path, fonts_dir=SYSTEM_FONT.parent)
    assert got == {"before": True, "how": "system", "after": True}


@pytest.mark.skipif(not SYSTEM_FONT.is_file(), reason="fonts-wqy-microhei is not installed")
def test_the_bundles_cut_of_the_font_is_used_too(tmp_path):
    """The bundle carries a subset (packaging/subset_font.py) that fontconfig does not list for
    Chinese: it still becomes the font that draws Chinese."""
    fonttools = pytest.importorskip("fontTools")
    cut = tmp_path / "cut.ttf"
    p = subprocess.run([sys.executable, str(ROOT / "packaging" / "subset_font.py"), str(SYSTEM_FONT), str(cut)],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and fonttools, p.stderr[-1000:]
    got = _probe(tmp_path, str(cut))
    assert got == {"before": False, "how": "bundled", "after": True}


def test_no_font_anywhere_is_reported(tmp_path):
    got = _probe(tmp_path)
    assert got == {"before": False, "how": "none", "after": False}
