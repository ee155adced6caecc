"""Run jobs: in this process, on a local process pool, or on a Dask cluster.

Every runner yields ``(job, Rendered or BrochureError)`` as jobs finish; the
build writes each result as it arrives. A job's failure is its own: the
other jobs go on. Ctrl-C stops every worker and is raised again, so the build
writes nothing more.

Local pools use the ``forkserver`` start method: the server process imports
WeasyPrint once and forks each worker from it, so a worker starts in
milliseconds with nothing to import, and no worker inherits the threads or
open files of the process that asked for it (a test runner, the web app).

On Dask, results come back from the workers straight to this process
(``direct_to_workers``), never through the scheduler, at most a few per
worker thread at a time; each is written and released before more jobs are
sent. So 15,000 PDFs stream through the client's network link once and its
memory holds only the results in flight.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import select
import threading
import time
from collections.abc import Iterator, Sequence

from .errors import BrochureError, UsageError
from .jobs import Job, Rendered, render_job

Outcome = tuple[Job, "Rendered | BrochureError"]

#: Seconds to wait for a Dask scheduler to answer.
CONNECT_TIMEOUT = 15.0

_context: multiprocessing.context.BaseContext | None = None


def _pool_context() -> multiprocessing.context.BaseContext:
    global _context
    if _context is None:
        if "forkserver" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["brochure.render", "brochure.jobs"])
            _context = context
        else:
            _context = multiprocessing.get_context("spawn")
    return _context


def _end_with(build: int) -> None:
    """Worker start-up: end this worker as soon as the build process ``build`` ends.

    A build killed with SIGKILL cannot stop its workers, and a fork server's
    workers keep each other and the server alive (they share its pipes), so
    each worker watches the build itself and exits when it is gone: no orphan
    burns CPU or holds the terminal open.
    """
    def watch() -> None:
        try:
            handle = os.pidfd_open(build)
        except (AttributeError, OSError):
            while True:  # no pidfd: look every half second
                try:
                    os.kill(build, 0)
                except ProcessLookupError:
                    os._exit(1)
                except PermissionError:
                    pass
                time.sleep(0.5)
        select.select([handle], [], [])  # readable when the build process has ended
        os._exit(1)

    threading.Thread(target=watch, name="end-with-build", daemon=True).start()


def default_workers() -> int:
    """One worker per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def _in_process(jobs: Sequence[Job]) -> Iterator[Outcome]:
    for job in jobs:
        try:
            yield job, render_job(job)
        except BrochureError as exc:
            yield job, exc


def run_local(jobs: Sequence[Job], workers: int | None = None) -> Iterator[Outcome]:
    """Run ``jobs`` on ``workers`` processes (one per CPU by default), longest first."""
    ordered = sorted(jobs, key=lambda job: job.cost, reverse=True)
    count = min(workers or default_workers(), len(ordered))
    if count <= 1:
        yield from _in_process(ordered)
        return
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=count,
                                                  mp_context=_pool_context(),
                                                  initializer=_end_with,
                                                  initargs=(os.getpid(),))
    try:
        futures = {pool.submit(render_job, job): job for job in ordered}
        for future in concurrent.futures.as_completed(futures):
            job = futures[future]
            try:
                yield job, future.result()
            except BrochureError as exc:
                yield job, exc
    except BaseException:
        # Ctrl-C or a bug: stop every worker now, write nothing more.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def run_dask(jobs: Sequence[Job], address: str) -> Iterator[Outcome]:
    """Run ``jobs`` on the Dask cluster whose scheduler is at ``address``."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'brochure[distributed]'") \
            from None
    ordered = sorted(jobs, key=lambda job: job.cost, reverse=True)
    try:
        client = Client(address, direct_to_workers=True, timeout=CONNECT_TIMEOUT,
                        set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        threads = sum(client.nthreads().values())
        if not threads:
            raise UsageError(f"the Dask scheduler at {address} has no workers")
        window = 2 * threads
        pending = iter(ordered[window:])
        owners = {}
        first = []
        for job in ordered[:window]:
            future = client.submit(render_job, job, pure=False)
            owners[future.key] = job
            first.append(future)
        running = as_completed(first, loop=client.loop)
        for future in running:
            job = owners.pop(future.key)
            try:
                yield job, future.result()
            except BrochureError as exc:
                yield job, exc
            finally:
                future.release()
            following = next(pending, None)
            if following is not None:
                new = client.submit(render_job, following, pure=False)
                owners[new.key] = following
                running.add(new)
    finally:
        client.close()
