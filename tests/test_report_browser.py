"""The HTML report in a real browser: headless Chromium, when it is installed."""

from __future__ import annotations

import importlib.util
import struct

import pytest
from helpers import ROOT

SCRIPT = ROOT / "docs" / "screenshots" / "make_screenshot.py"


def _load():
    spec = importlib.util.spec_from_file_location("make_screenshot", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


shot = _load()

pytestmark = pytest.mark.skipif(not shot.CHROMIUM.exists(), reason=f"{shot.CHROMIUM} is not installed")


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_s7_report_renders_without_console_message(tmp_path):
    capture = shot.capture(shot.report_html("s7-donor-database", "en"), tmp_path / "report.png")
    assert capture.returncode == 0, capture.stderr
    assert capture.console == [], "\n".join(capture.console)
    data = capture.png.read_bytes()
    assert len(data) > 50_000  # a page of text and a graph, not a blank image
    assert _png_size(data) == shot.WINDOW


@pytest.mark.parametrize(
    "body, expected",
    [
        ("<img src='http://example.invalid/x.png'>", "example.invalid"),  # a fetch blocked by the policy
        ("<script>undefinedFunction()</script>", "Uncaught"),  # a script error (no policy on this page)
    ],
)
def test_console_messages_are_detected(tmp_path, body, expected):
    """The check above can fail: a blocked fetch or an uncaught error shows in the console."""
    policy = "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'\">" if "img" in body else ""
    page = f"<!DOCTYPE html><html><head><meta charset='utf-8'>{policy}</head><body><p>x</p>{body}</body></html>"
    capture = shot.capture(page, tmp_path / "bad.png", window=(400, 300))
    assert capture.returncode == 0, capture.stderr
    assert any(expected in line for line in capture.console), capture.stderr
