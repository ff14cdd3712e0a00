"""The `site-builder` command every benchmark runs, and the benchmark-only key it runs with.

Shared by build.py, resident.py, client.py and profile_build.py, so none of them imports
another benchmark's script (no import circle between build.py and resident.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# A fixed, benchmark-only master key (base64url of 32 bytes): the output is thrown away.
BENCH_MASTER_KEY = "YmVuY2htYXJrLW9ubHktbWFzdGVyLWtleS0zMmJ5dGU"


def site_builder_exe() -> str:
    beside = Path(sys.executable).parent / "site-builder"
    return str(beside) if beside.exists() else "site-builder"
