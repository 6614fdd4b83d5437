"""One path for slow work (hub calls): a timeout, a success callback and a failure callback.

Views never await anything. The controller runs each call through here, and cancels them
all when the session ends so no late reply lands on the next resident's screen.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger("kiosk.tasks")


class TaskRunner:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def run(
        self,
        work: Awaitable[T],
        on_success: Callable[[T], None],
        on_failure: Callable[[Exception], None],
        timeout: float = 15.0,
    ) -> asyncio.Task[None]:
        async def wrapper() -> None:
            try:
                async with asyncio.timeout(timeout):
                    result = await work
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                # The type only: messages can carry URLs, and look-up URLs can carry a postcode.
                log.info("hub call failed", extra={"error": type(exc).__name__})
                on_failure(exc)
                return
            on_success(result)

        task = asyncio.ensure_future(wrapper())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        if inspect.iscoroutine(work):
            # Cancelled before it began (the session ended at once): close it, or Python warns.
            coroutine = work
            task.add_done_callback(
                lambda _t: coroutine.close() if inspect.getcoroutinestate(coroutine) == "CORO_CREATED" else None)
        return task

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        self._tasks.clear()

    @property
    def busy(self) -> bool:
        return bool(self._tasks)
