"""Error messages shown below a Quasar field, set through its `error` and `error-message` props."""

from nicegui import ui


def mark_field_error(element: ui.element, message: str) -> None:
    """Show `message` below the field and colour it as wrong.

    Quasar (the build in NiceGUI 3.18) gives this message role=alert, so screen readers announce
    it and the form needs no second copy in its own alert line.
    """
    element.props["error"] = True
    element.props["error-message"] = message
    element.update()


def clear_field_error(element: ui.element) -> None:
    """Remove the message and the error colour that `mark_field_error` set."""
    element.props["error"] = False
    element.update()
