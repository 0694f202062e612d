"""The build side: validate raw/ and annotations/, and write data/ and the README card.

`build` writes the corpus (or, with `check=True`, lists what a build would change);
`validate_corpus` checks a repository in memory; `read_records` reads the released records.
"""

from corpus.build.builder import BuildResult, BuildSettings, build, open_cache, read_records, scan
from corpus.build.repository import validate_corpus

__all__ = [
    "BuildResult",
    "BuildSettings",
    "build",
    "open_cache",
    "read_records",
    "scan",
    "validate_corpus",
]
