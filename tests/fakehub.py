"""A deliberately broken 'hub' on loopback: it answers whatever a test tells it to."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tests.loopback import QuietHandler, serve


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"{}"
    content_type: str = "application/json"
    #: Hold the request open (until the test ends) instead of answering: a hung server.
    hang: bool = False


@dataclass
class FakeHub:
    url: str
    reply: Reply
    requests: list[tuple[str, str]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


@contextmanager
def fake_hub(reply: Reply) -> Iterator[FakeHub]:
    state = FakeHub("", reply)

    class Handler(QuietHandler):
        def _answer(self) -> None:
            self.read_body()
            state.requests.append((self.command, self.path))
            if state.reply.hang:
                state.release.wait(timeout=30)
                return
            self.send(state.reply.status, state.reply.body, state.reply.content_type)

        do_GET = do_POST = _answer

    with serve(Handler) as url:
        state.url = url
        try:
            yield state
        finally:
            state.release.set()
