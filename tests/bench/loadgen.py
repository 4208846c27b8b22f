"""Serve an app under gunicorn and drive it at a fixed concurrency; read the figures back.

The load generator is ``wrk`` (installed from Debian's packages when missing, if we may).
A Lua script rotates the paths, sends browser headers and prints the latency distribution
(p50, p90, p95, p99 from wrk's own histogram of every request). When wrk cannot be had, a
small Python generator with the same concurrency stands in; its figures are marked, as it
shares the CPU and the GIL with its own bookkeeping and so understates the server.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tests.support import PROJECT_ROOT, free_port

BROWSER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
)
VISITOR_COOKIE = "pd_vid=benchvisitor0000000001"  # a returning visitor: every view is counted
CRAWLER_AGENT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"

_LUA = """
local paths = {%(paths)s}
local counter = 0
wrk.headers["User-Agent"] = "%(agent)s"
wrk.headers["Cookie"] = "%(cookie)s"
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%%d duration_us=%%d p50=%%d p90=%%d p95=%%d p99=%%d max=%%d mean=%%.1f " ..
    "connect=%%d read=%%d write=%%d status=%%d timeout=%%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""
_RESULT = re.compile(r"BENCH (.*)")


@dataclass
class LoadResult:
    """One load run: throughput, latency in milliseconds, errors, and who measured it."""

    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    requests: int
    errors: int
    tool: str
    worker_rss_mb: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def ensure_wrk(log: list[str]) -> str | None:
    """Path to wrk, installing Debian's package if it is missing and we run as root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        log.append("wrk is not installed and cannot be installed here (needs root and apt-get)")
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    for steps in ([install], [["apt-get", "update", "-q"], install]):  # the package lists may be stale
        for step in steps:
            subprocess.run(step, env=env, capture_output=True, timeout=600, check=False)
        found = shutil.which("wrk")
        if found:
            log.append("installed wrk with apt-get")
            return found
    log.append("apt-get could not install wrk: the Python load generator was used (lower figures)")
    return None


def run_wrk(
    wrk: str,
    base: str,
    paths: Sequence[str],
    seconds: int,
    connections: int,
    threads: int = 2,
    agent: str = BROWSER_AGENT,
) -> LoadResult:
    """Drive ``base`` rotating ``paths`` for ``seconds`` at ``connections`` connections."""
    lua_paths = ", ".join(json.dumps(p) for p in paths)
    script = _LUA % {"paths": lua_paths, "agent": agent, "cookie": VISITOR_COOKIE}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        completed = subprocess.run(
            [
                wrk,
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                handle.name,
                base,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
        )
    finally:
        os.unlink(handle.name)
    match = _RESULT.search(completed.stdout)
    if match is None:
        raise RuntimeError(f"wrk gave no figures: {completed.stdout[-500:]} {completed.stderr[-500:]}")
    values = {k: float(v) for k, v in (pair.split("=") for pair in match.group(1).split())}
    errors = int(sum(values[k] for k in ("connect", "read", "write", "status", "timeout")))
    return LoadResult(
        requests_per_second=values["requests"] / (values["duration_us"] / 1e6),
        p50_ms=values["p50"] / 1000,
        p90_ms=values["p90"] / 1000,
        p95_ms=values["p95"] / 1000,
        p99_ms=values["p99"] / 1000,
        max_ms=values["max"] / 1000,
        requests=int(values["requests"]),
        errors=errors,
        tool=f"wrk -t{threads} -c{connections} -d{seconds}s",
    )


def run_python_load(
    base: str, paths: Sequence[str], seconds: int, connections: int, agent: str = BROWSER_AGENT
) -> LoadResult:
    """The stand-in for wrk: ``connections`` threads, one keep-alive connection each."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    headers = {"User-Agent": agent, "Cookie": VISITOR_COOKIE}

    def worker(offset: int) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        mine: list[float] = []
        count = offset
        while time.perf_counter() < deadline:
            count += 1
            began = time.perf_counter()
            try:
                connection.request("GET", paths[count % len(paths)], headers=headers)
                response = connection.getresponse()
                response.read()
                ok = 200 <= response.status < 400
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
            mine.append(time.perf_counter() - began)
            if not ok:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    began = time.perf_counter()
    workers = [threading.Thread(target=worker, args=(i * 7,)) for i in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()

    def percentile(fraction: float) -> float:
        return 1000 * latencies[min(len(latencies) - 1, int(fraction * len(latencies)))] if latencies else 0.0

    return LoadResult(
        requests_per_second=len(latencies) / elapsed,
        p50_ms=percentile(0.50),
        p90_ms=percentile(0.90),
        p95_ms=percentile(0.95),
        p99_ms=percentile(0.99),
        max_ms=1000 * latencies[-1] if latencies else 0.0,
        requests=len(latencies),
        errors=errors[0],
        tool=f"python threads -c{connections} -d{seconds}s (wrk unavailable)",
    )


def drive(
    wrk: str | None,
    base: str,
    paths: Sequence[str],
    seconds: int,
    connections: int,
    warmup: int = 3,
    agent: str = BROWSER_AGENT,
) -> LoadResult:
    """Warm up (not measured), then measure."""
    if wrk:
        run_wrk(wrk, base, paths, warmup, connections, agent=agent)
        return run_wrk(wrk, base, paths, seconds, connections, agent=agent)
    run_python_load(base, paths, warmup, connections, agent)
    return run_python_load(base, paths, seconds, connections, agent)


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the master's child processes."""
        children: list[int] = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == self.process.pid:
                children.append(int(entry.name))
        return children

    def worker_rss_mb(self) -> list[float]:
        """Resident memory (VmRSS) of each worker, in MB."""
        sizes = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmRSS:\s+(\d+) kB", status)
            if match:
                sizes.append(int(match.group(1)) / 1024)
        return sizes


@contextmanager
def gunicorn(app_spec: str, env: dict[str, str], workers: int = 2, ready_path: str = "/") -> Iterator[Server]:
    """Serve ``app_spec`` (``module:app``) with ``workers`` sync workers on a free port."""
    port = free_port()
    gunicorn_bin = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [
            gunicorn_bin,
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--backlog",
            "256",
            "--log-level",
            "warning",
            app_spec,
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + ready_path, timeout=30) as response:
                    if response.status < 500:
                        break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"gunicorn {app_spec} did not start") from None
                time.sleep(0.3)
        yield Server(base, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
