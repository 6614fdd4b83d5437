"""The optional "why did you come in" question's answers: codes the hub counts, words the kiosk shows."""

from __future__ import annotations

WHY_REASONS = {
    "no_internet": "No internet at home",
    "no_device": "No phone or computer",
    "not_confident": "I'm not confident online",
    "stuck_online": "I tried online and got stuck",
    "prefer_person": "I prefer to talk to someone",
    "did_not_know": "I didn't know I could do this online",
    "other": "Something else",
}
