"""Run SQL on a warehouse (DuckDB file or Postgres) and write member files.

Importing this package is cheap: drivers are imported when a connection is opened.
"""

from segdsl.warehouse.connection import (
    Warehouse,
    WarehouseError,
    connect,
    is_postgres_url,
    quote_ident,
    quote_literal,
)
from segdsl.warehouse.members import output_format, write_members

__all__ = [
    "Warehouse",
    "WarehouseError",
    "connect",
    "is_postgres_url",
    "output_format",
    "quote_ident",
    "quote_literal",
    "write_members",
]
