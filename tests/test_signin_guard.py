"""Password guessing is slowed per account and per client, and nobody can lock everybody out
(security review H2, M1): the guard's rules on a clock the test moves, then over real HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from hub.db import make_engine, make_sessions
from hub.ratelimit import SlidingWindow, limits_of
from hub.schema import prepare
from hub.signin_guard import ACCOUNT_MAX_WAIT_S, WINDOW_S, SignInGuard
from hub.staff import create_staff
from tests.hubserver import database_url, start_hub


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """The hub's database (SQLite, or PostgreSQL in the second pass): where the counts live."""
    engine = make_engine(database_url(tmp_path))
    prepare(engine)
    yield make_sessions(engine)
    engine.dispose()


def test_a_flood_of_wrong_passwords_never_locks_anyone_out_for_long(sessions: sessionmaker[Session]) -> None:
    clock = Clock()
    guard = SignInGuard(sessions, clock)
    # An attacker spreads 300 guesses over 30 addresses and 3 accounts.
    for n in range(300):
        account, client = f"staff{n % 3}", f"10.0.0.{n % 30}"
        if guard.wait_for(account, client) == 0:
            guard.failed(account, client)
        clock.now += 1
    # The real members of staff, from their own computers: at most a minute away.
    for account in ("staff0", "staff1", "staff2", "someone-else"):
        assert guard.wait_for(account, "192.168.1.20") <= ACCOUNT_MAX_WAIT_S
    assert guard.wait_for("someone-else", "192.168.1.20") == 0
    # A guessing client waits longer each time, up to an hour.
    guard.reset()
    noisy = SignInGuard(sessions, clock)
    waits = []
    for n in range(14):
        noisy.failed(f"user{n}", "10.9.9.9")
        waits.append(noisy.wait_for("anyone", "10.9.9.9"))
    assert waits[:9] == [0] * 9 and waits[9] == 60 and waits[10] == 120 and waits[13] == 960
    # Its wrong guesses never slow staff elsewhere (beyond the accounts it tried).
    assert noisy.wait_for("someone-else", "192.168.1.20") == 0


def test_made_up_names_and_addresses_are_forgotten(sessions: sessionmaker[Session]) -> None:
    """What the limits remember does not grow with a flood of made-up user names or addresses."""
    clock = Clock()
    guard = SignInGuard(sessions, clock)
    for n in range(5000):
        guard.wait_for(f"made-up-{n}", "10.0.0.1")  # asking remembers nothing
    assert guard.tracked() == 0
    for n in range(2000):
        guard.failed(f"made-up-{n}", f"10.1.{n // 250}.{n % 250}")
    assert guard.tracked() == 2000 + 2000
    clock.now += WINDOW_S + 1
    guard.failed("staff0", "10.0.0.1")  # the next failure, once the old ones are past, sweeps
    assert guard.tracked() == 2
    codes = SlidingWindow(sessions, "codes", per_client=10, overall=10**9, window_s=600, clock=clock)
    for n in range(3000):
        assert codes.allow(f"10.2.{n // 250}.{n % 250}")
    assert codes.tracked() == 3000
    clock.now += 601
    assert codes.allow("10.3.0.1") and codes.tracked() == 1


def test_guessing_one_account_gets_slower_and_the_right_password_still_gets_in(tmp_path: Path) -> None:
    hub = start_hub(tmp_path / "hub")
    try:
        with hub.state.sessions() as session:
            create_staff(session, "olu", "Olu Officer", "officer", "the-right-password-1")
        clock = Clock()
        limits_of(hub.app.state).sign_in = SignInGuard(hub.state.sessions, clock)  # the hub's guard, on a clock the test moves
        with httpx.Client(base_url=hub.url) as c:
            csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/staff/login").text)
            assert csrf is not None

            def sign_in(password: str) -> httpx.Response:
                return c.post("/staff/login", data={"username": "olu", "password": password, "csrf": csrf.group(1)},
                              follow_redirects=False)

            assert [sign_in("wrong").status_code for _ in range(5)] == [401] * 5
            slowed = sign_in("the-right-password-1")  # too soon after five wrong ones
            assert slowed.status_code == 429 and re.search(r"Wait \d+ seconds?", slowed.text)
            # Basic shares the guard (and may only read).
            assert c.get("/staff/cases", auth=("olu", "the-right-password-1")).status_code == 429
        # The wait is seconds, not a lock-out: once it has passed, the right password works.
        wait = limits_of(hub.app.state).sign_in.wait_for("olu", "127.0.0.1")
        assert 0 < wait <= ACCOUNT_MAX_WAIT_S
        clock.now += wait
        with httpx.Client(base_url=hub.url) as c:
            csrf2 = re.search(r'name="csrf" value="([^"]+)"', c.get("/staff/login").text)
            assert csrf2 is not None
            ok = c.post("/staff/login", data={"username": "olu", "password": "the-right-password-1",
                                              "csrf": csrf2.group(1)}, follow_redirects=False)
            assert ok.status_code == 303
    finally:
        hub.stop()
