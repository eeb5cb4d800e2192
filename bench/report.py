"""Printing result tables and writing a run's results as one JSON file."""

import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from services.db import PROJECT_ROOT

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass
class Table:
    """A printed table, whose rows go to the JSON file as objects keyed by column name."""

    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *values: Any) -> None:
        if len(values) != len(self.columns):
            raise ValueError(f"row has {len(values)} values but table {self.title!r} has {len(self.columns)} columns")
        self.rows.append(list(values))

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "rows": [dict(zip(self.columns, (_json_value(value) for value in row), strict=True)) for row in self.rows],
            "notes": self.notes,
        }


def _json_value(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 3)
    return value


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if abs(value) < 1:
            return f"{value:.3f}"
        return f"{value:.2f}" if abs(value) < 100 else f"{value:.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def format_table(table: Table) -> str:
    """Render `table` as aligned plain text: text columns left, numbers right."""
    cells = [[_cell(value) for value in row] for row in table.rows]
    widths = [max([len(name)] + [len(row[index]) for row in cells]) for index, name in enumerate(table.columns)]
    numeric = [
        bool(table.rows) and all(isinstance(row[index], int | float) or row[index] is None for row in table.rows)
        for index in range(len(table.columns))
    ]

    def line(values: list[str]) -> str:
        padded = [
            value.rjust(width) if is_number else value.ljust(width)
            for value, width, is_number in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(padded).rstrip()

    output = [table.title, line(table.columns), "  ".join("-" * width for width in widths)]
    output += [line(row) for row in cells]
    output += [f"  {note}" for note in table.notes]
    return "\n".join(output)


def machine_info() -> dict[str, Any]:
    """Describe where the figures were measured: CPU, Python, SQLite and the product's commit."""
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "git_commit": _git_output("rev-parse", "HEAD"),
        # The figures describe the working tree, which may differ from the commit above.
        "git_worktree_modified": bool(_git_output("status", "--porcelain", "--untracked-files=no")),
    }


def _cpu_model() -> str | None:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def _git_output(*arguments: str) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        completed = subprocess.run(  # noqa: S603  (fixed git command, no outside input)
            [git, *arguments], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout.strip()


def write_results(path: Path, parts: dict[str, Any], started_at: datetime, extra: dict[str, Any]) -> None:
    """Write one run's results to `path`, replacing it only once the whole file is written."""
    payload = {
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        **extra,
        "parts": parts,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.replace(path)
