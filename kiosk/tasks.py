"""One path for slow work: hub calls (awaited on the qasync loop) and blocking work such as
argon2 or file I/O (run on a worker thread), each with a timeout, a success callback and a
failure callback that run on the Qt thread.

Views never await anything. Flows run each call through here, and the wipe cancels them all
so no late reply lands on the next resident's screen.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger("kiosk.tasks")


class TaskRunner:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        # Plain Python threads, not qasync's QThread executor: they touch no Qt object, and
        # they end with the runner instead of outliving the application.
        self._threads: ThreadPoolExecutor | None = None

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

    def run_blocking(self, work: Callable[[], T], on_success: Callable[[T], None],
                     on_failure: Callable[[Exception], None], timeout: float = 15.0) -> asyncio.Task[None]:
        """Blocking work on a worker thread, so the Qt thread keeps drawing and reading touches."""
        if self._threads is None:
            self._threads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="kiosk-slow")
        future = asyncio.wrap_future(self._threads.submit(work))
        return self.run(future, on_success, on_failure, timeout)

    def shutdown(self) -> None:
        """Cancel everything, and let the worker threads end (the application is closing)."""
        self.cancel_all()
        if self._threads is not None:
            self._threads.shutdown(wait=True, cancel_futures=True)
            self._threads = None

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        self._tasks.clear()

    @property
    def busy(self) -> bool:
        return bool(self._tasks)
