"""Reaching the segments: membership tables for reverse-ETL tools (`materialize`) and
audience files for ad platforms (`export`). See docs/activation.md."""
