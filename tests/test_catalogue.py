"""The translation catalogues must cover every message the code marks for translation."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _messages_in_code() -> set[str]:
    found = set()
    for package in ("services", "ui", "models"):
        for _filename, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalogue(locale: str):
    with (ROOT / "locale" / locale / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale=locale)


def test_code_has_messages():
    assert len(_messages_in_code()) > 50


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_message_in_catalogue(locale):
    catalogue = _catalogue(locale)
    missing = sorted(message for message in _messages_in_code() if message not in catalogue)
    assert not missing, f"run `make messages` and translate: {missing}"


def _is_translated(message) -> bool:
    return bool(message.string) and (not isinstance(message.string, tuple) or all(message.string))


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_message_translated(locale):
    catalogue = _catalogue(locale)
    untranslated = sorted(str(message.id) for message in catalogue if message.id and not _is_translated(message))
    assert not untranslated, f"missing {locale} translations: {untranslated}"


def test_every_message_in_code_has_english_text():
    # English is a full locale: an empty msgstr would fall back to the msgid silently, so a
    # message only counts as translated once someone wrote (or confirmed) its English text.
    catalogue = _catalogue("en")
    missing = sorted(
        message for message in _messages_in_code() if message not in catalogue or not _is_translated(catalogue[message])
    )
    assert not missing, f"write the English text in locale/en/LC_MESSAGES/messages.po: {missing}"


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_translations_keep_placeholders(locale):
    for message in _catalogue(locale):
        if not message.id or not message.string:
            continue
        source = message.id if isinstance(message.id, tuple) else (message.id,)
        target = message.string if isinstance(message.string, tuple) else (message.string,)
        for original, translated in zip(source, target, strict=False):
            for placeholder in ("{count}", "{code}", "{maximum}", "{when}", "{value}", "{length}"):
                assert (placeholder in original) == (placeholder in translated), (original, translated)


def test_no_translation_calls_inside_f_strings():
    # Babel's extractor does not look inside f-strings on Python 3.11, so such text never
    # reaches the catalogue and stays English on a Dutch screen.
    offenders = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "{_(" in line or "{ngettext(" in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders, f"move the translated text out of the f-string: {offenders}"
