"""Child process for the crash test: commit a submission to the outbox, then die by SIGKILL
before anything is sent (exactly the window between commit and send)."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

from kiosk.outbox import Outbox

path, key, idempotency_key, payload_json = sys.argv[1:5]
outbox = Outbox(Path(path), key)
outbox.put("submission", idempotency_key, json.loads(payload_json))
print("committed", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
