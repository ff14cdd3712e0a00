"""The state dir, kept apart from the published site.

In: the state dir's path and the master key(s). Out: a `KeySet` (keystore.py: the master key,
a retired key after `keys rotate`, the state key) and the `BuildState` (build_state.py: which
blob was sealed under which key, which snapshots exist), read and written encrypted and
atomically. Of the pipeline it imports only plan/ids.py (the key's fingerprint is a
pseudonym); every later stage may read it.
"""
