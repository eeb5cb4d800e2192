"""The user manual in docs/handleiding: its links and images exist, and its button names are the app's."""

import re
from pathlib import Path

from babel.messages.pofile import read_po

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MANUAL_DIR = PROJECT_ROOT / "docs" / "handleiding"
IMAGE_DIR = MANUAL_DIR / "img"
DUTCH_CATALOGUE = PROJECT_ROOT / "locale" / "nl" / "LC_MESSAGES" / "messages.po"

MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
MARKDOWN_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
BOLD = re.compile(r"\*\*(.+?)\*\*")
PLACEHOLDER = re.compile(r"\\\{\w+\\\}")
# Bold words on screen that are not in the catalogue: the language switch names the other
# language in that language itself.
NOT_IN_CATALOGUE = {"English", "Nederlands"}


def manual_pages() -> list[Path]:
    return sorted(MANUAL_DIR.glob("*.md"))


def dutch_patterns() -> list[re.Pattern[str]]:
    """Return a pattern per Dutch catalogue text, with `{name}` placeholders matching any text."""
    with DUTCH_CATALOGUE.open("rb") as file:
        catalogue = read_po(file)
    texts: list[str] = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        texts.extend(text for text in strings if text)
    return [re.compile(PLACEHOLDER.sub(".+?", re.escape(text))) for text in texts]


def test_manual_has_page_per_role():
    names = {page.name for page in manual_pages()}

    assert {"README.md", "intermediair.md", "bibliotheekmedewerker.md", "beheerder.md"} <= names


def test_manual_images_exist():
    for page in manual_pages():
        for target in MARKDOWN_IMAGE.findall(page.read_text(encoding="utf-8")):
            assert target.startswith("img/"), f"{page.name}: image {target} is not in img/"
            assert (MANUAL_DIR / target).is_file(), f"{page.name}: image {target} does not exist"


def test_manual_links_exist():
    for page in manual_pages():
        for target in MARKDOWN_LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue
            path = target.partition("#")[0]
            assert (MANUAL_DIR / path).is_file(), f"{page.name}: link to {target} leads to no file"


def test_every_screenshot_is_referenced():
    referenced = {
        target.removeprefix("img/")
        for page in manual_pages()
        for target in MARKDOWN_IMAGE.findall(page.read_text(encoding="utf-8"))
    }

    unused = sorted(path.name for path in IMAGE_DIR.glob("*.png") if path.name not in referenced)

    assert unused == [], (
        f"screenshots no page shows: {unused}; use them or stop making them in scripts/make_screenshots.py"
    )


def test_bold_names_are_screen_texts():
    patterns = dutch_patterns()
    unknown = []
    for page in manual_pages():
        for name in BOLD.findall(page.read_text(encoding="utf-8")):
            if name in NOT_IN_CATALOGUE:
                continue
            if not any(pattern.fullmatch(name) for pattern in patterns):
                unknown.append(f"{page.name}: {name}")

    assert unknown == [], f"bold names that no Dutch catalogue text matches: {unknown}"
