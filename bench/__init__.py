"""The segdsl benchmark suite: `make bench` runs bench/run.py."""
