import pytest

from services.errors import (
    PasswordCommon,
    PasswordFromContext,
    PasswordMissing,
    PasswordRepeatMissing,
    PasswordsDiffer,
    PasswordTooLong,
    PasswordTooShort,
)
from services.password_policy import MAXIMUM_LENGTH, MINIMUM_LENGTH, check_new_password, context_words

CONTEXT = context_words("Jan de Vries", "jan.devries@voedselbank-roermond.nl", "Voedselbank Roermond")


def _check(password, repeat=None):
    check_new_password(password, password if repeat is None else repeat, context=CONTEXT)


def test_empty_password_rejected():
    with pytest.raises(PasswordMissing) as raised:
        _check("")
    assert raised.value.field == "password"


def test_eleven_characters_rejected():
    with pytest.raises(PasswordTooShort) as raised:
        _check("zqvkwmxpjtr")
    assert raised.value.params == {"length": 11, "minimum": MINIMUM_LENGTH}


def test_twelve_characters_accepted():
    _check("zqvkwmxpjtrh")


@pytest.mark.parametrize("length", [128, MAXIMUM_LENGTH])
def test_long_password_accepted(length):
    _check(("lange zin met woorden " * 20)[:length])


def test_too_long_rejected():
    with pytest.raises(PasswordTooLong) as raised:
        _check("x" * (MAXIMUM_LENGTH + 1))
    assert raised.value.params == {"maximum": MAXIMUM_LENGTH}


@pytest.mark.parametrize("password", ["qwerty123456", "QWERTY123456", "1q2w3e4r5t6y", "123456789987654321"])
def test_common_password_rejected(password):
    with pytest.raises(PasswordCommon) as raised:
        _check(password)
    assert raised.value.field == "password"


@pytest.mark.parametrize(
    ("password", "word"),
    [
        ("Bibliotheek2026!", "bibliotheek"),
        ("biebvoucher-123", "biebvoucher"),
        ("LIBRARY library 1", "library"),
        ("Voedselbank Roermond 7", "voedselbank"),
        ("devries.devries", "devries"),
        ("Jan de Vries 1980", "vries"),
    ],
)
def test_context_password_rejected(password, word):
    with pytest.raises(PasswordFromContext) as raised:
        _check(password)
    assert raised.value.params == {"word": word}


def test_context_word_with_common_rest_rejected():
    with pytest.raises(PasswordFromContext):
        _check("roermondqwerty123456")


def test_context_word_in_long_sentence_accepted():
    _check("my library card is blue and green")


def test_no_composition_rules():
    _check("alleen kleine letters en spaties")


def test_repeat_missing_rejected():
    with pytest.raises(PasswordRepeatMissing) as raised:
        _check("zqvkwmxpjtrh", repeat="")
    assert raised.value.field == "password_repeat"


def test_repeat_differs_rejected():
    with pytest.raises(PasswordsDiffer) as raised:
        _check("zqvkwmxpjtrh", repeat="zqvkwmxpjtrH")
    assert raised.value.field == "password_repeat"


def test_context_words_split_address_and_names():
    words = context_words("Jan de Vries", "jan.devries@voedselbank-roermond.nl", None)

    assert "devries" in words
    assert "voedselbank" in words
    assert "roermond" in words
    assert "vries" in words
    assert "de" not in words
    assert "nl" not in words
    assert words.index("voedselbank") < words.index("vries")
