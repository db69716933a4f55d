"""What the benchmarks of code that runs both in Python and in the browser share: a
median of timed runs, the line that prints it, and a page served to Debian's
Chromium with the project's own scripts, where the timing is done by the page."""

from __future__ import annotations

import functools
import http.server
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking"]


def median_ms(work: Callable[[], object], rounds: int) -> tuple[float, float, float]:
    """(median, min, max) in milliseconds, after one warm-up run."""
    work()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return summary(times)


def summary(times: list[float]) -> tuple[float, float, float]:
    return statistics.median(times), min(times), max(times)


def line(label: str, figures: tuple[float, float, float], target: float | None,
         width: int = 40) -> str:
    median, low, high = figures
    verdict = ""
    if target is not None:
        verdict = f"  target < {target:.0f} ms: {'met' if median < target else 'MISSED'}"
    return (f"  {label:<{width}} median {median:7.1f} ms  (min {low:6.1f}, max {high:6.1f})"
            f"{verdict}")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def in_chromium(scripts: list[Path], page: str, measure: Callable[[Any], dict[str, Any]]
                ) -> dict[str, Any] | None:
    """Serve ``page`` (index.html) beside ``scripts`` on a local port, open it in
    Chromium, wait for ``window.ready`` and return what ``measure(page)`` gives; None
    (said on stdout) when Chromium is not installed."""
    if not CHROMIUM.exists():
        print(f"  Chromium is not installed ({CHROMIUM}): the browser is not measured. "
              "Install Debian's `chromium` package.")
        return None
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="shafaf-bench-page-") as tmp:
        for script in scripts:
            shutil.copy(script, Path(tmp) / script.name)
        (Path(tmp) / "index.html").write_text(page, encoding="utf-8")
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_Quiet, directory=tmp))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                      args=CHROMIUM_ARGS, headless=True)
                try:
                    opened = chromium.new_page()
                    opened.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
                    opened.wait_for_function("window.ready === true")
                    return measure(opened)
                finally:
                    chromium.close()
        finally:
            server.shutdown()
            server.server_close()
