"""NiceGUI's own texts (the reconnect notice) in Dutch, through our catalogue."""

from nicegui.translations import translations

from services.i18n import N_, translate

NICEGUI_TEXTS = {
    "connection_lost": N_("Connection lost."),
    "trying_to_reconnect": N_("Trying to reconnect..."),
    "message_too_long": N_("Message too long"),
    "message_too_long_body": N_("The message is too large to send to the server."),
}


def register_dutch_texts() -> None:
    """Add Dutch to NiceGUI's table of client texts, which has no Dutch entry (NiceGUI 3.18)."""
    translations["nl"] = {key: translate("nl", message) for key, message in NICEGUI_TEXTS.items()}
