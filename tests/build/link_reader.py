"""A reader of the live link, in its own process: stats `<out>/index.html` in a tight loop until
`<stop>` exists, then prints how many stats it made and how many found nothing.

Run as `python -m tests.build.link_reader OUT STOP`; a separate process so the GIL does not
decide when it may look (tests/build/test_publish.py).
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    target, stop = os.path.join(sys.argv[1], "index.html"), sys.argv[2]
    looks = missing = 0
    print("ready", flush=True)
    while True:
        for _ in range(2000):
            looks += 1
            try:
                os.stat(target)
            except FileNotFoundError:
                missing += 1
        if os.path.exists(stop):
            break
    print(looks, missing, flush=True)


if __name__ == "__main__":
    main()
