"""Run a real hub (uvicorn) on a free loopback port in a background thread."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import event, select

from hub.app import create_app
from hub.config import HubSettings, InsightSettings, NotifySettings, Open311Settings, RelaySettings
from hub.crypto import Sealer, new_key
from hub.db import Case, StaffUser
from hub.devices import create_device
from hub.gazetteer import load_gazetteer
from hub.staff import create_staff
from hub.state import HubState

ROOT = Path(__file__).resolve().parent.parent
TEST_ADMIN = ("tess", "test-admin-password-1")
#: Set (by conftest) to the port of the run's PostgreSQL server when the hub's tests run on it.
POSTGRES_PORT = "HUB_TEST_POSTGRES_PORT"


class _Server(uvicorn.Server):
    """uvicorn.Server that says when it is listening, so nobody has to poll."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: Any = None) -> None:
        await super().startup(sockets)
        self.ready.set()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class HubServer:
    url: str
    token: str
    state: HubState
    app: Any
    server: uvicorn.Server
    thread: threading.Thread
    #: The admin's browser for ``staff_get``, signed in once (sign-ins are throttled).
    admin: httpx.Client | None = None
    #: SQL the hub ran on its event loop's own thread (blocking every request meanwhile): must
    #: stay empty. Database work belongs in a worker thread.
    on_event_loop: list[str] = field(default_factory=list)

    def stop(self) -> None:
        if self.admin is not None:
            self.admin.close()
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.state.sessions.kw["bind"].dispose()  # what the test itself read after the hub let go
        assert not self.on_event_loop, f"database work on the hub's event loop: {self.on_event_loop[:5]}"

    def cases(self, journey_id: str | None = None) -> list[Case]:
        with self.state.sessions() as session:
            query = select(Case).order_by(Case.id)
            if journey_id:
                query = query.where(Case.journey_id == journey_id)
            return list(session.scalars(query).all())

    def case(self, reference: str) -> Case | None:
        with self.state.sessions() as session:
            return session.scalar(select(Case).where(Case.reference == reference))

    def answers(self, case: Case) -> dict[str, Any]:
        payload: dict[str, Any] = Sealer(self.state.settings.data_key).open(case.sealed)
        return payload["answers"]

    def staff_get(self, path: str) -> str:
        """A staff page as an admin sees it (the admin is made on first use)."""
        with self.state.sessions() as session:
            if session.scalar(select(StaffUser).where(StaffUser.username == TEST_ADMIN[0])) is None:
                create_staff(session, TEST_ADMIN[0], "Tess Admin", "admin", TEST_ADMIN[1])
        if self.admin is None:
            self.admin = sign_in(self, TEST_ADMIN)
        page = self.admin.get(path)
        assert page.status_code == 200, page.text
        return page.text

    def stored_bytes(self) -> bytes:
        """Everything the hub's database holds, as stored: SQLite's files (with -wal), or a
        dump of the PostgreSQL database."""
        return stored_bytes(self.state.settings.database_url)

    def new_device(self, kiosk_id: str, site: str = "test-site") -> str:
        with self.state.sessions() as session:
            return create_device(session, kiosk_id, site)


def database_url(tmp: Path) -> str:
    """Where a test hub keeps its data: SQLite in ``tmp``, or, when this run is the hub's tests
    on PostgreSQL (``HUB_TEST_DATABASE=postgresql``), a new database on the run's server."""
    port = os.environ.get(POSTGRES_PORT)
    if not port:
        return f"sqlite:///{tmp / 'hub.sqlite3'}"
    from tests.pgserver import new_database

    return new_database(int(port))


def stored_bytes(url: str) -> bytes:
    if url.startswith("sqlite:///"):
        db = Path(url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
    plain = "postgresql://" + url.split("://", 1)[1]
    from tests.pgserver import pg_bin

    return subprocess.run([pg_bin("pg_dump"), "--dbname", plain], check=True, capture_output=True).stdout


def start_hub(tmp: Path, open311_url: str | None = None, relay: RelaySettings | None = None,
              port: int | None = None, token: str | None = None, data_key: str | None = None,
              journeys_dir: Path | None = None, insight: InsightSettings | None = None,
              notify: NotifySettings | None = None, open311_timeout: float = 2,
              open311_extra: dict[str, Any] | None = None, db_url: str | None = None, **extra: Any) -> HubServer:
    port = port or free_port()
    settings = HubSettings(
        public_url=f"http://127.0.0.1:{port}",
        council_name="Test Borough Council",
        database_url=db_url or database_url(tmp),
        data_key=data_key or new_key(),
        journeys_dir=journeys_dir or ROOT / "config" / "journeys",
        lessons_dir=ROOT / "config" / "lessons" if journeys_dir is None else tmp / "no-lessons",
        languages_dir=ROOT / "config" / "i18n",
        open311=Open311Settings(endpoint=open311_url, api_key="test-api-key", timeout_seconds=open311_timeout,
                                **(open311_extra or {}))
        if open311_url else None,
        relay=relay or RelaySettings(poll_seconds=0.2, first_retry_seconds=0.2, max_retry_seconds=1.0),
        insight=insight or InsightSettings(),
        notify=notify,
        **extra,
    )
    app = create_app(settings)
    state: HubState = app.state.hub
    with state.sessions() as session:
        load_gazetteer(session, ROOT / "config" / "demo" / "gazetteer.csv")
        token = create_device(session, "test-kiosk", "test-site", token)
    server = _Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True, name="hub")
    hub = HubServer(f"http://127.0.0.1:{port}", token, state, app, server, thread)

    @event.listens_for(state.sessions.kw["bind"], "before_cursor_execute")
    def _on_loop(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if threading.current_thread() is thread:  # uvicorn's loop runs on this thread alone
            hub.on_event_loop.append(statement[:100])

    thread.start()
    if not server.ready.wait(timeout=20) or not server.started:
        raise RuntimeError("hub did not start")
    return hub


def sign_in(hub: HubServer, who: tuple[str, str]) -> httpx.Client:
    """A browser signed in to the staff pages (a cookie session), through the sign-in form."""
    client = httpx.Client(base_url=hub.url, follow_redirects=False)
    form = client.get("/staff/login")
    if form.status_code != 200:
        client.close()
        raise AssertionError(form.text)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf is not None
    r = client.post("/staff/login", data={"username": who[0], "password": who[1], "csrf": csrf.group(1),
                                          "next": "/staff/help"})
    if r.status_code != 303:
        client.close()
        raise AssertionError(f"sign-in refused ({r.status_code})")
    return client
