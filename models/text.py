"""Text folding for search: case and accents removed, so "nunez" finds "Núñez"."""

import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent.
_SEPARATE_LETTERS = str.maketrans(
    {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ı": "i", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe"}
)


def fold_for_search(text: str) -> str:
    """Return `text` lower-cased, without accents and with single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SEPARATE_LETTERS))
    without_marks = "".join(character for character in decomposed if not unicodedata.combining(character))
    return " ".join(without_marks.casefold().split())


def holder_search_text(first_name: str | None, last_name: str | None) -> str | None:
    """Return the folded "first last" name that the overview searches, or None without a name."""
    folded = fold_for_search(f"{first_name or ''} {last_name or ''}")
    return folded or None
