"""Running axe-core (node_modules/axe-core, installed by `make install`) in a Playwright page.

axe-core checks the rendered page against WCAG rules. The tests fail on violations of impact
serious or critical, and list each with its rule, impact, the elements it found and axe's help text.
"""

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"

# axe-core's tags for the success criteria of WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
FAILING_IMPACTS = ("serious", "critical")
# True once every running animation or transition is one that never ends, such as a spinner.
SETTLED_SCRIPT = """() => document.getAnimations().every(
    animation => animation.playState !== 'running' || animation.effect.getTiming().iterations === Infinity)"""
# Elements listed per violated rule; a table with 25 unlabelled checkboxes needs no 25 lines.
SHOWN_TARGETS = 3


def serious_violations(page: Page, within: str = "html") -> list[dict[str, Any]]:
    """Run axe-core on the part of `page` that the CSS selector `within` selects, as it is now,
    and return its serious and critical violations."""
    if not AXE_SCRIPT.is_file():
        raise FileNotFoundError(f"{AXE_SCRIPT} is missing; run `make install` to install axe-core from npm")
    # A colour in the middle of a fade is no colour the user reads, so let transitions end first.
    page.wait_for_function(SETTLED_SCRIPT)
    # A page keeps the injected script until it navigates, so inject it only once per document.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        "([within, tags]) => axe.run(within, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        [within, WCAG_AA_TAGS],
    )
    return [violation for violation in results["violations"] if violation["impact"] in FAILING_IMPACTS]


def describe_violations(where: str, violations: list[dict[str, Any]]) -> list[str]:
    """Return one readable line per violated rule: place, rule, impact, help, and the first elements it names."""
    lines = []
    for violation in violations:
        targets = [" ".join(str(part) for part in node["target"]) for node in violation["nodes"]]
        listed = "; ".join(targets[:SHOWN_TARGETS])
        more = f" and {len(targets) - SHOWN_TARGETS} more" if len(targets) > SHOWN_TARGETS else ""
        lines.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}, at {listed}{more}")
    return lines


class AxeReport:
    """Violations collected over several pages and states, so one test can check many of them."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.checked: list[str] = []

    def check(self, page: Page, where: str, within: str = "html") -> None:
        """Run axe-core on `page`, or on the part that `within` selects, and record its
        serious and critical violations under `where`."""
        self.checked.append(where)
        self.lines.extend(describe_violations(where, serious_violations(page, within)))

    def text(self) -> str:
        heading = f"{len(self.lines)} serious or critical axe-core violations in {len(self.checked)} checked states:"
        return heading + "\n" + "\n".join(self.lines)
