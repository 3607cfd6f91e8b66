"""Render processes: a small pool that lays PDFs out away from the web worker.

WeasyPrint's memory (Pango, font maps, laid-out pages) grows with every document and is
not given back, so it lives in these processes and never in a web worker. They start with
the first PDF asked for, are spawned rather than forked (they share no database
connection or thread of the worker), and each is replaced after `jobs_per_process` jobs so
that what it grew is returned to the system.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from services.notices import jobs


class Presses:
    """A pool of render processes, started on first use."""

    def __init__(self, static_dir: Path, processes: int | None = None, jobs_per_process: int = 25):
        self.static_dir = Path(static_dir)
        self.processes = processes or len(os.sched_getaffinity(0))
        self.jobs_per_process = jobs_per_process
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def submit(self, job: Callable[..., Any], *args: Any) -> Future:
        """Run `job(*args)` in a render process; `job` is a function of services.notices.jobs."""
        with self._lock:
            try:
                return self._pool().submit(job, *args)
            except BrokenProcessPool:
                # A render process died (killed, out of memory): start a new pool once.
                self._close()
                return self._pool().submit(job, *args)

    def shutdown(self) -> None:
        """Stop the render processes; the next job starts new ones."""
        with self._lock:
            self._close()

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=jobs.warm_up,
                initargs=(str(self.static_dir),),
                max_tasks_per_child=self.jobs_per_process,
            )
        return self._executor

    def _close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
