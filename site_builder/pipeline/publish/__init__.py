"""Stage publish: sealed blobs → the live site, atomically.

In: the `BundleResult`s, the keyrings' contents and the build state. Out: the live site, one of
three ways chosen in build.py: nothing to do; a correction patched into the live snapshot
(patch.py); or a new snapshot tree assembled in staging — reused blobs hard-linked, earlier
snapshots carried (retained.py), keyrings and JSON written (write.py, public.py) — and swapped
in by one rename (snapshot.py). One build per output at a time (lock.py).
"""
