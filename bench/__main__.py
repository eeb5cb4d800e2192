"""Run the benchmarks: `python -m bench [PART ...]` prints tables and writes them as JSON.

With no PART every part runs, in the order of PARTS, and the results go to
bench/results/latest.json. A run of some parts writes latest-<parts>.json instead.
"""

import argparse
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import desk_load, fanout, issue, live_update, overview, pdf, redeem, startup
from bench.data import Datasets
from bench.report import RESULTS_DIR, Table, format_table, write_results
from services.settings import get_settings

logger = logging.getLogger("bench")

PartRunner = Callable[..., tuple[list[Table], dict[str, Any]]]
# Order matters: redemption uses up reserved vouchers and issuing adds vouchers to the shared datasets.
PARTS: dict[str, PartRunner] = {
    "overview": overview.run,
    "redeem": redeem.run,
    "load": desk_load.run,
    "issue": issue.run,
    "pdf": pdf.run,
    "live": live_update.run,
    "fanout": fanout.run,
    "startup": startup.run,
}


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", metavar="PART", help=f"parts to run, any of: {', '.join(PARTS)}")
    parser.add_argument(
        "--skip-postgres", action="store_true", help="measure on SQLite only (PostgreSQL rows are left out)"
    )
    parser.add_argument("--output", type=Path, help="JSON file to write (default: bench/results/latest[-PARTS].json)")
    arguments = parser.parse_args(argv)
    unknown = [name for name in arguments.parts if name not in PARTS]
    if unknown:
        parser.error(f"unknown part {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    return arguments


def use_isolated_settings(folder: Path) -> None:
    """Point the services at a temporary data folder and the default issuing limit, whatever the shell set."""
    for name in [name for name in os.environ if name.startswith("BIEBVOUCHER_")]:
        del os.environ[name]
    os.environ["BIEBVOUCHER_DATA_DIR"] = str(folder)
    os.environ["BIEBVOUCHER_MAX_VOUCHERS_PER_REQUEST"] = "10"
    get_settings.cache_clear()


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    selected = [name for name in PARTS if name in arguments.parts] or list(PARTS)
    output = arguments.output or RESULTS_DIR / (
        "latest.json" if selected == list(PARTS) else f"latest-{'-'.join(selected)}.json"
    )
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logger.setLevel(logging.INFO)

    started_at = datetime.now(UTC)
    load_at_start = os.getloadavg()[0]
    # Other work on the machine shows up in the figures, and the load average lets a reader judge how much.
    print(f"load average at start: {load_at_start:.2f} on {os.cpu_count()} CPUs\n", flush=True)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="biebvoucher-bench-") as folder, ExitStack() as stack:
        use_isolated_settings(Path(folder))
        datasets = Datasets(Path(folder), stack)
        for name in selected:
            logger.info("running part %s", name)
            part_started = time.perf_counter()
            tables, details = PARTS[name](datasets, include_postgres=not arguments.skip_postgres)
            seconds = time.perf_counter() - part_started
            load_after = os.getloadavg()[0]
            for table in tables:
                print(format_table(table), end="\n\n", flush=True)
            results[name] = {
                "seconds": round(seconds, 1),
                "load_average_after": round(load_after, 2),
                "tables": [t.to_json() for t in tables],
                "details": details,
            }

        loads = Table("Datasets built for this run", ["database", "vouchers", "load s", "intermediary org vouchers"])
        for dataset in datasets.built:
            loads.add(
                dataset.label, dataset.voucher_count, dataset.load_seconds, dataset.intermediary_organisation_vouchers
            )
        if loads.rows:
            print(format_table(loads), end="\n\n")

    settings = get_settings()
    write_results(
        output,
        results,
        started_at,
        {
            "load_average_at_start": round(load_at_start, 2),
            "datasets": loads.to_json()["rows"],
            "settings": {
                "max_vouchers_per_request": settings.max_vouchers_per_request,
                "validity_days": settings.validity_days,
            },
        },
    )
    print(f"results written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
