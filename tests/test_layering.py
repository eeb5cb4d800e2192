import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module.split(".")[0])
    return modules


@pytest.mark.parametrize("package", ["services", "models"])
def test_rules_never_import_ui(package):
    for path in sorted((ROOT / package).rglob("*.py")):
        forbidden = _imported_modules(path) & {"nicegui", "ui", "fastapi", "starlette"}
        assert not forbidden, f"{path.relative_to(ROOT)} imports {forbidden}"
