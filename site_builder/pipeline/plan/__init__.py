"""Stage plan: who may read what.

In: a loaded `Export` (register, access policy, documents) and a function from a login subject
to a reader id. Out: a `BuildPlan` (readers.py): every child and group bundle with the readers
allowed to open it, and who was left out and why. ids.py makes the opaque pseudonyms (HMAC of
the pseudonym key) that name children, bundles, blobs and posts everywhere after this stage.
"""
