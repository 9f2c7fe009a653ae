"""A throwaway Spark Connect server for the tests, started from the pyspark package
(``spark-submit`` with the Spark Connect server class, as its ``sbin/start-connect-server.sh``
does) on a free port of 127.0.0.1, in its own process group; ``stop`` ends that group."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from .engine_base import EngineUnavailable
from .spark_engine import SESSION_CONFIG, java_available, warehouse_dir_config

SERVER_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SparkConnectServer:
    def __init__(self, startup_seconds: float = 300) -> None:
        try:
            import pyspark
        except ImportError as exc:
            raise EngineUnavailable(f"pyspark is not installed: {exc}") from exc
        if java_available() is None:
            raise EngineUnavailable("no Java runtime (Spark needs Java 17+)")
        home = Path(pyspark.__file__).parent
        self.port = _free_port()
        self.url = f"sc://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkstemp(prefix="segdsl-spark-connect-", suffix=".log")[1])
        conf = dict(SESSION_CONFIG, **warehouse_dir_config(), **{
            "spark.connect.grpc.binding.address": "127.0.0.1",
            "spark.connect.grpc.binding.port": str(self.port),
            "spark.driver.memory": "1g",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.driver.host": "127.0.0.1",
        })
        command = [str(home / "bin" / "spark-submit"), "--master", "local[2]", "--class", SERVER_CLASS,
                   "--name", "segdsl-tests-connect"]
        for key, value in conf.items():
            command += ["--conf", f"{key}={value}"]
        env = dict(os.environ, SPARK_HOME=str(home))
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + startup_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise EngineUnavailable(f"the Spark Connect server exited: see {self.log}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(1)
        self.stop()
        raise EngineUnavailable(f"the Spark Connect server did not listen within {startup_seconds} s: see {self.log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.unlink(missing_ok=True)
