"""`segdsl dbt generate`: the project's segments as a dbt models folder (docs/dbt.md).

`models.py` builds each model's SQL from the compiled tree (sources, refs, the reference
date as a dbt var); `yml.py` the properties file with sources, tests and unit tests from the
`.segtest` files; `generate.py` puts them together as {relative path: text}.
"""
