"""What the numbers were measured on, and small measuring helpers (RSS, Markdown tables)."""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
import sys
from pathlib import Path
from typing import Any, Iterable, Sequence

PACKAGES = ("durable_rules", "clipspy", "experta", "frozendict", "attrs", "cattrs", "networkx", "PyYAML", "psutil")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return f"{line.split('=', 1)[1].strip(chr(34))} (Linux {platform.release()})"
    except OSError:
        pass
    return platform.platform()


def versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def describe() -> dict[str, Any]:
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": os_name(),
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "versions": versions(),
        "executable": sys.executable,
    }


def rss_bytes() -> int:
    """Resident set size of this process, from /proc (psutil where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    import psutil

    return psutil.Process().memory_info().rss


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A Markdown table; numbers right-aligned."""
    rows = [[str(cell) for cell in row] for row in rows]
    align = ["---:" if rows and all(_numeric(r[i]) for r in rows) else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _numeric(text: str) -> bool:
    text = text.replace(",", "").replace("×", "").replace("%", "").replace("+", "").replace("−", "-").strip()
    try:
        float(text)
        return True
    except ValueError:
        return False


def _busy_seconds() -> float:
    """CPU seconds spent busy on all cores since boot (/proc/stat), or -1 where unknown."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return -1.0
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


class OtherLoad:
    """How many cores other processes kept busy while a measurement ran (busy CPU of the whole
    machine minus this process and its waited-for children)."""

    def __init__(self) -> None:
        import time

        self._clock = time.perf_counter
        self.start()

    def start(self) -> "OtherLoad":
        self.t0, self.busy0, self.own0 = self._clock(), _busy_seconds(), _own_seconds()
        return self

    def cores(self) -> float:
        busy = _busy_seconds()
        if busy < 0 or self.busy0 < 0:
            return float("nan")
        wall = self._clock() - self.t0
        return max(0.0, (busy - self.busy0) - (_own_seconds() - self.own0)) / wall if wall > 0 else 0.0
