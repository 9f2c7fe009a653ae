"""`segdsl init`: a new project with a commented schema, three example segments in two files
and a README.

The schema is a subset of the acme example schema, so the new project runs as-is against
the demo warehouse (`segdsl demo` builds one) before anyone points it at real data.
"""

from __future__ import annotations

import os
from pathlib import Path

SCHEMA = '''\
# segdsl.toml: project settings and the schema every segment is checked against.
# Segments may only use the tables and columns listed here; types catch typos early.

[project]
timezone = "UTC"         # "today" and "in last N days" count whole days in this time zone
dialect = "duckdb"       # SQL dialect to compile to: duckdb, postgres or bigquery
# warehouse = "warehouse.duckdb"   # default database of every command: a DuckDB file
#                                  # (relative to this folder) or a postgresql:// URL
# as_of = "2024-06-30"             # a fixed "today" for every command, e.g. to freeze a
#                                  # report; --as-of wins. Default: the warehouse's today

# The entity: the table with one row per customer.
[entity]
name = "customer"        # what one row is, used in messages
table = "customers"      # table name in the warehouse
key = "customer_id"      # column that identifies a customer; segments return these keys

# Customer attributes. Types: integer, number, string, boolean, date, timestamp,
# list<string>. A `values` list makes a column an enumeration: comparing it with any
# other value is an error with a "did you mean" suggestion.
[entity.columns]
customer_id = "integer"
email = "string"
region = { type = "string", values = ["West Coast", "East Coast", "Midwest", "South", "Mountain"] }
plan = { type = "string", values = ["free", "basic", "pro", "enterprise"] }
is_subscribed = "boolean"
signup_date = "date"

# A relation: a table with many rows per customer (orders, events, tickets, ...).
# Segments reach it by this name: count(orders), sum(orders.amount), has orders ...
[relations.orders]
table = "orders"         # table name in the warehouse
key = "customer_id"      # column holding the customer key
time = "ordered_at"      # column that `in last N days`, first() and last() use

[relations.orders.columns]
order_id = "integer"
ordered_at = "timestamp"
amount = "number"
status = { type = "string", values = ["paid", "refunded", "cancelled"] }
'''

VALUE_SEG = '''\
# A one-line segment: customers whose orders add up to more than 500.
segment big_spenders where sum(orders.amount) > 500

# Conditions combine with and / or / not; enumerations are checked against segdsl.toml.
segment west_coast_pros where region = "West Coast" and plan in ["pro", "enterprise"]
'''

LIFECYCLE_SEG = '''\
# Traits are named per-customer values; every segment in the project can use them.
trait lifetime_value = sum(orders.amount where status = "paid")
trait last_order_at = max(orders.ordered_at)

# The block form carries metadata for reviewers and downstream tools.
segment lapsed_vips "Lapsed VIPs" {
  description: "High-value customers who have not ordered for six months"
  owner: "crm-team@example.com"
  tags: [value, lifecycle]
  where lifetime_value > 1000 and last_order_at before 180 days ago
}
'''

README = '''\
# Customer segments

Customer segments as code, written in the segdsl language and compiled to SQL.

- `segdsl.toml`: project settings and the schema (the customer table and its related tables).
- `segments/*.seg`: segment and trait definitions. All files share one namespace.

## Next steps

1. Describe your warehouse in `segdsl.toml`, or draft it from the database:
   `segdsl schema pull --db warehouse.duckdb --entity customers --key customer_id`
   (or `--url postgresql://...`), then review the result.
2. Write segments in `segments/` (comments start with `#`) and check them against the
   schema with `segdsl check .`; `segdsl compile .` shows the SQL.
3. Run them and see how many customers each one holds:
   `segdsl run . --db warehouse.duckdb` (or set `warehouse` in `segdsl.toml`).
   Add `--as-of YYYY-MM-DD` for a reproducible "today" and `--output members.csv`
   to export the members.

No warehouse yet? `segdsl demo --dir .` builds a sample one here (`demo.duckdb`, which this
project's schema fits) and runs these segments on it; then try your own changes with
`segdsl run . --db demo.duckdb --as-of 2024-06-30` (the day the sample data ends).
'''

# Relative path -> content. Order is the order files are created and reported in.
FILES: dict[str, str] = {
    "segdsl.toml": SCHEMA,
    "segments/value.seg": VALUE_SEG,
    "segments/lifecycle.seg": LIFECYCLE_SEG,
    "README.md": README,
}


class ProjectExistsError(FileExistsError):
    """init would overwrite files; `paths` lists the ones that already exist."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        names = ", ".join(str(p) for p in paths)
        super().__init__(f"refusing to overwrite existing files: {names}")


def init_project(directory: str | os.PathLike[str]) -> list[Path]:
    """Create a new project in `directory` (created if missing); return the files written.

    Nothing is written if any of the files already exists (ProjectExistsError).
    """
    root = Path(directory)
    if root.exists() and not root.is_dir():
        raise NotADirectoryError(f"{root} exists and is not a folder")
    targets = [root / rel for rel in FILES]
    existing = [p for p in targets if p.exists()]
    if existing:
        raise ProjectExistsError(existing)
    written: list[Path] = []
    try:
        for path, content in zip(targets, FILES.values()):
            path.parent.mkdir(parents=True, exist_ok=True)
            # "x": fail rather than overwrite if a file appeared since the check above.
            with open(path, "x", encoding="utf-8", newline="\n") as fh:
                fh.write(content)
            written.append(path)
    except FileExistsError as exc:
        for path in written:  # leave the folder as it was
            path.unlink(missing_ok=True)
        raise ProjectExistsError([Path(exc.filename)]) from None
    return written
