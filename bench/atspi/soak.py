"""Many resident sessions driven over AT-SPI alone, as a screen reader's tools drive the kiosk:
find by role and name, press, set text, while the kiosk replaces pages under the bus's feet.
Run with Debian's python3 (pyatspi) by bench/atspi/run.sh. Prints one line per 10 sessions and
exits non-zero if the kiosk leaves the bus (a crash) or a control cannot be found."""

import sys
import time
from pathlib import Path

import pyatspi

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "atspi"))
from walker import showing, walk

SESSIONS = int(sys.argv[1]) if len(sys.argv) > 1 else 200


def kiosk():
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        candidate = desktop.getChildAtIndex(i)
        if candidate is not None and candidate.name == "council-kiosk":
            return candidate
    return None


def find(app, role, name, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        for node in walk(app):
            try:
                if node.getRoleName() == role and node.name.startswith(name) and showing(node):
                    return node
            except Exception:
                continue
        time.sleep(0.1)  # AT-SPI has no "wait for this control": poll, with a deadline
    if kiosk() is None:
        sys.exit("the kiosk left the accessibility bus: it crashed")
    sys.exit(f"not found: {role} {name!r}")


def press(app, role, name):
    find(app, role, name).queryAction().doAction(0)


def wifi(app):
    press(app, "push button", "Touch the screen to start")
    press(app, "push button", "Find free WiFi and computers")
    press(app, "push button", "A computer I can use")
    find(app, "heading", "Places near you")
    press(app, "push button", "Finish")
    press(app, "push button", "I didn't know I could do this online")


def start_again(app):
    press(app, "push button", "Touch the screen to start")
    press(app, "push button", "Get an online account")
    find(app, "heading", "Your online account")
    press(app, "push button", "Continue")
    find(app, "text", "What is your full name?").queryEditableText().setTextContents("Zqxv Canary")
    press(app, "push button", "Continue")
    find(app, "heading", "What is your date of birth?")
    press(app, "push button", "‹ Back")
    find(app, "heading", "What is your full name?")
    press(app, "push button", "Start again")
    press(app, "push button", "Yes, delete my answers")


def main():
    app = None
    end = time.time() + 60
    while app is None and time.time() < end:
        app = kiosk()
        time.sleep(0.2)
    if app is None:
        sys.exit("the kiosk is not on the accessibility bus")
    started = time.time()
    for n in range(1, SESSIONS + 1):
        (wifi if n % 2 else start_again)(app)
        find(app, "push button", "Touch the screen to start")
        if n % 10 == 0:
            print(f"{n} sessions, {time.time() - started:.0f} s", flush=True)
    print(f"done: {SESSIONS} sessions over AT-SPI, {time.time() - started:.0f} s, the kiosk still running")


if __name__ == "__main__":
    main()
