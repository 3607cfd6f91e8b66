"""Uploaded spreadsheets read in a child process with a memory and a time limit.

Whatever a file makes the reader do, the child runs out of its own address space or its
time and is ended; the web worker that asked only sees a refusal. Children are forked from a
small server process that has already imported the reader, so each parse starts quickly and
never inherits a web worker's threads, locks or database connections.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from services.fees.sheet import SheetError, SheetFailure

_PRELOAD = ["services.spreadsheets.files", "openpyxl", "openpyxl.reader.excel"]
_context_lock = threading.Lock()
_context = None


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


def _forkserver():
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
            _context = context
        return _context


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child(connection, function: Callable[[bytes], Any], data: bytes, limits: ParseLimits):
    ceiling = _address_space() + limits.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    seconds = int(limits.seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    try:
        answer = ("ok", function(data))
    except SheetFailure as failure:
        answer = ("refused", failure.errors)
    except MemoryError:
        answer = ("refused", [SheetError(None, None, "too_complex")])
    connection.send(answer)
    connection.close()


def run_limited(function: Callable[[bytes], Any], data: bytes, limits: ParseLimits) -> Any:
    """`function(data)` computed in a child process under `limits`.

    Raises SheetFailure as the function did, or with the code "too_complex" when the child
    ran out of memory or time, or died.
    """
    context = _forkserver()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, function, data, limits), daemon=True)
    child.start()
    sender.close()
    answer = None
    try:
        if receiver.poll(limits.seconds):
            answer = receiver.recv()
    except (EOFError, OSError):
        answer = None
    finally:
        receiver.close()
        child.join(1)
        if child.is_alive():
            child.kill()
            child.join()
    if answer is None:
        raise SheetFailure([SheetError(None, None, "too_complex")])
    status, value = answer
    if status == "refused":
        raise SheetFailure(value)
    return value
