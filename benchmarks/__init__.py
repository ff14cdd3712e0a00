"""Reproducible benchmarks: a synthetic municipality, build timings, MkDocs side by side.

They print figures and write JSON; they never pass or fail on time. See docs/performance.md.
"""
