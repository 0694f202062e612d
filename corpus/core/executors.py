"""Where the per-document step runs: this process, a local process pool, or a Dask cluster.

All three run the same function (corpus.build.pipeline.process_batch) and give byte-identical data.
Dask was chosen over Ray because its Client offers a plain concurrent.futures Executor, so the
build needs no engine-specific code; it installs from PyPI as a small pure-Python package; and
its LocalCluster runs in CI on one machine with the same API as a real cluster.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context

SMALL = 256  # below this many documents, starting worker processes costs more than it saves


@contextmanager
def make_executor(
    documents: int, jobs: int | None = None, scheduler: str | None = None
) -> Iterator[Executor | None]:
    """An executor for `documents` documents; None means "run in this process".

    scheduler: a Dask scheduler address (tcp://host:8786), or "local" for a LocalCluster of
    `jobs` worker processes on this machine. Otherwise `jobs` local processes (default: all
    cores), or none for small corpora and jobs=1.
    """
    if scheduler:
        from distributed import Client, LocalCluster

        if scheduler == "local":
            cluster = LocalCluster(
                n_workers=jobs or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            client = Client(cluster)
        else:
            cluster, client = None, Client(scheduler)
        try:
            yield client.get_executor()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        return
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or documents < SMALL:
        yield None
        return
    with ProcessPoolExecutor(jobs, mp_context=get_context("forkserver")) as pool:
        yield pool
