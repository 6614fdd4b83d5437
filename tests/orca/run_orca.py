"""Start Debian's Orca unchanged (run with Debian's /usr/bin/python3), with its debug log written
line by line: Orca opens the log with Python's default block buffering, so what it says would
reach the file only in batches, long after it was said.

    /usr/bin/python3 run_orca.py ORCA_ARGS...
"""

import builtins
import runpy
import sys

_open = builtins.open
_log = sys.argv[sys.argv.index("--debug-file") + 1]


def _line_buffered(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
    if file == _log and "w" in mode:
        kwargs["buffering"] = 1
    return _open(file, mode, *args, **kwargs)


builtins.open = _line_buffered
sys.argv = ["orca", *sys.argv[1:]]
runpy.run_path("/usr/bin/orca", run_name="__main__")
