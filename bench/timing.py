"""Timing helpers: timed calls, nearest-rank percentiles and a summary in milliseconds."""

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

DEFAULT_WARMUP = 5


@dataclass(frozen=True)
class Summary:
    """Latency of `count` timed calls, in milliseconds."""

    count: int
    p50_ms: float
    p95_ms: float
    min_ms: float
    max_ms: float

    def to_json(self) -> dict[str, Any]:
        return {key: round(value, 3) if isinstance(value, float) else value for key, value in asdict(self).items()}


def percentile(samples: Sequence[float], pct: float) -> float:
    """Return the nearest-rank percentile: the smallest sample with at least `pct`% of samples at or below it."""
    if not samples:
        raise ValueError("percentile of an empty sample list")
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def summarise(samples_ms: Sequence[float]) -> Summary:
    """Summarise latencies given in milliseconds."""
    return Summary(
        count=len(samples_ms),
        p50_ms=percentile(samples_ms, 50),
        p95_ms=percentile(samples_ms, 95),
        min_ms=min(samples_ms),
        max_ms=max(samples_ms),
    )


def time_each(functions: Sequence[Callable[[], object]]) -> list[float]:
    """Call each function once and return its duration in milliseconds, for calls that cannot repeat."""
    samples = []
    for function in functions:
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def time_interleaved(
    functions: Mapping[str, Callable[[], object]], *, repeat: int, warmup: int = DEFAULT_WARMUP
) -> dict[str, list[float]]:
    """Time each function once per round, round after round, and return milliseconds per name.

    Interleaving exposes every function to about the same background load on the machine,
    so their figures can be compared, and samples of one round added up.
    """
    for _ in range(warmup):
        for function in functions.values():
            function()
    samples: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            started = time.perf_counter()
            function()
            samples[name].append((time.perf_counter() - started) * 1000)
    return samples
