"""``wres report --pdf``: report.pdf (A4) printed from the HTML by a
Chromium-family browser found on the machine (contracts §5).

The browser runs headless on a copy of the page in a private temporary folder;
the page fetches nothing, so printing needs no network. The page's own
``@page { size: A4 }`` sets the paper.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from wres_cli.errors import UsageError

#: Program names of Chromium-family browsers, looked up on PATH in this order.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                 "chrome", "microsoft-edge", "microsoft-edge-stable", "msedge")
#: Where the usual installers put them when they are not on PATH.
BROWSER_PATHS = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
)
#: Seconds a print may take before it is given up.
PRINT_TIMEOUT = 120


def find_browser(explicit: Path | None = None) -> Path:
    """The browser to print with: ``explicit`` (``--browser``), else the first found.
    ``UsageError`` (exit 2) when there is none."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file() or not os.access(path, os.X_OK):
            raise UsageError(f"--browser {path}: not an executable file; nothing was written")
        return path
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    for candidate in BROWSER_PATHS:
        if Path(candidate).is_file():
            return Path(candidate)
    raise UsageError("--pdf needs a Chromium-family browser (Chromium, Google Chrome or "
                     "Microsoft Edge) and none was found; install one or name it with "
                     "--browser PATH. Nothing was written.")


def print_pdf(browser: Path, html: str, target: Path) -> None:
    """Print ``html`` to ``target`` as an A4 PDF with ``browser``."""
    with tempfile.TemporaryDirectory(prefix="wres-pdf-") as work:
        page = Path(work) / "report.html"
        page.write_text(html, encoding="utf-8")
        command = [str(browser), "--headless", "--disable-gpu", "--no-first-run",
                   "--no-default-browser-check", "--no-pdf-header-footer",
                   f"--user-data-dir={Path(work) / 'profile'}",
                   f"--print-to-pdf={target}", page.as_uri()]
        if sys.platform != "win32" and hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run as root otherwise
        try:
            done = subprocess.run(command, capture_output=True, timeout=PRINT_TIMEOUT,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise UsageError(f"could not print the report with {browser}: {exc}; "
                             "nothing was written") from exc
        if done.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
            detail = f": {lines[-1]}" if lines else ""
            raise UsageError(f"{browser} did not print the report (exit {done.returncode})"
                             f"{detail}; nothing was written")
