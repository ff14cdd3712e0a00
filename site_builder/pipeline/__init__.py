"""The build pipeline, one sub-package per stage, in the order the data flows (docs/build.md):

    shell/       the theme's folders and the app's ES modules bundled into one file
    plan/        export → who may read which bundle, and the opaque ids that name them
    state/       the state dir: master keys and the encrypted build state (what was sealed)
    render/      a child's documents → sanitized HTML fragments → bundle JSON
    seal/        plaintext → encrypted, content-addressed blobs; keyrings per reader
    incremental/ render + seal as one task per bundle, redoing only what changed
    publish/     the sealed blobs → a live site (a new snapshot tree or a patch in place)
    build.py     `build()`: the stages above in order, for one loaded export
    runs/        how a build is started: once from an export folder, or resident (--watch)

Each sub-package imports only from those listed above it (tests/test_import_graph.py).
"""
