"""Every taster page (set-up, lessons, each lesson step with its hint, lesson end, certificate,
warning) at every text size in both orientations: named, big enough to touch, nothing clipped,
and the window still fits the screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.workflows.taster import TasterPlan
from kiosk.workflows.validators import FieldError
from tests.resident import Kiosk
from tests.test_accessible_views import check_page


@pytest.mark.parametrize("text_size", ["standard", "largest"])
@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_every_taster_page_is_named_sized_and_unclipped(kiosk: Kiosk, size: tuple[int, int], text_size: str,
                                                        tmp_path: Path) -> None:
    taster = kiosk.controller.taster

    def check(where: str) -> list[str]:
        found = check_page(kiosk, where, tmp_path)
        if kiosk.window.width() > size[0] or kiosk.window.height() > size[1]:
            found.append(f"{where}: the window needs {kiosk.window.width()}x{kiosk.window.height()}")
        return found

    kiosk.controller.display.set(text_size=text_size, contrast_name="high" if text_size == "largest" else "standard")
    kiosk.window.resize(*size)
    problems: list[str] = []
    taster.show_setup((1, "Lee Librarian"), errors=[FieldError("Choose at least one lesson", "lessons"),
                                                    FieldError("A session lasts between 15 and 120 minutes",
                                                               "minutes")])
    problems += check("setup with errors")
    taster.start(TasterPlan(tuple(taster.lessons), 60, "Tuesday afternoon beginners group"), staff=(1, "Lee"))
    problems += check("lesson list")
    for lesson_id, lesson in taster.lessons.items():
        taster.open_lesson(lesson_id)
        run = taster.running.current  # type: ignore[union-attr]
        assert run is not None
        for i, step in enumerate(lesson.steps):
            run.index = i
            taster.show_step()
            problems += check(f"{lesson_id}/{step.id}")
            if step.practice is not None:
                kiosk.page.show_hint(step.practice.hints[-1])  # type: ignore[attr-defined]
                kiosk.page.say("Not quite. Try again.")  # type: ignore[attr-defined]
                problems += check(f"{lesson_id}/{step.id} (hint)")
        for practice in lesson.steps:
            run.practised.add(practice.id)
        run.index = len(lesson.steps)
        taster.show_step()
        problems += check(f"{lesson_id}/done")
    taster.show_certificate("Your first name must only include letters, spaces, hyphens and apostrophes", "R2")
    problems += check("certificate name")
    taster.running.certificate_url = "http://127.0.0.1:8700/certificate/q_GzRnP8gAMYUH_fuz6Gomp_HAaBRwNk"  # type: ignore[union-attr]
    taster.show_certificate()
    problems += check("certificate QR")
    taster.warn(5)
    problems += check("5 minute warning")
    assert problems == [], "\n".join(problems)
