"""The web app's bounded render pool, and the work it runs (no web library here).

Renders are CPU-bound and WeasyPrint and PDFium are not meant for threads,
so every render (a patient's handout, a translator's preview) runs in a
small pool of worker processes, started like the build's (forkserver,
WeasyPrint preloaded; :mod:`brochure.runner`). The web process only waits:
it stays free to answer the library page while every worker is busy.

Bounded: at most ``workers`` renders run at once, at most ``queue`` more
wait; beyond that a request is refused with :class:`Busy` at once, so memory
stays bounded under any load. Workers run at a lower priority than the web
process, never write a core dump, and are replaced after a number of
renders, so no worker grows for ever.

A patient's details travel to the worker and back as the job's fields and
the PDF's bytes, through a pipe: in memory only, never in a file.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import resource
import signal
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

from ..jobs import plan, render_job
from ..options import BuildOptions
from ..project import Project
from ..runner import _end_with, _pool_context, default_workers

T = TypeVar("T")

#: A worker is replaced after this many renders (bounds slow growth of its memory).
RENDERS_PER_WORKER = 200


class Busy(Exception):
    """Every render process is busy and the queue is full: try again shortly."""


class WorkerLost(Exception):
    """A render process ended unexpectedly (out of memory?); the pool was restarted."""


def _start_worker(parent: int) -> None:
    _end_with(parent)
    # Ctrl-C in the terminal reaches every process of the group: the server
    # stops its workers itself, after the requests in flight.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A crashed worker must not leave a patient's details in a core file.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # The web process answers pages while workers render: it goes first.
    os.nice(5)


def render_handout(root: str, clinic: str, language: str,
                   fields: tuple[tuple[str, str], ...]) -> tuple[str, bytes]:
    """Render one patient's handout; return (a file name without personal data, PDF bytes).

    Runs in a worker. Planned like ``brochure build --field ...``, so the
    same checks apply; raises :class:`BrochureError` (whose messages never
    quote a field's value).
    """
    the_plan = plan(BuildOptions(clinics=(clinic,), languages=(language,),
                                 layouts=("handout",), fields=fields), Project(Path(root)))
    if the_plan.failed:
        raise the_plan.failed[0][1]
    # The shared document's handout first (a clinic's own documents come after it).
    job = the_plan.jobs[0]
    rendered = render_job(job)
    return f"{job.document_id}-handout-{language}.pdf", rendered.files[0][1]


class RenderPool:
    """A bounded pool of render processes for an asyncio server."""

    def __init__(self, workers: int | None = None, queue: int = 40) -> None:
        self.workers = max(1, min(workers or default_workers(), 4 if workers is None else 16))
        self.limit = self.workers + queue
        self._running = 0
        self._executor = self._start()

    def _start(self) -> concurrent.futures.ProcessPoolExecutor:
        return concurrent.futures.ProcessPoolExecutor(
            max_workers=self.workers, mp_context=_pool_context(),
            initializer=_start_worker, initargs=(os.getpid(),),
            max_tasks_per_child=RENDERS_PER_WORKER)

    @property
    def running(self) -> int:
        """Renders running or waiting now."""
        return self._running

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """Run ``function(*args)`` in a worker; raise :class:`Busy` when the queue is full.

        A :class:`BrochureError` raised in the worker is raised here.
        """
        if self._running >= self.limit:
            raise Busy
        self._running += 1
        try:
            loop = asyncio.get_running_loop()
            executor = self._executor
            try:
                return await loop.run_in_executor(executor, function, *args)
            except BrokenProcessPool:
                if executor is self._executor:
                    executor.shutdown(wait=False, cancel_futures=True)
                    self._executor = self._start()
                raise WorkerLost from None
        finally:
            self._running -= 1

    def close(self) -> None:
        """Stop every worker (renders still running are abandoned)."""
        for process in list(getattr(self._executor, "_processes", {}).values()):
            process.terminate()
        self._executor.shutdown(wait=True, cancel_futures=True)


__all__ = ["Busy", "RenderPool", "WorkerLost", "render_handout"]
