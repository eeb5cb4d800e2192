"""The language of each page for Quasar's own texts, NiceGUI's texts and `<html lang>`.

NiceGUI takes the language from the page object that every client of a route shares (or from
`ui.run(language=...)`), so it would be the same for every browser. Each client here gets its
own copy of the page with the language of its browser.
"""

import copy

from nicegui import ui

from ui.i18n import current_locale

# Quasar language packs (nicegui/static/lang) for our locales. NiceGUI 3.18 ships no plain "en".
QUASAR_LANGUAGES = {"nl": "nl", "en": "en-US"}


def apply_page_language() -> None:
    """Set the language of the page being built to the language of its browser.

    Call it while the page is built, before NiceGUI renders the response; `apply_theme` does,
    so every page in a frame follows the chosen language.
    """
    client = ui.context.client
    page = copy.copy(client.page)
    page.language = QUASAR_LANGUAGES[current_locale()]
    client.page = page
