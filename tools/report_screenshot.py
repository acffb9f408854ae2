"""Regenerate docs/report-overview.png: the HTML report of examples/contracts, its overview on top.

    python tools/report_screenshot.py [--output docs/report-overview.png] [--browser chromium]

Run from the repository root with the interpreter policycheck is installed in. It writes the
HTML report of ``policycheck run policies/ examples/contracts`` to a temporary directory and takes
a screenshot of it with headless Chromium (Debian: ``apt-get install chromium``; CJK text needs
a CJK font, e.g. ``fonts-noto-cjk`` or ``fonts-wqy-microhei``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _browser(name: str | None) -> str:
    for candidate in ([name] if name else BROWSERS):
        found = shutil.which(candidate)
        if found:
            return found
    sys.exit("report_screenshot: no Chromium found (Debian: apt-get install chromium; or --browser PATH)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(ROOT / "docs" / "report-overview.png"))
    parser.add_argument("--browser", default=None, help="the Chromium executable (default: found on PATH)")
    parser.add_argument("--size", default="1100,1500", help="window width,height in pixels")
    args = parser.parse_args()
    browser = _browser(args.browser)
    with tempfile.TemporaryDirectory() as scratch:
        page = Path(scratch) / "report.html"
        run = subprocess.run([sys.executable, "-m", "policycheck", "run", "policies/", "examples/contracts", "-q",
                              "--no-cache", "-f", f"html:{page}"], cwd=ROOT, capture_output=True, text=True)
        if run.returncode not in (0, 1) or not page.is_file():
            sys.exit(f"report_screenshot: policycheck run failed ({run.returncode}): {run.stderr.strip()}")
        output = Path(args.output).resolve()
        output.parent.mkdir(parents=True, exist_ok=True)
        shot = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                               "--hide-scrollbars", "--disable-background-networking", "--disable-component-update",
                               "--disable-sync", "--disable-extensions", f"--user-data-dir={Path(scratch) / 'profile'}",
                               f"--window-size={args.size}", f"--screenshot={output}", page.as_uri()],
                              capture_output=True, text=True, timeout=240)
        if shot.returncode != 0 or not output.is_file():
            sys.exit(f"report_screenshot: the browser failed ({shot.returncode}): {shot.stderr[-1000:]}")
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
