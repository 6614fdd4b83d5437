"""The optional "why did you come in" question's answers: codes the hub counts, words the kiosk shows."""

from __future__ import annotations

from kiosk.workflows.i18n import N_

WHY_REASONS = {
    "no_internet": N_("No internet at home"),
    "no_device": N_("No phone or computer"),
    "not_confident": N_("I'm not confident online"),
    "stuck_online": N_("I tried online and got stuck"),
    "prefer_person": N_("I prefer to talk to someone"),
    "did_not_know": N_("I didn't know I could do this online"),
    "other": N_("Something else"),
}
