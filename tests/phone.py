"""A real headless Chromium (Debian's, driven by Playwright) for the phone pages.

Playwright's sync API refuses to run where an asyncio loop is running, and the Qt tests keep
the qasync loop running, so each phone session runs in its own thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from playwright.sync_api import Browser, sync_playwright

T = TypeVar("T")
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


def with_browser(work: Callable[[Browser], T], timeout: float = 120) -> T:
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                try:
                    result["value"] = work(browser)
                finally:
                    browser.close()
        except BaseException as exc:  # handed back to the test's thread
            result["error"] = exc

    thread = threading.Thread(target=run, name="phone")
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError("the phone session did not finish")
    if "error" in result:
        raise result["error"]
    return result["value"]  # type: ignore[no-any-return]
