"""Make docs/screenshots/report-s7.png: the English HTML report of ``s7-donor-database`` in headless Chromium.

Usage (from the top of the repository)::

    PYTHONPATH=. python docs/screenshots/make_screenshot.py [OUTPUT.png]

The report is written to a temporary file and opened by ``/usr/bin/chromium --headless`` with
every network feature it can do without switched off. Chromium's log goes to stderr
(``--enable-logging=stderr --v=0``): the report has no script, so the page must not write a single
console message; a message (an uncaught error, a blocked resource — the report's Content
Security Policy forbids any fetch) is reported and makes the script exit with status 1.

``tests/test_report_browser.py`` uses :func:`capture` the same way.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple, Optional

CHROMIUM = Path("/usr/bin/chromium")
HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "report-s7.png"
WINDOW = (1280, 2400)

#: Chromium logs every message of the page's console as ``...:INFO:CONSOLE:n] "text", source: ...``
#: (or ``ERROR:CONSOLE``, depending on the version); uncaught exceptions start with "Uncaught".
CONSOLE = re.compile(r":CONSOLE[:(]|Uncaught")


class Capture(NamedTuple):
    returncode: int
    console: list[str]
    stderr: str
    png: Path


def report_html(case_id: str = "s7-donor-database", lang: str = "en") -> str:
    """The HTML report of a bundled case, as ``reversibility-kb report CASE --format html`` writes it."""
    from reversibility_kb import assess, load_case
    from reversibility_kb.case.catalogue import bundled_cases
    from reversibility_kb.cli.reports import checklist
    from reversibility_kb.outputs.report import report_html as render

    assessment = assess(load_case(bundled_cases()[case_id]))
    return render(assessment, lang, checklist(assessment))


def chromium_command(page: Path, png: Path, profile: Path, window: tuple[int, int] = WINDOW) -> list[str]:
    """The headless Chromium command line that screenshots ``page`` into ``png``."""
    return [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        f"--screenshot={png}",
        f"--window-size={window[0]},{window[1]}",
        page.as_uri(),
    ]


def capture(html: str, png: Path, window: tuple[int, int] = WINDOW, timeout: float = 180) -> Capture:
    """Open ``html`` in headless Chromium, screenshot it into ``png``, and collect its console messages."""
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="report-shot-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        profile = Path(tmp) / "profile"
        result = subprocess.run(
            chromium_command(page, png, profile, window),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    console = [line for line in result.stderr.splitlines() if CONSOLE.search(line)]
    return Capture(result.returncode, console, result.stderr, png)


def main(argv: Optional[list[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    output = Path(argv[0]) if argv else DEFAULT_OUTPUT
    if not CHROMIUM.exists():
        print(f"error: {CHROMIUM} not found (apt-get install -y chromium)", file=sys.stderr)
        return 2
    shot = capture(report_html(), output)
    if shot.returncode != 0 or not shot.png.exists() or shot.png.stat().st_size == 0:
        print(f"error: chromium failed (exit status {shot.returncode})\n{shot.stderr}", file=sys.stderr)
        return 1
    for line in shot.console:
        print(f"console: {line}", file=sys.stderr)
    print(f"{shot.png} ({shot.png.stat().st_size} bytes), {len(shot.console)} console message(s)")
    return 1 if shot.console else 0


if __name__ == "__main__":
    sys.exit(main())
