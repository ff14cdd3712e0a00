"""The build pipeline: load+validate → plan → render → seal → write snapshot (see docs/build.md)."""
