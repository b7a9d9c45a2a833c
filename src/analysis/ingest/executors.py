"""Where ingest's work runs: worker processes on this machine, or the workers of a Dask cluster.

Both hash the files and read them, yielding each file's compact result as soon as it is done, with only
a bounded number of files in flight: the parent never holds more than a window of results it has not
taken. A reader that kills its process fails only its file (``on_crash`` makes that file's result)."""

from __future__ import annotations

import gc
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from .sources import sha256_source

Work = Callable[[str, float | None], Any]
OnCrash = Callable[[str], Any]


class Runner(Protocol):
    """Hashes and reads sources somewhere; ``close`` frees what it started."""

    def hashes(self, sources: list[str]) -> list[str | None]: ...

    def results(
        self, work: Work, sources: list[str], timeout: float | None, on_crash: OnCrash
    ) -> Iterator[tuple[int, Any]]: ...

    def close(self) -> None: ...


def worker_start() -> None:
    """How a worker process starts: it leaves Ctrl-C to the parent, which stops it and says what
    happened (no tracebacks); and the objects it was started with (the imported libraries) are moved
    out of the garbage collector's sight, so that its full collections, set off by the many small
    objects a document makes, do not walk them again and again (``gc.freeze``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the worker processes without waiting for their files."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def _alone(work: Work, source: str, timeout: float | None, on_crash: OnCrash) -> Any:
    """Read one file in a process of its own: a reader that crashes the interpreter fails only this file."""
    try:
        with ProcessPoolExecutor(max_workers=1) as pool:
            return pool.submit(work, source, timeout).result()
    except BrokenProcessPool:
        return on_crash(source)


class LocalRunner:
    """``jobs`` worker processes on this machine (or this process alone for ``jobs=1``)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)

    def hashes(self, sources: list[str]) -> list[str | None]:
        """Every file's sha256, read in threads (hashlib releases the GIL on large chunks)."""
        if len(sources) < 8:
            return [sha256_source(s) for s in sources]
        with ThreadPoolExecutor(max_workers=min(8, 2 * self.jobs)) as pool:
            return list(pool.map(sha256_source, sources, chunksize=64))

    def results(
        self, work: Work, sources: list[str], timeout: float | None, on_crash: OnCrash
    ) -> Iterator[tuple[int, Any]]:
        """(index, result) of every source, in the order they finish."""
        if self.jobs == 1 or len(sources) <= 2:
            for i, s in enumerate(sources):
                yield i, work(s, timeout)
            return
        todo = iter(enumerate(sources))
        window = 4 * self.jobs
        crashed: list[int] = []
        while True:
            pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=worker_start)
            broken = False
            try:
                running: dict[Future, int] = {}
                for i, s in todo:
                    running[pool.submit(work, s, timeout)] = i
                    if len(running) >= window:
                        break
                while running:
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for fut in done:
                        i = running.pop(fut)
                        try:
                            result = fut.result()
                        except BrokenProcessPool:  # a worker died: its files are read again alone
                            crashed.append(i)
                            broken = True
                            continue
                        yield i, result
                        del result
                    if broken:
                        crashed += running.values()
                        running.clear()
                        break
                    for i, s in todo:  # keep the window full
                        running[pool.submit(work, s, timeout)] = i
                        if len(running) >= window:
                            break
            except BaseException:  # Ctrl-C: stop the workers now rather than after their files
                _stop_workers(pool)
                raise
            if broken:
                _stop_workers(pool)
                continue  # a new pool for the files not yet started
            pool.shutdown()
            break
        for i in sorted(crashed):
            yield i, _alone(work, sources[i], timeout, on_crash)

    def close(self) -> None:
        pass


class DaskRunner:
    """The workers of a Dask distributed cluster, given its scheduler's address (``tcp://host:8786``) or
    a ``distributed.Client``. Workers must reach the sources: the same paths (shared storage) or URLs.

    A worker that dies on a file has it retried elsewhere by the scheduler; a file that kills workers
    several times (``distributed.scheduler.allowed-failures``) fails alone. ``--timeout`` is not applied
    there: Dask runs tasks in threads, where no alarm can stop a reader."""

    def __init__(self, scheduler: Any) -> None:
        from distributed import Client

        self.own = not isinstance(scheduler, Client)
        self.client = Client(scheduler) if self.own else scheduler

    def _window(self) -> int:
        threads = sum(self.client.nthreads().values()) or 1
        return 4 * threads

    def hashes(self, sources: list[str]) -> list[str | None]:
        """Every file's sha256, computed by the workers (the bytes never travel)."""
        futures = self.client.map(sha256_source, sources, pure=False, batch_size=1000)
        try:
            return self.client.gather(futures)
        finally:
            self.client.cancel(futures)

    def results(
        self, work: Work, sources: list[str], timeout: float | None, on_crash: OnCrash
    ) -> Iterator[tuple[int, Any]]:
        """(index, result) of every source, in the order they finish, a window of them at a time."""
        from distributed import as_completed

        todo = iter(enumerate(sources))
        index: dict[str, int] = {}

        def submit(i: int, s: str) -> Any:
            fut = self.client.submit(work, s, timeout, pure=False)
            index[fut.key] = i
            return fut

        first = [submit(*item) for _, item in zip(range(self._window()), todo, strict=False)]
        pending = as_completed(first)
        try:
            for fut in pending:
                i = index.pop(fut.key)
                try:
                    result = fut.result()
                except Exception:  # KilledWorker: it killed its workers (or the task could not run at all)
                    result = on_crash(sources[i])
                fut.release()
                yield i, result
                del result
                nxt = next(todo, None)
                if nxt is not None:
                    pending.add(submit(*nxt))
        except BaseException:
            self.client.cancel(list(pending.futures))
            raise

    def close(self) -> None:
        if self.own:
            self.client.close()


def runner(jobs: int, scheduler: Any = None) -> Runner:
    """The runner for a run: a Dask cluster when a scheduler is given, else ``jobs`` local processes."""
    if scheduler is not None:
        return DaskRunner(scheduler)
    return LocalRunner(jobs)
