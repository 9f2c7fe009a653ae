"""The BigQuery engine: ZetaSQL's reference implementation in BigQuery mode, run through the
shared ZetaSQL service. Each loaded dataset is a registered catalog holding the table
contents; every query is analysed, prepared, evaluated and unprepared, and results come back
as plain Python values (NULL arrays as ``[]`` by default, as in BigQuery)."""

from __future__ import annotations

from .engine_base import BigQueryExecutionError, Engine
from .zetasql_service import _output_columns, _zetasql
from .zetasql_wasm import _ZetaSQLCallError


class BigQueryEngine(Engine):
    """ZetaSQL's reference implementation in BigQuery mode. Each dataset is a registered
    catalog holding the table contents; every query is analysed, prepared against the active
    catalog, evaluated and unprepared."""

    name = "bigquery"
    dialect = "bigquery"
    slow_queries = True

    def __init__(self, *, null_arrays_as_empty: bool = True) -> None:
        super().__init__()
        self.zs = _zetasql()
        self.null_arrays_as_empty = null_arrays_as_empty
        self._catalog_id = self.zs.schema_catalog(None)  # builtins only, until the first load

    @property
    def startup_seconds(self) -> float:
        return self.zs.startup_seconds

    def _create(self, n: int, prepared) -> int:
        specs = [spec for spec, _ in prepared]
        contents = {spec.name: self.zs.table_content(spec, rows, self.null_arrays_as_empty) for spec, rows in prepared}
        return self.zs.register(self.zs.catalog_proto(specs), contents)

    def _activate(self, catalog_id: int) -> None:
        self._catalog_id = catalog_id

    def _drop(self, catalog_id: int) -> None:
        if self._catalog_id == catalog_id:
            self._catalog_id = self.zs.schema_catalog(None)
        self.zs.unregister(catalog_id)

    def analyze(self, sql: str) -> list[tuple[str, str]]:
        """Analyse against the loaded tables; returns ``[(column, BigQuery type)]``."""
        return _output_columns(self.zs.analyze(self._catalog_id, sql), self.zs.type_pb2)

    def query(self, sql: str) -> list[tuple]:
        zs = self.zs
        zs.analyze(self._catalog_id, sql)  # raises BigQueryAnalysisError with the message
        try:
            prepared = zs.call(
                "PrepareQuery",
                zs.ls.PrepareQueryRequest(sql=sql, options=zs.options, registered_catalog_id=self._catalog_id),
                zs.ls.PrepareQueryResponse,
            ).prepared
        except _ZetaSQLCallError as exc:
            raise BigQueryExecutionError(exc.message, sql) from None
        try:
            resp = zs.call(
                "EvaluateQuery",
                zs.ls.EvaluateQueryRequest(prepared_query_id=prepared.prepared_query_id),
                zs.ls.EvaluateQueryResponse,
            )
        except _ZetaSQLCallError as exc:
            raise BigQueryExecutionError(exc.message, sql) from None
        finally:
            try:
                zs.call(
                    "UnprepareQuery",
                    zs.ls.UnprepareQueryRequest(prepared_query_id=prepared.prepared_query_id),
                    zs.empty_pb2.Empty,
                )
            except _ZetaSQLCallError:
                pass
        types = [c.type for c in prepared.columns]
        na = self.null_arrays_as_empty
        return [
            tuple(zs.to_python(v, types[i], na) for i, v in enumerate(row.cell))
            for row in resp.content.table_data.row
        ]
