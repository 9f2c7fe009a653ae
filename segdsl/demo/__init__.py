"""The demo: a generated acme-shaped DuckDB warehouse to try segments on."""

from segdsl.demo.warehouse import DEMO_AS_OF, build_demo_warehouse, table_checksums

__all__ = ["DEMO_AS_OF", "build_demo_warehouse", "table_checksums"]
