"""Complete a journey through AT-SPI alone, as a screen-reader user's tools would: find controls
by role and accessible name, press them, set text. Run with Debian's python3 (pyatspi).

Prints "reference: <ref>" on success; exits non-zero naming what it could not find."""

import sys
import time

import pyatspi
from gi.repository import GLib

DEADLINE = time.time() + 90
#: What the kiosk announced (QAccessibleAnnouncementEvent reaches AT-SPI as object:announcement).
ANNOUNCED = []


def pump():
    """Deliver queued AT-SPI events (this script has no main loop of its own)."""
    context = GLib.MainContext.default()
    while context.pending():
        context.iteration(False)


def heard(text, timeout=10):
    end = min(DEADLINE, time.time() + timeout)
    while time.time() < end:
        pump()
        if any(text in said for said in ANNOUNCED):
            return
        time.sleep(0.1)
    sys.exit(f"not announced: {text!r}; heard {ANNOUNCED!r}")


def on_announcement(event):
    ANNOUNCED.append(str(event.any_data))


def walk(node, depth=0):
    if node is None or depth > 60:
        return
    yield node
    try:
        count = node.childCount
    except Exception:
        return
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        yield from walk(child, depth + 1)


def showing(node):
    try:
        return node.getState().contains(pyatspi.STATE_SHOWING)
    except Exception:
        return False


def find(app, role, name, timeout=15):
    end = min(DEADLINE, time.time() + timeout)
    while time.time() < end:
        for node in walk(app):
            try:
                if node.getRoleName() == role and node.name == name and showing(node):
                    return node
            except Exception:
                continue
        time.sleep(0.2)  # AT-SPI offers no "wait for this control" call: poll, with a deadline
    seen = []
    for node in walk(app):
        try:
            if node.name == name:
                seen.append(f"{node.getRoleName()} showing={showing(node)}")
        except Exception:
            continue
    sys.exit(f"not found: {role} {name!r}; by that name: {seen}")


def press(app, role, name):
    find(app, role, name).queryAction().doAction(0)


def type_into(app, name, text):
    find(app, "text", name).queryEditableText().setTextContents(text)


def main():
    pyatspi.Registry.registerEventListener(on_announcement, "object:announcement")
    desktop = pyatspi.Registry.getDesktop(0)
    app = None
    while app is None and time.time() < DEADLINE:
        for i in range(desktop.childCount):
            candidate = desktop.getChildAtIndex(i)
            if candidate is not None and candidate.name == "council-kiosk":
                app = candidate
        time.sleep(0.2)
    if app is None:
        sys.exit("the kiosk is not on the accessibility bus")
    press(app, "push button", "Touch the screen to start")
    find(app, "heading", "What do you want to do?")
    press(app, "push button", "Live alone? Pay less Council Tax")
    find(app, "heading", "Are you the only adult living at your home?")
    heard("Are you the only adult living at your home?")  # each new page is announced
    press(app, "push button", "Yes")  # an answer is a button that goes on
    find(app, "heading", "What is your full name?")
    press(app, "push button", "Continue")  # no name yet: the error is announced, assertively
    heard("There is a problem: Enter your full name")
    type_into(app, "What is your full name?", "Sam Screenreader")
    press(app, "push button", "Continue")
    find(app, "heading", "What is your Council Tax account number? (optional)")
    press(app, "push button", "Continue")  # the account number is optional
    find(app, "heading", "What is your address?")
    press(app, "push button", "My address is not listed")
    type_into(app, "Address line 1", "1 High Street")
    type_into(app, "Town or city", "Stockton-on-Tees")
    type_into(app, "Postcode", "TS18 1AU")
    press(app, "push button", "Continue")
    find(app, "heading", "Since when have you lived alone?")
    type_into(app, "Day, Since when have you lived alone?", "3")
    type_into(app, "Month, Since when have you lived alone?", "9")
    type_into(app, "Year, Since when have you lived alone?", "2026")
    press(app, "push button", "Continue")
    find(app, "heading", "What is your email address? (optional)")
    press(app, "push button", "Continue")  # the email address is optional
    find(app, "heading", "Check your answers before sending your application")
    find(app, "label", "Name: Sam Screenreader")  # check answers reads back what was set
    press(app, "push button", "Send application")
    heading = find(app, "heading", "Application sent")
    reference = find_reference(app)
    print(f"reference: {reference}", flush=True)
    return heading


def find_reference(app):
    for node in walk(app):
        try:
            if node.getRoleName() == "label" and node.name.startswith("Your reference: "):
                return node.name.removeprefix("Your reference: ").replace(" ", "")
        except Exception:
            continue
    sys.exit("no reference on the confirmation")


if __name__ == "__main__":
    main()
