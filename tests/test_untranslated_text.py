"""Text that users read must go through the catalogue: literal strings in ui/ and services/
where users see them fail this test unless they are wrapped in `_()`, `N_()` or `ngettext()`."""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# NiceGUI elements whose first argument (or `text`/`label` keyword) is shown to the user.
TEXT_ELEMENTS = {
    "badge",
    "button",
    "checkbox",
    "chip",
    "date_input",
    "expansion",
    "input",
    "label",
    "link",
    "markdown",
    "menu_item",
    "notify",
    "number",
    "page_title",
    "select",
    "switch",
    "tab",
    "textarea",
    "tooltip",
}
# Element methods that set shown text: button.tooltip("..."), label.set_text("...").
TEXT_METHODS = {"tooltip", "set_text", "set_label"}
TEXT_KEYWORDS = {"text", "label", "placeholder", "hint", "title", "caption", "message"}
# Element props and table-column keys whose value is shown or read aloud.
TEXT_PROPS = {"label", "hint", "aria-label", "placeholder", "error-message", "title", "no-data-label"}
TEXT_DICT_KEYS = {"label", "headerName", "title"}
# Words that are the same in every language: the product name, and each language's own name.
ALLOWED_WORDS = {"biebvoucher", "Nederlands", "English"}
WORD = re.compile(r"[^\W\d_]{2,}")


def _has_words(text: str) -> bool:
    return any(word not in ALLOWED_WORDS for word in WORD.findall(text))


def _literal_text(node: ast.AST | None) -> str | None:
    """Return the literal text of a string or f-string node, or None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value for part in node.values if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    return None


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def _is_ui_call(call: ast.Call) -> bool:
    # ui.label(...), ui.notify(...); and ui.input(...) reached through `ui`.
    return isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) and call.func.value.id == "ui"


def _props_text(props: str) -> list[str]:
    """Return the values of text props inside a `.props("...")` string."""
    pattern = r"(?:^|\s)(" + "|".join(re.escape(name) for name in TEXT_PROPS) + r')=("[^"]*"|\'[^\']*\'|\S+)'
    return [value.strip("\"'") for _name, value in re.findall(pattern, props)]


def _findings(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _called_name(node)
            if _is_ui_call(node) and name in TEXT_ELEMENTS:
                first = node.args[0] if node.args else None
                for candidate in [first] + [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]:
                    text = _literal_text(candidate)
                    if text is not None and _has_words(text):
                        yield node.lineno, text
            if name in TEXT_METHODS and not _is_ui_call(node) and node.args:
                text = _literal_text(node.args[0])
                if text is not None and _has_words(text):
                    yield node.lineno, text
            if name == "props" and node.args:
                text = _literal_text(node.args[0])
                for value in _props_text(text or ""):
                    if _has_words(value):
                        yield node.lineno, value
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                # label.text = "..."
                if isinstance(target, ast.Attribute) and target.attr == "text":
                    text = _literal_text(node.value)
                    if text is not None and _has_words(text):
                        yield node.lineno, text
                # element.props["aria-label"] = "..."
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.slice, ast.Constant)
                    and target.slice.value in TEXT_PROPS
                    and isinstance(target.value, ast.Attribute)
                    and target.value.attr == "props"
                ):
                    text = _literal_text(node.value)
                    if text is not None and _has_words(text):
                        yield node.lineno, text
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in TEXT_DICT_KEYS:
                    text = _literal_text(value)
                    if text is not None and _has_words(text):
                        yield node.lineno, text
        elif isinstance(node, ast.ClassDef):
            # The message of a domain error: `message = N_("...")`, never a bare string.
            for statement in node.body:
                if (
                    isinstance(statement, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "message" for t in statement.targets)
                    and _literal_text(statement.value) is not None
                ):
                    yield statement.lineno, _literal_text(statement.value) or ""


def untranslated_literals(source: str) -> list[tuple[int, str]]:
    """Return (line, text) of every user-facing literal in `source` that skips the catalogue."""
    return sorted(set(_findings(ast.parse(source))))


def test_finder_catches_bare_label():
    assert untranslated_literals('ui.label("Opslaan")') == [(1, "Opslaan")]


def test_finder_catches_bare_notify_and_props():
    source = (
        'ui.notify(f"Bewaard: {name}")\n'
        'button.props["aria-label"] = "Sluiten"\n'
        'x.props("hint=Verplicht")\n'
        'done.text = "Klaar"\n'
        'button.tooltip("Wis")\n'
    )
    expected = [(1, "Bewaard: "), (2, "Sluiten"), (3, "Verplicht"), (4, "Klaar"), (5, "Wis")]
    assert untranslated_literals(source) == expected


def test_finder_catches_bare_error_message():
    source = 'class Wrong(DomainError):\n    message = "Dat klopt niet."'
    assert untranslated_literals(source) == [(2, "Dat klopt niet.")]


def test_finder_passes_translated_and_technical_text():
    source = (
        'ui.label(_("Save"))\n'
        'ui.button(icon="event").props("flat round data-testid=save-button")\n'
        'ui.page_title(f"{title} · biebvoucher")\n'
        'class Wrong(DomainError):\n    message = N_("Wrong.")\n'
        'columns = [{"name": "count", "label": _("Vouchers"), "field": "count"}]\n'
    )
    assert untranslated_literals(source) == []


def test_pages_and_services_have_no_untranslated_text():
    offenders = []
    for package in ("ui", "services"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, text in untranslated_literals(path.read_text(encoding="utf-8")):
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {text!r}")
    assert not offenders, "wrap this text in _() (ui) or N_() (services):\n" + "\n".join(offenders)
