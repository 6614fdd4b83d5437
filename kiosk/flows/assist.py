"""Officer assist: "Get help" tells staff; an officer joins with a one-time code from the hub (or
a synced staff PIN while the hub is down), works through the assist panel, and hands back.
Every staff action is audited."""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import QObject, QTimer

from kiosk.app_events import stop_timers
from kiosk.hub_client import HubRejected, HubUnavailable
from kiosk.pin_lock import Lockout
from kiosk.shell import Shell
from kiosk.staff_access import Officer, StaffPins
from kiosk.views.pinpad import PinPad
from kiosk.views.text import tr, trn
from kiosk.workflows import messages as m
from kiosk.workflows.structs import dump

log = logging.getLogger("kiosk.assist")

#: Idle limit while an officer's panel is open.
OFFICER_IDLE_MS = 10 * 60_000
#: Staff PIN hashes are fetched again this often, for when the hub cannot be reached.
PIN_SYNC_MS = 10 * 60_000


class StaffMenus(Protocol):
    """What staff can open on a library terminal besides helping a resident (the taster flow)."""

    @property
    def active(self) -> bool: ...
    @property
    def available(self) -> bool: ...
    def staff_menu(self, staff: tuple[int, str]) -> None: ...
    def show_setup(self, staff: tuple[int, str]) -> None: ...


def tries_left(n: int) -> str:
    return f"{n} tr{'ies' if n != 1 else 'y'} left."


