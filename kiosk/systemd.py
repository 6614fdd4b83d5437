"""sd_notify without a dependency: READY=1 once at the attract screen, then WATCHDOG=1 from
the Qt event loop, so a hung loop stops the pings and systemd restarts the kiosk.

The socket and watchdog settings are taken out of the environment at start-up (as libsystemd's
``unset_environment`` does): otherwise a helper the kiosk starts — a D-Bus session daemon
autolaunched for accessibility, say — inherits them and tells systemd "READY" too early."""

from __future__ import annotations

import os
import socket


class Notifier:
    def __init__(self) -> None:
        self.address = os.environ.pop("NOTIFY_SOCKET", "")
        usec = os.environ.pop("WATCHDOG_USEC", "")
        pid = os.environ.pop("WATCHDOG_PID", "")
        self.watchdog_usec = int(usec) if usec.isdigit() and (not pid or pid == str(os.getpid())) else None

    def notify(self, state: str) -> bool:
        if not self.address:
            return False
        address = "\0" + self.address[1:] if self.address.startswith("@") else self.address  # abstract
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.connect(address)
                sock.sendall(state.encode("utf-8"))
        except OSError:
            return False
        return True

    def watchdog_interval_ms(self) -> int | None:
        """Half the watchdog period systemd asked for, or None when there is no watchdog."""
        return None if self.watchdog_usec is None else max(50, self.watchdog_usec // 2000)
