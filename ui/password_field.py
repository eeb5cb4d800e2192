"""A password field whose show-password button is reachable with Tab and toggled with Enter or Space."""

from nicegui import ui

from ui.i18n import _


def password_input(label: str) -> ui.input:
    """Build a hidden-text field with a show-password toggle button in its append slot.

    NiceGUI's own `password_toggle_button` is an icon without a tab stop, so keyboard users could not reach it.
    """
    field = ui.input(label, password=True)
    with field.add_slot("append"):
        toggle = ui.button(icon="visibility_off").props("flat round dense aria-pressed=false")
        toggle.props["aria-label"] = _("Show password")
        toggle.mark("password-toggle")

    def toggle_visibility() -> None:
        hidden = field.props.get("type") == "password"
        field.props(f"type={'text' if hidden else 'password'}")
        toggle.props(f"icon={'visibility' if hidden else 'visibility_off'}")
        toggle.props(f"aria-pressed={'true' if hidden else 'false'}")

    toggle.on_click(toggle_visibility)
    return field
