"""Sizes that make every page usable with a finger on a tablet."""

from nicegui import ui

# iOS Safari zooms into a focused field whose text is smaller than 16 px, and Quasar's fields use
# 14 px. On touch screens every button is at least 48 px high, above the 44 × 44 px of WCAG 2.5.5
# (target size). Desktops with a mouse keep Quasar's button sizes.
TOUCH_CSS = """
.q-field__native, .q-field__input, .q-field__prefix, .q-field__suffix { font-size: 16px; }
@media (pointer: coarse) {
  .q-btn { min-height: 48px; }
  .q-btn--round, .q-btn--dense { min-width: 48px; }
}
"""


def add_touch_styles() -> None:
    """Add the touch sizes to the current page."""
    ui.add_css(TOUCH_CSS)
