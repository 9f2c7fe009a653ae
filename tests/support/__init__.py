"""Test support: SQL engines (DuckDB, Postgres, ZetaSQL in BigQuery mode) and a throwaway
Postgres server. Import as ``tests.support.engines`` (``support.engines`` is an alias set up by
tests/conftest.py; both names give the same module objects)."""
