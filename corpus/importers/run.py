"""Import one benchmark: read its archive once, render and align in a process pool, write."""

from __future__ import annotations

import time
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from corpus.importers import REGISTRY
from corpus.importers.write import write_source


def import_source(name: str, sources_dir: Path, root: Path, jobs: int = 2) -> dict[str, Any]:
    """Import benchmark `name` from `sources_dir/<archive>` into `root`; return its summary.
    Output order follows the archive's item order whatever `jobs` is."""
    importer = REGISTRY[name]
    start = time.perf_counter()
    items = importer.iter_items(Path(sources_dir) / importer.archive)  # type: ignore[attr-defined]
    if jobs > 1:
        with get_context("fork").Pool(jobs) as pool:
            docs = list(pool.imap(importer.build, items, chunksize=4))  # type: ignore[attr-defined]
    else:
        docs = [importer.build(it) for it in items]  # type: ignore[attr-defined]
    summary = write_source(name, docs, Path(root))
    summary["seconds"] = round(time.perf_counter() - start, 1)
    return summary


if __name__ == "__main__":
    import json
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/import-out")
    src = Path(__file__).resolve().parents[2].parent / "shared" / "sources"
    for n in REGISTRY:
        print(json.dumps(import_source(n, src, out), ensure_ascii=False))
