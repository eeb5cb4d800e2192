"""Run the demo server with a stopped clock and seeded voucher codes, for the manual's screenshots.

The demo data is built from the current time and random codes, so two runs of `make docs`
would show other dates and codes. Here every run starts at the same moment and draws the same
codes, so a screenshot changes only when its screen does. The clock does not move while the
server runs: login codes never expire and sessions never go idle, which is fine for the few
minutes the screenshots take and wrong for anything else.
"""

import random
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from services import codes  # noqa: E402
from services.clock import LOCAL_ZONE, fixed_clock  # noqa: E402

# A Wednesday morning in the programme's time zone, within the default tariffs' period.
SCREENSHOT_MOMENT = datetime(2026, 11, 18, 10, 30, tzinfo=LOCAL_ZONE)
CODE_SEED = 2026


def seeded_code_generator(seed: int) -> Callable[[], str]:
    """Return a drop-in for `codes.generate_code` that draws the same codes in every run."""
    source = random.Random(seed)  # noqa: S311  (screenshots only; real codes stay cryptographic)

    def generate_code() -> str:
        payload = f"{source.randrange(codes.CODE_SPACE):0{codes.PAYLOAD_LENGTH}d}"
        return payload + codes.damm_check_digit(payload)

    return generate_code


def run() -> None:
    import main

    codes.generate_code = seeded_code_generator(CODE_SEED)
    with fixed_clock(SCREENSHOT_MOMENT):
        main.main()


if __name__ in {"__main__", "__mp_main__"}:
    run()
