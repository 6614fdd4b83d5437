"""Stop PySide6 keeping the source of every module in memory.

PySide6 hooks imports to learn whether each newly imported module uses it (for its optional
``__feature__`` switches). It asks ``inspect.getsource(module)``, which reads the whole file
through ``linecache`` and keeps it there as a list of lines: for the kiosk, 380 modules and
about 13 MiB that nothing ever reads again. The same question is answered here by reading the
file once and keeping nothing. Behaviour is unchanged: a module whose source names PySide6 is
marked as using it, any other (or one without a ``.py`` source) is not."""

from __future__ import annotations

import linecache
import sys
from types import ModuleType


def _uses_pyside(module: ModuleType) -> bool:
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


def stop_keeping_sources() -> bool:
    """Call once PySide6 is imported, as early as possible. False if this PySide6 has no such
    hook (then there is nothing to undo)."""
    feature = sys.modules.get("PySide6.support.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = _uses_pyside  # type: ignore[attr-defined]
    linecache.clearcache()
    return True
