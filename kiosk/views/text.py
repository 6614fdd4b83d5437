"""Screen texts in the resident's language. ``tr("English text", name=value)`` looks the text up
through the application's installed translator (the controller installs one per language; no
module state here) and fills its {placeholders}; ``trn`` picks the plural form for a count."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QTranslator

from kiosk.workflows.placeholders import fill

if TYPE_CHECKING:
    from kiosk.workflows.i18n import Catalog

CONTEXT = "kiosk"


def tr(text: str, /, **values: Any) -> str:
    return fill(QCoreApplication.translate(CONTEXT, text), values)


def trn(one: str, other: str, count: int, /, **values: Any) -> str:
    text = QCoreApplication.translate(CONTEXT, one, other, count)
    if text == one and count != 1 and one != other:  # no translator installed: English rules
        text = other
    return fill(text, {"count": count, **values})


class CatalogTranslator(QTranslator):
    """A QTranslator that answers from a language's catalog (TOML data, not .qm files)."""

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        if context != CONTEXT:
            return None
        if n >= 0 and disambiguation:
            return self.catalog.plural_template(source, disambiguation, n)
        entry = self.catalog.ui.get(source)
        return entry if isinstance(entry, str) else source

    def isEmpty(self) -> bool:
        return False
