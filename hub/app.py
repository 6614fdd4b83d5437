"""Build the hub's FastAPI app from settings."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from hub import api, assist, fleet, handoff, pages, phone, relay_staff, taster
from hub.config import HubSettings
from hub.connectors.base import Connector
from hub.connectors.email import EmailConnector
from hub.connectors.inbox import InboxConnector
from hub.connectors.open311 import Open311Connector
from hub.connectors.webhook import WebhookConnector
from hub.crypto import Sealer
from hub.db import make_engine, make_sessions
from hub.edges import Edges
from hub.insight import sweep as insight_sweep
from hub.intake import Intake
from hub.jobs import claim
from hub.journey_versions import JourneyVersions
from hub.notify import NotifyClient
from hub.relay import RelayWorker
from hub.schema import prepare
from hub.state import HubState
from kiosk.workflows.i18n import load_catalogs
from kiosk.workflows.lessons import load_lessons
from kiosk.workflows.loader import load_journeys


def create_app(settings: HubSettings, run_relay: bool = True) -> FastAPI:
    engine = make_engine(settings.database_url)
    prepare(engine)  # an empty database gets the schema; an out-of-date one stops the hub here
    sessions = make_sessions(engine)
    journeys = {j.id: j for j in load_journeys([settings.journeys_dir])}
    client = httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=5.0))
    connectors: dict[str, Connector] = {"inbox": InboxConnector()}
    if settings.open311 is not None:
        connectors["open311"] = Open311Connector(settings.open311, client)
    if settings.email is not None:
        connectors["email"] = EmailConnector(settings.email)
    if settings.webhook is not None:
        connectors["webhook"] = WebhookConnector(settings.webhook, client)
    sealer = Sealer(settings.data_key, settings.previous_data_keys)
    versions = JourneyVersions(sessions, journeys)
    versions.publish()
    relay = RelayWorker(sessions, sealer, versions.get, connectors, settings.relay)
    notify = NotifyClient(settings.notify, client) if settings.notify is not None else None
    open311 = connectors.get("open311")
    lessons = ({lesson.id: lesson for lesson in load_lessons(settings.lessons_dir, set(journeys))}
               if settings.lessons_dir.exists() else {})
    intake = Intake(sessions, sealer, versions, relay.wake)
    hub_state = HubState(settings, sessions, sealer, journeys, versions, relay, intake, notify,
                         open311 if isinstance(open311, Open311Connector) else None, lessons,
                         load_catalogs(settings.languages_dir))

    def sweep() -> None:
        """Raw events past retention, spent handoffs and certificates: once an hour, by one
        hub process however many share the database."""
        if claim(sessions, "sweep", dt.timedelta(hours=1), relay.owner):
            with sessions() as session:
                insight_sweep(session, settings.insight.raw_retention_days)
                handoff.sweep(session)
                taster.sweep(session)

    async def sweep_hourly() -> None:
        while True:
            await asyncio.get_running_loop().run_in_executor(relay.background, sweep)
            await asyncio.sleep(600)  # offer every 10 minutes; the job itself runs hourly

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(relay.run())] if run_relay else []
        tasks.append(asyncio.create_task(sweep_hourly()))
        yield
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        # A relay pass or sweep cancelled mid-way may still be at work in its thread, and the
        # intake may be committing: let them end before the connections go (else one would open
        # a connection no one closes).
        await asyncio.get_running_loop().run_in_executor(None, intake.shutdown)
        await asyncio.get_running_loop().run_in_executor(None, relay.background.shutdown)
        await client.aclose()
        engine.dispose()

    app = FastAPI(
        title=f"{settings.council_name} kiosk hub",
        version="1",
        lifespan=lifespan,
        description="Kiosk device API (bearer token per kiosk), public request tracking and staff pages.",
        # No interactive docs: they load scripts from a CDN. The schema stays at /openapi.json.
        docs_url=None, redoc_url=None,
    )
    app.add_middleware(Edges, public_https=settings.public_url.startswith("https://"))
    app.state.hub = hub_state
    # GOV.UK Frontend's stylesheet and script, and the hub's own: served by the hub, no CDN.
    app.mount("/static", StaticFiles(directory=Path(__file__).resolve().parent / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(relay_staff.router)
    app.include_router(phone.router)
    app.include_router(assist.api)
    app.include_router(assist.pages)
    app.include_router(taster.api)
    app.include_router(taster.pages)
    app.include_router(fleet.api)
    app.include_router(fleet.pages)

    @app.exception_handler(RequestValidationError)
    async def refused(_request: Request, exc: RequestValidationError) -> JSONResponse:
        """FastAPI's 422, with a checked message's problem at its field: ["body", "officer_id"],
        not ["body"] (kiosk/workflows/structs.py checks the whole body, and says where)."""
        problems = []
        for error in exc.errors():
            where = (error.get("ctx") or {}).get("where")
            if isinstance(where, list):
                error = {"type": error["type"], "loc": [*error["loc"], *where], "msg": error["msg"]}
            problems.append(error)
        return JSONResponse({"detail": jsonable_encoder(problems)}, status_code=422)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/staff/cases")

    return app
