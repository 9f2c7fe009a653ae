"""ZetaSQL in BigQuery mode: the process-wide service ``_ZetaSQL`` (one wasm instance with
BigQuery's language and analyser options) that registers catalogs, converts values to and from
protobuf and analyses SQL; the wasmtime compile cache (``zetasql_cache_dir``,
``install_zetasql_compile_cache``); and ``analyze_bigquery``, which analyses SQL against a
schema's tables without data. zetasql, protobuf and wasmtime are imported only when the
service first starts or the compile cache is installed."""

from __future__ import annotations

import datetime as _dt
import decimal
import os
import threading
import time
from pathlib import Path
from typing import Any, Iterable, Mapping

from .engine_base import (
    _EPOCH_DATE,
    _EPOCH_TS,
    BigQueryAnalysisError,
    EngineUnavailable,
    TableSpec,
    _fingerprint,
    _py,
    schema_tables,
)
from .zetasql_wasm import _WasmService, _ZetaSQLCallError

REPO_ROOT = Path(__file__).resolve().parents[2]


# =========================================================================== ZetaSQL


def zetasql_cache_dir() -> Path:
    """Where the wasmtime compile cache lives (``$SEGDSL_ZETASQL_CACHE`` or ``.cache/zetasql``)."""
    env = os.environ.get("SEGDSL_ZETASQL_CACHE", "").strip()
    return Path(env) if env else REPO_ROOT / ".cache" / "zetasql"


