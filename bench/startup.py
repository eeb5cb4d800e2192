"""Start-up time: from starting `main.py` until /login returns 200.

Measured on a fresh data folder (migrations and demo data included) and then again on the
folder the first start left behind (migrations already done, demo data present).
"""

import tempfile
import time
from pathlib import Path
from typing import Any

from bench.data import Datasets
from bench.fanout import resident_megabytes
from bench.report import Table
from bench.timing import summarise
from tests.app_server import running_app_server

REPEAT = 3


def run(_datasets: Datasets, **_options: Any) -> tuple[list[Table], dict[str, Any]]:
    """Start the app REPEAT times on fresh folders and REPEAT times on a used one."""
    fresh: list[float] = []
    again: list[float] = []
    memory: list[float] = []
    with tempfile.TemporaryDirectory(prefix="biebvoucher-startup-") as folder:
        for number in range(REPEAT):
            fresh.append(_start_once(Path(folder) / f"fresh-{number}", memory))
        for _ in range(REPEAT):
            again.append(_start_once(Path(folder) / "fresh-0", memory))
    table = Table("Start-up: main.py until /login returns 200, ms", ["data folder", "starts", "p50", "max"])
    for label, samples in (("new (migrate, demo data)", fresh), ("existing", again)):
        summary = summarise(samples)
        table.add(label, summary.count, summary.p50_ms, summary.max_ms)
    table.notes = [f"Resident memory right after start: {min(memory):.0f}-{max(memory):.0f} MiB."]
    return [table], {"fresh_ms": fresh, "existing_ms": again, "memory_mib": memory}


def _start_once(data_dir: Path, memory: list[float]) -> float:
    data_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    # running_app_server returns once /login has returned 200, polling every 0.1 s.
    with running_app_server(data_dir) as server:
        elapsed = (time.perf_counter() - started) * 1000
        memory.append(resident_megabytes(server.pid))
    return elapsed
