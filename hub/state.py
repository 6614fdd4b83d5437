"""Everything a request handler needs, built once per app (no module-level singletons)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from hub.config import HubSettings
from hub.crypto import Sealer
from kiosk.workflows.i18n import Catalog, english
from kiosk.workflows.lessons import Lesson
from kiosk.workflows.model import Journey

if TYPE_CHECKING:
    from hub.connectors.open311 import Open311Connector
    from hub.intake import Intake
    from hub.journey_versions import JourneyVersions
    from hub.notify import NotifyClient
    from hub.relay import RelayWorker


@dataclass
class HubState:
    settings: HubSettings
    sessions: sessionmaker[Session]
    sealer: Sealer
    journeys: dict[str, Journey]
    #: Every published version of every journey (``journeys`` is this hub's own, the newest).
    versions: JourneyVersions
    relay: RelayWorker
    #: Device checks and submissions, each on a thread of its own.
    intake: Intake
    notify: NotifyClient | None = None
    open311: Open311Connector | None = None
    lessons: dict[str, Lesson] | None = None
    catalogs: dict[str, Catalog] = field(default_factory=lambda: {"en": english()})