class _ZetaSQL:
    """Process-wide ZetaSQL service (one wasm instance) with BigQuery-mode options."""

    _instance: "_ZetaSQL | None" = None
    _lock = threading.Lock()

    @classmethod
    def get(cls) -> "_ZetaSQL":
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def __init__(self) -> None:
        t0 = time.monotonic()
        try:
            import wasmtime  # noqa: F401
            from google.protobuf import empty_pb2
            from zetasql.wasi import get_wasm_path
            from zetasql.wasi._pb2.zetasql.local_service import local_service_pb2
            from zetasql.wasi._pb2.zetasql.proto import options_pb2, simple_catalog_pb2
            from zetasql.wasi._pb2.zetasql.public import options_pb2 as public_options_pb2
            from zetasql.wasi._pb2.zetasql.public import simple_table_pb2, type_pb2, value_pb2
        except ImportError as exc:
            raise EngineUnavailable(f"zetasql is not installed: {exc} (pip install 'zetasql==0.1.5')") from exc

        self.ls = local_service_pb2
        self.value_pb2 = value_pb2
        self.type_pb2 = type_pb2
        self.table_pb2 = simple_table_pb2
        self.catalog_pb2 = simple_catalog_pb2
        self.empty_pb2 = empty_pb2
        self.cache_dir = zetasql_cache_dir()
        try:
            self.service = _WasmService(Path(get_wasm_path()), self._cache_config())
            # BigQuery: every released feature (what zetasql's LanguageOptions.maximum_features()
            # builds), external product mode, time zone UTC (ZetaSQL's default time zone is
            # America/Los_Angeles, which would shift DATE(ts) and timestamp literals).
            maximum = self.service.call(
                "GetLanguageOptions",
                local_service_pb2.LanguageOptionsRequest(maximum_features=True),
                options_pb2.LanguageOptionsProto,
            )
            lang = options_pb2.LanguageOptionsProto(
                name_resolution_mode=public_options_pb2.NAME_RESOLUTION_DEFAULT,
                product_mode=public_options_pb2.PRODUCT_EXTERNAL,
                enabled_language_features=list(maximum.enabled_language_features),
            )
            self.language_options = lang
            self.builtins = options_pb2.ZetaSQLBuiltinFunctionOptionsProto(language_options=lang)
            self.options = options_pb2.AnalyzerOptionsProto(
                language_options=lang,
                default_timezone="UTC",
                error_message_mode=public_options_pb2.ERROR_MESSAGE_ONE_LINE,
            )
        except Exception as exc:
            raise EngineUnavailable(f"ZetaSQL failed to start: {type(exc).__name__}: {exc}") from exc
        self._schema_catalogs: dict[str, int] = {}
        self.startup_seconds = time.monotonic() - t0

    def _cache_config(self) -> Path | None:
        return self._write_cache_config(self.cache_dir)

    @staticmethod
    def _write_cache_config(cache_dir: Path) -> Path | None:
        """Write ``<cache>/wasmtime-cache.toml`` pointing wasmtime at ``<cache>/wasmtime``."""
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            conf = cache_dir / "wasmtime-cache.toml"
            text = "[cache]\ndirectory = " + _toml_str(str(cache_dir / "wasmtime")) + "\n"
            if not conf.exists() or conf.read_text() != text:
                tmp = conf.with_name(f"{conf.name}.{os.getpid()}.tmp")
                tmp.write_text(text)
                os.replace(tmp, conf)
            return conf
        except OSError:
            return None  # read-only checkout: run without the cache

    # -- raw calls --------------------------------------------------------------------------

    def call(self, method: str, request, response_type):
        return self.service.call(method, request, response_type)

    def register(self, catalog_proto, contents: dict | None = None) -> int:
        req = self.ls.RegisterCatalogRequest(simple_catalog=catalog_proto)
        for name, content in (contents or {}).items():
            req.table_content[name].CopyFrom(content)
        return self.call("RegisterCatalog", req, self.ls.RegisterResponse).registered_id

    def unregister(self, catalog_id: int) -> None:
        self.call("UnregisterCatalog", self.ls.UnregisterRequest(registered_id=catalog_id), self.empty_pb2.Empty)

    def analyze(self, catalog_id: int, sql: str):
        req = self.ls.AnalyzeRequest(options=self.options, registered_catalog_id=catalog_id, sql_statement=sql)
        try:
            return self.call("Analyze", req, self.ls.AnalyzeResponse)
        except _ZetaSQLCallError as exc:
            raise BigQueryAnalysisError(exc.message, sql) from None

    # -- catalogs ---------------------------------------------------------------------------

    def zeta_type(self, typ: str):
        tp = self.type_pb2
        kinds = {
            "integer": tp.TYPE_INT64,
            "number": tp.TYPE_DOUBLE,  # FLOAT64
            "string": tp.TYPE_STRING,
            "boolean": tp.TYPE_BOOL,
            "date": tp.TYPE_DATE,
            "timestamp": tp.TYPE_TIMESTAMP,
        }
        if typ.startswith("list<"):
            element = tp.TypeProto(type_kind=kinds[typ[5:-1]])
            return tp.TypeProto(type_kind=tp.TYPE_ARRAY, array_type=tp.ArrayTypeProto(element_type=element))
        return tp.TypeProto(type_kind=kinds[typ])

    def catalog_proto(self, specs: Iterable[TableSpec]):
        catalog = self.catalog_pb2.SimpleCatalogProto(name="segdsl", builtin_function_options=self.builtins)
        for spec in specs:
            table = catalog.table.add(name=spec.name)
            for c in spec.columns:
                table.column.add(name=c.name, type=self.zeta_type(c.type), is_writable_column=True)
        return catalog

    def schema_catalog(self, schema: Mapping[str, Any] | None) -> int:
        """A registered catalog without data for ``schema`` (cached by content)."""
        key = _fingerprint(schema, None)
        if key not in self._schema_catalogs:
            specs = schema_tables(schema).values() if schema is not None else ()
            self._schema_catalogs[key] = self.register(self.catalog_proto(specs))
        return self._schema_catalogs[key]

    # -- values -----------------------------------------------------------------------------

    def value(self, v: Any, typ: str, null_arrays_as_empty: bool):
        out = self.value_pb2.ValueProto()
        if typ.startswith("list<"):
            if v is None and not null_arrays_as_empty:
                return out
            out.array_value.SetInParent()
            inner = typ[5:-1]
            for item in v or ():
                out.array_value.element.append(self.value(item, inner, null_arrays_as_empty))
            return out
        if v is None:
            return out
        if typ == "integer":
            out.int64_value = v
        elif typ == "number":
            out.double_value = v
        elif typ == "string":
            out.string_value = v
        elif typ == "boolean":
            out.bool_value = v
        elif typ == "date":
            out.date_value = (v - _EPOCH_DATE).days
        elif typ == "timestamp":
            delta = v - _EPOCH_TS
            micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
            secs, rem = divmod(micros, 1_000_000)  # floor: nanos stay non-negative before 1970
            out.timestamp_value.seconds = secs
            out.timestamp_value.nanos = rem * 1000
        else:  # pragma: no cover
            raise ValueError(typ)
        return out

    def table_content(self, spec: TableSpec, rows, null_arrays_as_empty: bool):
        content = self.ls.TableContent()
        data = content.table_data
        data.SetInParent()
        types = [c.type for c in spec.columns]
        for row in rows:
            r = data.row.add()
            for v, t in zip(row, types):
                r.cell.append(self.value(v, t, null_arrays_as_empty))
        return content

    def to_python(self, value, type_proto, null_arrays_as_empty: bool) -> Any:
        tp = self.type_pb2
        kind = value.WhichOneof("value")
        if kind is None:
            if null_arrays_as_empty and type_proto.type_kind == tp.TYPE_ARRAY:
                return []
            return None
        if kind in ("int64_value", "int32_value", "uint32_value", "uint64_value", "enum_value"):
            return int(getattr(value, kind))
        if kind in ("double_value", "float_value"):
            return float(getattr(value, kind))
        if kind in ("string_value", "bool_value", "bytes_value", "json_value"):
            return getattr(value, kind)
        if kind == "date_value":
            return _EPOCH_DATE + _dt.timedelta(days=value.date_value)
        if kind == "timestamp_value":
            ts = value.timestamp_value
            return _EPOCH_TS + _dt.timedelta(seconds=ts.seconds, microseconds=ts.nanos // 1000)
        if kind == "datetime_value":
            b = value.datetime_value.bit_field_datetime_seconds
            return _dt.datetime(
                (b >> 26) & 0x3FFF, (b >> 22) & 0xF, (b >> 17) & 0x1F,
                (b >> 12) & 0x1F, (b >> 6) & 0x3F, b & 0x3F,
                value.datetime_value.nanos // 1000,
            )
        if kind in ("numeric_value", "bignumeric_value"):
            scale = 9 if kind == "numeric_value" else 38
            raw = int.from_bytes(getattr(value, kind), "little", signed=True)
            return _py(decimal.Decimal(raw).scaleb(-scale))
        if kind == "array_value":
            elem_type = type_proto.array_type.element_type
            return [self.to_python(e, elem_type, null_arrays_as_empty) for e in value.array_value.element]
        if kind == "struct_value":
            fields = type_proto.struct_type.field
            return tuple(
                self.to_python(v, fields[i].field_type if i < len(fields) else tp.TypeProto(), null_arrays_as_empty)
                for i, v in enumerate(value.struct_value.field)
            )
        return value  # exotic types (TIME, INTERVAL, GEOGRAPHY, ...): the raw ValueProto


def install_zetasql_compile_cache() -> Path | None:
    """Make zetasql's own API (``zetasql.api``/``ZetaSqlLocalService``) use the same wasmtime
    compile cache as the engines, so code that uses that API directly starts in ~1 s instead of
    ~20 s. This is the notes' trick: a ``wasmtime.Config`` subclass that sets ``cache`` to the
    TOML file, assigned to ``zetasql.core.wasm_client.Config`` before the first instance is
    made. Importing ``zetasql.core`` costs ~0.7 s, so it is not done unless asked for. Returns
    the cache TOML path (None if the cache cannot be written)."""
    import wasmtime
    import zetasql.core.wasm_client as wasm_client

    conf = _ZetaSQL._write_cache_config(zetasql_cache_dir())
    if conf is None:
        return None
    base = wasm_client.Config
    if getattr(base, "_segdsl_cache", None) == str(conf):
        return conf
    base = getattr(base, "_segdsl_base", base)

    class CachedConfig(base):  # type: ignore[misc, valid-type]
        _segdsl_cache = str(conf)
        _segdsl_base = base

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            try:
                self.cache = str(conf)
            except wasmtime.WasmtimeError:
                pass

    wasm_client.Config = CachedConfig
    return conf


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _zetasql() -> _ZetaSQL:
    try:
        return _ZetaSQL.get()
    except EngineUnavailable:
        raise
    except Exception as exc:
        raise EngineUnavailable(f"ZetaSQL failed to start: {type(exc).__name__}: {exc}") from exc


def _type_name(type_proto, tp) -> str:
    kind = tp.TypeKind.Name(type_proto.type_kind).removeprefix("TYPE_")
    names = {"DOUBLE": "FLOAT64", "FLOAT": "FLOAT32", "BOOL": "BOOL"}
    if type_proto.type_kind == tp.TYPE_ARRAY:
        return f"ARRAY<{_type_name(type_proto.array_type.element_type, tp)}>"
    if type_proto.type_kind == tp.TYPE_STRUCT:
        inner = ", ".join(f"{f.field_name} {_type_name(f.field_type, tp)}" for f in type_proto.struct_type.field)
        return f"STRUCT<{inner}>"
    return names.get(kind, kind)


def _output_columns(resp, tp) -> list[tuple[str, str]]:
    stmt = resp.resolved_statement
    which = stmt.WhichOneof("node")
    if which is None:
        return []
    node = getattr(stmt, which)
    cols = getattr(node, "output_column_list", None)
    if cols is None:
        return []
    return [(c.name, _type_name(c.column.type, tp)) for c in cols]


def analyze_bigquery(schema: Mapping[str, Any] | None, sql: str) -> list[tuple[str, str]]:
    """Analyse ``sql`` with ZetaSQL in BigQuery mode against the schema's tables (no data).

    Returns the output columns as ``[(name, BigQuery type name)]``; raises
    :class:`BigQueryAnalysisError` (analyser message + caret) on invalid SQL, and
    :class:`EngineUnavailable` if ZetaSQL cannot start.
    """
    zs = _zetasql()
    resp = zs.analyze(zs.schema_catalog(schema), sql)
    return _output_columns(resp, zs.type_pb2)