class AssistFlow(QObject):
    def __init__(self, shell: Shell, staff_menus: StaffMenus) -> None:
        super().__init__()
        self.shell = shell
        self.staff_menus = staff_menus
        self._revealed = False
        state = shell.settings.state_dir
        self.staff_lock = Lockout(state / "staff-lock.json", 5, 300)
        self.staff_pins = StaffPins(state / "staff-pins.json", shell.services.client.pin_key)
        self._pin_sync = QTimer(shell.window)
        self._pin_sync.timeout.connect(self.sync_staff_pins)
        self._pin_sync.start(PIN_SYNC_MS)
        window = shell.window
        window.staff.connect(self._on_staff)
        window.get_help.connect(self._on_get_help)
        panel = window.assist
        panel.go_to.connect(self._go_to)
        panel.reveal.connect(self._reveal)
        panel.pause_toggled.connect(self._pause)
        panel.assisted_toggled.connect(self._assisted)
        panel.handoff.connect(self._handoff)
        panel.end.connect(self._end)
        panel.hand_back.connect(self._hand_back)
        shell.when_wiped(self._on_wipe)

    def close(self) -> None:
        stop_timers(self._pin_sync)

    def _on_wipe(self, reason: str) -> None:
        officer = self.shell.resident.officer
        if officer is not None and not officer.handed_back and reason not in ("officer_end", "startup"):
            self.shell.audit("ended_session")  # the session ended with an officer on it: record when
        self.shell.resident.officer = None
        self._revealed = False
        self.shell.window.assist.hide()
        self.shell.window.banner.hide()

    # ---- "Get help" -------------------------------------------------------------------
    def _on_get_help(self) -> None:
        shell = self.shell
        session = shell.resident.journey
        journey, step = (session.journey.id, session.current.id) if session else ("", "")
        shell.events.help_requested(journey or None, step or None)
        b = shell.settings.branding
        overlay = shell.tell(tr("Asking for help…"), [tr("Please wait a moment.")], tr("Close this message"))

        def asked(minutes: int) -> None:
            if shell.window.overlay is overlay:
                overlay.set_heading(tr("A member of staff has been asked to come to this screen"))
                overlay.set_text(0, trn("Someone usually comes within {count} minute. Your answers stay here "
                                        "while you wait. If nobody comes, {directions}",
                                        "Someone usually comes within {count} minutes. Your answers stay here "
                                        "while you wait. If nobody comes, {directions}", minutes,
                                        directions=b.counter_directions[0].lower() + b.counter_directions[1:]))

        def failed(_exc: Exception) -> None:
            if shell.window.overlay is overlay:
                overlay.set_heading(tr("We could not call a member of staff"))
                overlay.set_text(0, tr("The connection is not working. {directions} Your answers stay on this "
                                       "screen.", directions=b.counter_directions))

        shell.hub_call(shell.services.client.ask_help(journey, step), asked, failed)

    # ---- staff sign-in at the kiosk -------------------------------------------------------
    def sync_staff_pins(self) -> None:
        """Keep the staff PIN hashes current, for when the hub cannot be reached."""

        def save(staff: list[m.StaffPin]) -> None:
            self.shell.off_thread(lambda: self.staff_pins.save([dump(s) for s in staff]), lambda _r: None)

        self.shell.hub_call(self.shell.services.client.staff_pins(), save, lambda _exc: None)

    def _on_staff(self) -> None:
        shell = self.shell
        shell.idle.pause()
        pad = shell.window.show_pinpad("Staff: enter the code from the officer page, or your staff PIN")
        pad.submitted.connect(self._on_staff_code)
        pad.cancelled.connect(self._close_pinpad)
        locked = self.staff_lock.before_try()
        if locked is not None:
            pad.show_locked(locked.locked_for)

    def _close_pinpad(self) -> None:
        self.shell.close_overlay()
        self.shell.idle.resume()

    def _on_staff_code(self, digits: str) -> None:
        shell = self.shell
        pad = shell.window.overlay
        if not isinstance(pad, PinPad):
            return
        locked = self.staff_lock.before_try()
        if locked is not None:
            pad.show_locked(locked.locked_for)
            return
        pad.say("Checking…")
        pad.set_locked(True)  # one check at a time

        def refuse(exc: Exception) -> None:
            if shell.window.overlay is not pad:
                return
            pad.set_locked(False)
            result = self.staff_lock.failed()
            shell.audit("code_refused")
            if result.locked_for:
                pad.show_locked(result.locked_for)
            elif isinstance(exc, HubRejected) and exc.status == 410:
                pad.say(f"{exc.detail} {tries_left(result.tries_left)}")
            else:
                pad.say(f"That code or PIN is not right. {tries_left(result.tries_left)}")

        def offline(found: tuple[int, str] | None, exc: Exception) -> None:
            if shell.window.overlay is not pad:
                return
            if found is None:
                refuse(exc)
                return
            self.staff_lock.succeeded()
            self._join(found[0], found[1], offline=True)
            shell.audit("joined", staff=found)

        def refused(exc: Exception) -> None:
            if shell.window.overlay is not pad:
                return
            if isinstance(exc, (HubUnavailable, TimeoutError)):
                # argon2 takes tens of milliseconds a hash: checked off the Qt thread.
                shell.off_thread(lambda: self.staff_pins.check(digits), lambda found: offline(found, exc), refuse)
                return
            refuse(exc)

        def joined(found: m.JoinOut) -> None:
            self.staff_lock.succeeded()
            self._join(found.staff_id, found.name, offline=False)

        client = shell.services.client
        if len(digits) == 6:
            shell.hub_call(client.join(digits), joined, refused)
        else:  # a personal PIN: only for when the hub cannot be reached
            shell.hub_call(client.health(), lambda _ok: refused(HubRejected(404, "not a code")), refused)

    def _join(self, staff_id: int, name: str, offline: bool) -> None:
        shell = self.shell
        shell.close_overlay()
        shell.idle.resume()  # the pad paused it; the panel sets its own limit
        staff = (staff_id, name)
        menus = self.staff_menus
        if menus.active:
            menus.staff_menu(staff)
            return
        if shell.resident.journey is None and menus.available:
            overlay = shell.ask(f"Staff: {name}", ["What do you want to do on this terminal?"], [
                ("taster", "Open an ICT taster session", "primary"),
                ("assist", "Help a resident on this screen", "secondary"),
                ("close", "Cancel", "secondary"),
            ])

            def chosen(key: str) -> None:
                shell.close_overlay()
                if key == "taster":
                    menus.show_setup(staff)
                elif key == "assist":
                    self._assist(staff_id, name, offline)

            overlay.action.connect(chosen)
            return
        self._assist(staff_id, name, offline)

    # ---- the assist panel -----------------------------------------------------------------
    def _assist(self, staff_id: int, name: str, offline: bool) -> None:
        self.shell.resident.officer = Officer(staff_id, name, offline)
        self.shell.window.banner.show_for(name)
        self.refresh(force=True)
        log.info("officer joined", extra={"staff_id": staff_id, "offline": offline})

    def refresh(self, force: bool = False) -> None:
        shell = self.shell
        officer = shell.resident.officer
        panel = shell.window.assist
        if officer is None or not (force or panel.isVisible()):
            return
        session = shell.resident.journey
        panel.show_state(
            officer.name, session.journey.title if session else "", session.current.id if session else "",
            session.summary() if session else [], set(session.answers) if session else set(), self._revealed,
            officer.timer_paused, officer.assisted,
            session is not None and session.journey.submit is not None,
        )
        # While an officer has the screen the resident is not timed out; but an officer who walks
        # away without handing back must not leave the answers up: a long limit still wipes.
        shell.idle.arm(OFFICER_IDLE_MS)

    def _go_to(self, step_id: str) -> None:
        session = self.shell.resident.journey
        if session is not None and step_id in session.journey.step_ids:
            self.shell.audit("went_to_step", step_id)
            session.change(step_id)
            self.shell.go().show_step()

    def _reveal(self) -> None:
        self._revealed = True
        self.shell.audit("revealed_answer")
        self.refresh()

    def _pause(self, paused: bool) -> None:
        officer = self.shell.resident.officer
        if officer is not None:
            officer.timer_paused = paused
            self.shell.audit("paused_timer" if paused else "resumed_timer")

    def _assisted(self, assisted: bool) -> None:
        officer = self.shell.resident.officer
        if officer is not None:
            officer.assisted = assisted
            self.shell.audit("marked_assisted" if assisted else "unmarked_assisted")

    def _handoff(self) -> None:
        self.shell.audit("started_handoff")
        self.shell.go().start_handoff()

    def _end(self) -> None:
        overlay = self.shell.ask("End this session?", [
            "Everything the resident entered will be deleted, and the kiosk goes back to the start."],
            [("confirm", "Yes, end the session", "primary"), ("cancel", "No, go back", "secondary")])

        def answer(key: str) -> None:
            if key == "confirm":
                self.shell.audit("ended_session")
                self.shell.go().end_session("officer_end")
            else:
                self.shell.close_overlay()

        overlay.action.connect(answer)

    def _hand_back(self) -> None:
        shell = self.shell
        officer = shell.resident.officer
        if officer is None:
            return
        shell.audit("handed_back")
        officer.handed_back = True
        shell.window.assist.hide()
        shell.window.banner.hide()
        if not officer.timer_paused and shell.page_name() not in ("", "attract_page", "closed_page"):
            shell.arm_idle("confirmation" if shell.resident.confirmation is not None else "question")
        self.tell_handed_back()

    def tell_handed_back(self) -> None:
        """The officer has gone: the resident is in charge again, and knows how to call them back."""
        paragraphs = [tr("The member of staff has handed the screen back to you. Your answers are still here."),
                      tr("If you need help again, press Get help at the top of the screen.")]
        phone = self.shell.settings.branding.contact_phone
        if phone:
            paragraphs.append(tr("You can also phone {phone}.", phone=phone))
        self.shell.tell(tr("You are in control again"), paragraphs, tr("Close this message"))
