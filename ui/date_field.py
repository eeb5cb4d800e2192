"""A date-of-birth field: typed as dd-mm-jjjj, or picked in a calendar that opens beside it."""

import json

from babel.dates import get_day_names, get_month_names
from nicegui import events, ui

from services.clock import local_today
from services.dates import MAX_AGE_YEARS, typed_date_or_none
from ui.i18n import _, current_locale

# The picker writes the form the field expects, so a picked date reads like a typed one.
PICKER_MASK = "DD-MM-YYYY"
# An empty field opens the calendar's year grid on the birth year of someone this old, so an adult's
# birth year is one or two taps away instead of several blocks of 20 years back from this year.
PICKER_START_AGE_YEARS = 45


def _calendar_locale(locale: str) -> dict[str, object]:
    """Return Quasar's `locale` prop of q-date with day and month names from Babel's CLDR data."""
    # Quasar lists the days from Sunday, Babel numbers them from Monday (0) to Sunday (6).
    days = get_day_names("wide", locale=locale)
    days_short = get_day_names("abbreviated", locale=locale)
    order = [6, 0, 1, 2, 3, 4, 5]
    months = get_month_names("wide", locale=locale)
    months_short = get_month_names("abbreviated", locale=locale)
    return {
        "days": [days[index] for index in order],
        "daysShort": [days_short[index] for index in order],
        "months": [months[number] for number in range(1, 13)],
        "monthsShort": [months_short[number] for number in range(1, 13)],
        "firstDayOfWeek": 1,
    }


def birth_date_field(label: str, value: str = "", *, marker: str, dense: bool = False) -> ui.input:
    """Build the text field with a calendar button. The service parses the field's text, whether typed or picked."""
    field = ui.input(label, value=value, placeholder=_("dd-mm-yyyy")).props(
        f"outlined maxlength=10 {'dense' if dense else ''} data-testid={marker}"
    )
    field.mark(marker)
    today = local_today()
    with field.add_slot("append"):
        button = ui.button(icon="event").props(f"flat round dense data-testid={marker}-calendar")
        button.props["aria-label"] = _("Choose the date in a calendar")
        button.mark(f"{marker}-calendar")
        with button, ui.menu().props("role=dialog").mark(f"{marker}-menu") as menu:
            # Quasar gives a menu role=menu, which may only contain menu items, not a calendar.
            menu.props["aria-label"] = _("Choose the date in a calendar")
            picker = ui.date(mask=PICKER_MASK).props("default-view=Years minimal").mark(f"{marker}-picker")
            picker.props["locale"] = _calendar_locale(current_locale())
            # Days after today and before the oldest accepted age cannot be picked.
            picker.props["navigation-min-year-month"] = f"{today.year - MAX_AGE_YEARS:04d}/01"
            picker.props["navigation-max-year-month"] = f"{today:%Y/%m}"
            picker.props["default-year-month"] = f"{today.year - PICKER_START_AGE_YEARS:04d}/01"
            picker.props[":options"] = f"date => date <= {json.dumps(f'{today:%Y/%m/%d}')}"

    showing_typed = False

    def show_typed_date() -> None:
        # Opening the calendar shows the typed date. That is not a pick, so the menu stays open.
        nonlocal showing_typed
        typed = typed_date_or_none(field.value)
        showing_typed = True
        try:
            picker.value = typed.strftime("%d-%m-%Y") if typed else None
        finally:
            showing_typed = False

    def take_picked_date(event: events.ValueChangeEventArguments) -> None:
        if event.value and not showing_typed:
            field.value = event.value
            menu.close()

    menu.on_value_change(lambda event: show_typed_date() if event.value else None)
    picker.on_value_change(take_picked_date)
    return field
