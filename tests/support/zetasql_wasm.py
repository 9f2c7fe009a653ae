"""A minimal client for zetasql's WebAssembly local service: ``_WasmService`` runs the wasm
module under wasmtime (optionally with its compile cache) and exchanges serialised protobuf
requests and responses with it; a call the service rejects raises ``_ZetaSQLCallError``
carrying the status code and message. ``wasmtime`` is imported when a service is created."""

from __future__ import annotations

import ctypes
import os
import re
import threading
from pathlib import Path
from typing import Any


class _ZetaSQLCallError(Exception):
    def __init__(self, code: int, message: str):
        self.code = code
        self.message = message
        super().__init__(f"[code {code}] {message}")


class _WasmService:
    """Minimal client for zetasql's WebAssembly local service (the protocol of zetasql 0.1.5's
    ``WasmClient``: protobuf request in, protobuf response out, through ``wasm_malloc``).

    Talking to the wasm directly, with the raw ``*_pb2`` messages, avoids importing
    ``zetasql.types`` (0.7 s of dataclass generation at import) and copies request/response
    bytes with memmove instead of a Python loop. Compiling the 28 MB module takes ~15-30 s; the
    wasmtime compile cache (a TOML with ``[cache]`` and ``directory``) cuts later starts to a
    fraction of a second.
    """

    def __init__(self, wasm_path: Path, cache_config: Path | None):
        import contextlib

        import wasmtime

        self._wasmtime = wasmtime
        config = wasmtime.Config()
        with contextlib.suppress(AttributeError):
            config.shared_memory = True
        if cache_config is not None:
            try:
                config.cache = str(cache_config)
            except Exception:
                pass  # an unusable cache must never stop the engine (slow start, still correct)
        engine = wasmtime.Engine(config)
        self.store = wasmtime.Store(engine)
        wasi = wasmtime.WasiConfig()
        wasi.inherit_stdout()
        wasi.inherit_stderr()
        zoneinfo = self._zoneinfo_dir()
        if zoneinfo:
            wasi.preopen_dir(zoneinfo, "/usr/share/zoneinfo")
        self.store.set_wasi(wasi)
        module = wasmtime.Module.from_file(engine, str(wasm_path))
        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        instance = linker.instantiate(self.store, module)
        self._exports = instance.exports(self.store)
        try:
            init = self._exports["_initialize"]
        except KeyError:
            init = None
        if init is not None:
            init(self.store)
        self._memory = self._exports["memory"]
        self._shared = isinstance(self._memory, getattr(wasmtime, "SharedMemory", ()))
        self._fns: dict[str, Any] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _zoneinfo_dir() -> str | None:
        try:
            import tzdata

            d = os.path.join(os.path.dirname(tzdata.__file__), "zoneinfo")
            if os.path.isdir(d):
                return d
        except ImportError:
            pass
        return "/usr/share/zoneinfo" if os.path.isdir("/usr/share/zoneinfo/UTC") else None

    def _addr(self, wasm_ptr: int) -> int:
        """Host address of a wasm32 pointer (wasmtime hands i32 results back signed)."""
        base = self._memory.data_ptr() if self._shared else self._memory.data_ptr(self.store)
        return ctypes.addressof(base.contents) + (wasm_ptr & 0xFFFFFFFF)

    def _fn(self, name: str):
        fn = self._fns.get(name)
        if fn is None:
            try:
                fn = self._fns[name] = self._exports[name]
            except KeyError:
                raise ValueError(f"zetasql wasm has no export {name}") from None
        return fn

    def call(self, method: str, request, response_type):
        data = request.SerializeToString()
        malloc, free = self._fn("wasm_malloc"), self._fn("wasm_free")
        with self._lock:
            req_ptr = malloc(self.store, max(len(data), 1))
            size_ptr = malloc(self.store, 4)
            try:
                ctypes.memmove(self._addr(req_ptr), data, len(data))
                resp_ptr = self._fn(f"ZetaSqlLocalService_{method}")(self.store, req_ptr, len(data), size_ptr)
                if resp_ptr == 0:
                    raise self._last_error()
                size = int.from_bytes(ctypes.string_at(self._addr(size_ptr), 4), "little")
                out = ctypes.string_at(self._addr(resp_ptr), size)
                free(self.store, resp_ptr)
            finally:
                free(self.store, req_ptr)
                free(self.store, size_ptr)
        return response_type.FromString(out)

    def _last_error(self) -> _ZetaSQLCallError:
        size = self._fn("wasm_get_last_error_size")(self.store)
        text = ""
        if size:
            ptr = self._fn("wasm_get_last_error")(self.store)
            text = ctypes.string_at(self._addr(ptr), size).decode("utf-8", "replace")
        m = re.match(r"Code: (\d+), Message: (.*)", text, re.DOTALL)
        if m:
            return _ZetaSQLCallError(int(m.group(1)), m.group(2).strip())
        return _ZetaSQLCallError(-1, text or "unknown ZetaSQL error")
