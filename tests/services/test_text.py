import pytest

from models.text import fold_for_search, holder_search_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Núñez", "nunez"),
        ("Ayşe Yılmaz", "ayse yilmaz"),
        ("Łukasz  Wójcik", "lukasz wojcik"),
        ("Ionuț Popescu", "ionut popescu"),
        ("Ödön Erdős", "odon erdos"),
        ("François Façade", "francois facade"),
        ("O'Neill", "o'neill"),
        ("van der Meer-Smeets", "van der meer-smeets"),
        ("Søren Ærø", "soren aero"),
        ("STRAẞE", "strasse"),
    ],
)
def test_fold_for_search(text, expected):
    assert fold_for_search(text) == expected


def test_holder_search_text_without_name_is_none():
    assert holder_search_text(None, "  ") is None
    assert holder_search_text("Kees", None) == "kees"
