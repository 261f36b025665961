"""The localized words renderers need besides the summary's own texts (chart, pages, markers).

The composer puts `renderer_labels(t)` into `Summary.labels` so the renderers never translate;
a label missing from a summary falls back to the English wording (`label`).
"""

from __future__ import annotations

from bot.dialogue.translation import Translator
from bot.i18n import N_

CONTINUED = "continued"
CHART_TITLE = "chart_title"
CHART_NONE = "chart_none"
CHART_ALT = "chart_alt"
PAGE = "page"
LEGEND = "legend"

# English wording (the msgids); translated through the catalogs by `renderer_labels`.
_WORDING: dict[str, str] = {
    # A section that did not fit in one message goes on in the next: "Commitments (continued)".
    CONTINUED: N_("{title} (continued)"),
    CHART_TITLE: N_("Scales over time"),
    CHART_NONE: N_("No scale answers yet, so there is no chart."),
    CHART_ALT: N_("Chart of the scales over time"),
    PAGE: N_("Page {page} of {pages}"),
    LEGEND: N_("↑ rising · ↓ falling · → unchanged since the answer before"),
}


def renderer_labels(t: Translator) -> dict[str, str]:
    """Every renderer label translated for the reader (what goes into `Summary.labels`)."""
    return {key: t.gettext(msgid) for key, msgid in _WORDING.items()}


def label(labels: dict[str, str], key: str, **values: object) -> str:
    """A label from the summary (English when missing), with its {placeholders} filled."""
    text = labels.get(key) or _WORDING[key]
    try:
        return text.format(**values) if values else text
    except (KeyError, IndexError, ValueError):
        # A translation with a broken placeholder must not stop a summary from going out.
        return _WORDING[key].format(**values)
