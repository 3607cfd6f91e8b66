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
    """A pool of render processes, started on first use and stopped when left idle."""

    def __init__(
        self,
        static_dir: Path,
        processes: int | None = None,
        jobs_per_process: int = 100,
        idle_seconds: float = 120.0,
    ):
        self.static_dir = Path(static_dir)
        self.processes = processes or len(os.sched_getaffinity(0))
        self.jobs_per_process = jobs_per_process
        self.idle_seconds = idle_seconds
        self._executor: ProcessPoolExecutor | None = None
        self._pending = 0
        self._idle_timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def submit(self, job: Callable[..., Any], *args: Any) -> Future:
        """Run `job(*args)` in a render process; `job` is a function of services.notices.jobs."""
        broken = None
        with self._lock:
            self._cancel_idle_timer()
            try:
                future = self._pool().submit(job, *args)
            except BrokenProcessPool:
                # A render process died (killed, out of memory): start a new pool.
                broken = self._detach()
                future = self._pool().submit(job, *args)
            self._pending += 1
        if broken is not None:
            broken.shutdown(wait=False, cancel_futures=True)
        future.add_done_callback(self._job_done)
        return future

    def run(self, job: Callable[..., Any], *args: Any) -> Any:
        """`job(*args)` in a render process, once more in new processes if they died under it."""
        try:
            return self.submit(job, *args).result()
        except BrokenProcessPool:
            return self.submit(job, *args).result()

    def shutdown(self) -> None:
        """Stop the render processes; the next job starts new ones."""
        with self._lock:
            executor = self._detach()
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

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

    def _detach(self) -> ProcessPoolExecutor | None:
        self._cancel_idle_timer()
        executor, self._executor = self._executor, None
        return executor

    def _cancel_idle_timer(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None

    def _job_done(self, future: Future) -> None:
        with self._lock:
            self._pending -= 1
            if self._pending == 0 and self._executor is not None:
                # A render process holds a few hundred MB of fonts and caches: give them
                # back when nobody has printed for a while.
                self._idle_timer = threading.Timer(self.idle_seconds, self._stop_if_idle)
                self._idle_timer.daemon = True
                self._idle_timer.start()

    def _stop_if_idle(self) -> None:
        with self._lock:
            if self._pending or self._idle_timer is not threading.current_thread():
                return  # a job came in meanwhile
            executor = self._detach()
        if executor is not None:
            executor.shutdown(wait=True)
