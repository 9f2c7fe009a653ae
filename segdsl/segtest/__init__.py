"""Segment tests: `.segtest` files next to the segments.

A file holds tests, each starting at a line `test "NAME"` followed by a TOML body (seconds
may be left out of date-times). `parse.py` reads the files into `SegTest` values with the
position of every key and value, `check.py` checks them against the schema and the project
(diagnostics SEG0701–SEG0715), `tables.py` loads a test's rows into a fresh database, `run.py`
runs the subject and compares, `generate.py` writes a test from real rows.
"""
