"""Uploaded spreadsheets read in a child process with a memory and a time limit.

Whatever a file makes the reader do, the child runs out of its own address space or its
time and is ended; the web worker that asked only sees a refusal. The child is a fresh
interpreter (`python -m services.spreadsheets.isolation`), so it never inherits a web
worker's threads, locks or database connections.
"""

from __future__ import annotations

import os
import pickle
import resource
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.fees.sheet import SheetError, SheetFailure

_ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class ParseLimits:
    """What one parse may use: memory on top of the child's own start-up size, and time."""

    memory_bytes: int = 768 * 1024 * 1024
    seconds: float = 20.0


def parse_limits(settings: Mapping[str, Any]) -> ParseLimits:
    """The limits the app's settings give (SPREADSHEET_PARSE_MEMORY_MB and _SECONDS)."""
    return ParseLimits(
        memory_bytes=int(settings["SPREADSHEET_PARSE_MEMORY_MB"]) * 1024 * 1024,
        seconds=float(settings["SPREADSHEET_PARSE_SECONDS"]),
    )


def _too_complex() -> SheetFailure:
    return SheetFailure([SheetError(None, None, "too_complex")])


def run_limited(function: Callable[[Any], Any], argument: Any, limits: ParseLimits) -> Any:
    """`function(argument)` computed in a child process under `limits`.

    Raises SheetFailure as the function did, or with the code "too_complex" when the child
    ran out of memory or time, or died.
    """
    env = os.environ | {
        "PYTHONPATH": os.pathsep.join([str(_ROOT), os.environ.get("PYTHONPATH", "")])
    }
    request = pickle.dumps((function, argument, limits.memory_bytes, limits.seconds))
    try:
        done = subprocess.run(
            [sys.executable, "-m", "services.spreadsheets.isolation"],
            input=request,
            capture_output=True,
            timeout=limits.seconds + 5,  # the child's own CPU limit usually ends it first
            env=env,
            cwd=_ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise _too_complex() from None
    if done.returncode != 0 or not done.stdout:
        raise _too_complex()
    status, value = pickle.loads(done.stdout)
    if status == "refused":
        raise SheetFailure(value)
    return value


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child() -> None:
    """The child's side: read the request, set the limits on itself, answer on stdout."""
    import signal

    function, argument, memory_bytes, seconds = pickle.loads(sys.stdin.buffer.read())
    # The reader is imported before the ceiling is set, so the limit is the parse's own.
    from openpyxl.reader import excel  # noqa: F401

    import services.spreadsheets.files  # noqa: F401

    ceiling = _address_space() + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    resource.setrlimit(resource.RLIMIT_CPU, (int(seconds) + 1, int(seconds) + 2))
    signal.alarm(int(seconds) + 1)  # waiting counts too, not only computing
    try:
        answer = ("ok", function(argument))
    except SheetFailure as failure:
        answer = ("refused", failure.errors)
    except MemoryError:
        answer = ("refused", [SheetError(None, None, "too_complex")])
    sys.stdout.buffer.write(pickle.dumps(answer))
    sys.stdout.flush()


if __name__ == "__main__":
    _child()
