"""Report a missed bin by keys alone with Debian's Orca screen reader, and keep what Orca said.

Run inside xvfb-run and dbus-run-session by tests/orca/session.sh, with the kiosk (xcb,
accessibility on) and Orca (speech logged to its debug file) already started. Keys go to the X
server with xdotool, as from a keyboard; after each key the driver waits until Orca has said what
it says (read from Orca's debug log), as a blind resident listens before pressing the next key.
Prints a JSON report: every page's spoken lines in order, the keys pressed, the reference heard.

    session.sh ORCA_LOG KIOSK_CONFIG REPORT
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

SPOKEN = re.compile(r"SPEECH OUTPUT: '(.*?)'\s*(?:\{|$)", re.MULTILINE)


@dataclass
class Listener:
    log: Path
    heard: list[str] = field(default_factory=list)
    offset: int = 0
    keys: int = 0
    #: Where what the last key made Orca say begins.
    mark: int = 0

    def _read(self) -> list[str]:
        """What Orca has said since the last read: whole log lines only (Orca may be half-way
        through writing one)."""
        try:
            with self.log.open("rb") as f:
                f.seek(self.offset)
                data = f.read()
        except FileNotFoundError:
            return []
        end = data.rfind(b"\n")
        if end < 0:
            return []
        self.offset += end + 1
        text = data[:end + 1].decode("utf-8", errors="replace")
        new = [m.group(1).strip() for m in SPOKEN.finditer(text)]
        self.heard += new
        return new

    def wait_for(self, pattern: str, seconds: float = 15.0) -> str:
        """Until Orca says something matching ``pattern`` (a regular expression), since the last key."""
        deadline = time.monotonic() + seconds
        start = self.mark
        while True:
            self._read()
            for said in self.heard[start:]:
                if re.search(pattern, said):
                    return said
            if time.monotonic() > deadline:
                raise TimeoutError(f"Orca never said {pattern!r}; it said: {self.heard[start:][-12:]}")
            time.sleep(0.05)  # polling Orca's log file: nothing to wait on but the file

    def settle(self, quiet: float = 0.6, seconds: float = 10.0) -> list[str]:
        """Until Orca has said nothing new for ``quiet`` seconds; returns what it said."""
        start = len(self.heard)
        deadline = time.monotonic() + seconds
        last_change = time.monotonic()
        count = start
        while time.monotonic() < deadline:
            self._read()
            if len(self.heard) != count:
                count = len(self.heard)
                last_change = time.monotonic()
            elif time.monotonic() - last_change >= quiet:
                break
            time.sleep(0.05)
        return self.heard[start:]

    def key(self, name: str) -> list[str]:
        """Press a key and listen to what Orca says about it."""
        self.keys += 1
        self._read()
        self.mark = len(self.heard)
        subprocess.run(["xdotool", "key", "--clearmodifiers", name], check=True, timeout=10)
        return self.settle()

    def type(self, text: str) -> None:
        self._read()
        self.mark = len(self.heard)
        subprocess.run(["xdotool", "type", "--delay", "40", text], check=True, timeout=30)
        self.settle()

    def tab_to(self, pattern: str, limit: int = 25) -> str:
        """Tab until Orca names what ``pattern`` matches, as a resident finds a button by ear."""
        for _ in range(limit):
            for said in self.key("Tab"):
                if re.search(pattern, said):
                    return said
        raise TimeoutError(f"no {pattern!r} within {limit} Tabs; heard {self.heard[-10:]}")


def journey(ear: Listener) -> dict[str, object]:
    pages: list[dict[str, object]] = []

    def page(question: str, pattern: str | None = None) -> None:
        """A new page: its question must be what Orca says as the page appears."""
        said = ear.wait_for(pattern or re.escape(question))
        pages.append({"question": question, "heard": said})

    # Orca names the kiosk's window (and, when it has caught up, the start target in focus).
    ear.wait_for(r"Touch the screen to start|self-service")
    ear.settle()
    ear.key("Return")
    page("What do you want to do?")
    ear.tab_to(r"^Report a missed bin")
    ear.key("Return")
    page("What is the address of the missed bin?")
    ear.tab_to(r"My address is not listed")
    ear.key("Return")
    ear.wait_for(r"Address line 1")
    ear.type("12 High Street")
    ear.tab_to(r"^Town or city")
    ear.type("Stockton-on-Tees")
    ear.tab_to(r"^Postcode")
    ear.type("TS18 1AU")
    ear.tab_to(r"^Continue")
    ear.key("Return")
    page("Which bin was missed?")
    # Each answer is a button that goes on: heard one by one, then the first one pressed.
    options = [ear.tab_to(r"General waste")]
    for _ in range(2):  # the other options, one by one
        options += ear.key("Tab")
    ear.key("shift+Tab")
    ear.key("shift+Tab")
    ear.key("Return")
    page("When was your bin due to be collected?")
    # Continue with no date: the error is read, whole, as the summary takes focus.
    ear.tab_to(r"^Continue")
    ear.key("Return")
    error = ear.wait_for(r"Enter the date your bin was due")
    ear.tab_to(r"^Today, ")  # a one-tap date: no day, month and year to type
    ear.key("Return")
    page("Where did you leave the bin?")
    ear.tab_to(r"^At the edge of my property", limit=10)
    ear.key("Return")
    page("Is there anything else the crew should know?")
    ear.tab_to(r"^Continue")
    ear.key("Return")
    page("What is your email address?")
    ear.tab_to(r"^Continue")
    ear.key("Return")
    page("Check your answers", r"Check your answers")
    ear.tab_to(r"^Send report")
    ear.key("Return")
    heard = ear.wait_for(r"Your reference: ([A-Z0-9] ){4}- ")
    reference = re.search(r"Your reference: ((?:[A-Z0-9] ?|- )+)", heard)
    return {"pages": pages, "error": error, "options": options, "reference_heard": heard,
            "reference": (reference.group(1).replace(" ", "") if reference else ""), "keys": ear.keys}


def main() -> None:
    log, report = Path(sys.argv[1]), Path(sys.argv[2])
    ear = Listener(log)
    try:
        result: dict[str, object] = journey(ear)
        result["ok"] = True
    except (TimeoutError, subprocess.SubprocessError) as exc:
        result = {"ok": False, "error": str(exc), "keys": ear.keys}
    result["transcript"] = ear.heard
    report.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
