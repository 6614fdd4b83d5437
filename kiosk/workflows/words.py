"""Words the hub sends as data and the kiosk shows translated: one list each, in the core, so
the hub sends exactly the English text the kiosk's catalogs translate."""

from __future__ import annotations

from kiosk.workflows.placeholders import N_

#: The bins, in the order the collections look-up lists them.
GENERAL_WASTE = N_("General waste (grey bin)")
RECYCLING = N_("Recycling (blue bin)")
GARDEN_WASTE = N_("Garden waste (brown bin)")
BIN_NAMES = (GENERAL_WASTE, RECYCLING, GARDEN_WASTE)

#: Monday first, as ``date.weekday()`` counts.
WEEKDAY_NAMES = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
                 N_("Sunday"))
