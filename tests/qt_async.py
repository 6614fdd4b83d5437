"""Coroutines in tests run on the app's one qasync loop (the ``qasync_loop`` fixture), as they
do in the kiosk, while Qt spins."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(qtbot: Any, coro: Coroutine[Any, Any, T], timeout: int = 10000) -> T:
    """Run a coroutine on the app's qasync loop while Qt spins."""
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()
