"""The Docker daemon's timestamps as epoch seconds.

Contract: `epoch(text)` reads an RFC 3339 time as the daemon writes it (`2024-05-01T10:00:00.123456789Z`
or with a `+hh:mm` offset; any number of fraction digits, kept to microseconds) and returns epoch
seconds as a float. The daemon's zero time (`0001-01-01T00:00:00Z`, "never") and an empty string
give 0.0, which the CRI structs read as "not yet". Text that is not a time raises `ValueError`.
"""

from __future__ import annotations

import re
from datetime import datetime

_FRACTION = re.compile(r"\.(\d+)")
_ZERO_YEAR = "0001-"


def epoch(text: str) -> float:
    if not text or text.startswith(_ZERO_YEAR):
        return 0.0
    text = _FRACTION.sub(lambda match: "." + match.group(1)[:6].ljust(6, "0"), text, count=1)
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text).timestamp()
