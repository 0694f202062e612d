"""Fingerprint every output of the command line, to show a refactoring changed none of them.

For the repository's corpus and a synthetic one (built in a work folder), it runs
`corpus build` and `corpus eval` of every offline built-in system (NER at both scopes) and
prints the SHA-256 of each file written (data/ shards, README.md, results JSON):

    python scripts/compare_outputs.py --work /tmp/outputs --save before.json
    # ... change the code ...
    python scripts/compare_outputs.py --work /tmp/outputs --against before.json

Only the command line is used, so the script runs unchanged on both sides of a refactoring.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTRACTION = ("keep-all", "c4-lines", "justext-lines")
NER = ("rules",)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def scores_digest(path: Path) -> str:
    """SHA-256 of a results file without its timing (pages per second is a measurement)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data.get("system", {}).pop("pages_per_second", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def corpus(*args: str) -> None:
    """Run the `corpus` command of this interpreter's environment; stop on failure."""
    cmd = [str(Path(sys.executable).parent / "corpus"), *args]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr}")


def synthetic(target: Path, n: int) -> None:
    """A synthetic corpus of `n` pages at `target` (raw/, annotations/, README.md)."""
    code = (
        "import sys, pathlib\n"
        "try:\n    from corpus.build.synthetic import write_synthetic_corpus\n"
        "except ImportError:\n    from corpus.build.synthetic import write_synthetic_corpus\n"
        "write_synthetic_corpus(pathlib.Path(sys.argv[1]), int(sys.argv[2]))\n"
    )
    subprocess.run([sys.executable, "-c", code, str(target), str(n)], check=True)


def fingerprints(root: Path, out: Path) -> dict[str, str]:
    """Build `root`, score every built-in system on it, and hash what was written."""
    corpus("build", "--root", str(root), "--jobs", "1")
    shards = sorted((root / "data").rglob("*.parquet"))
    found = {f"data/{p.relative_to(root / 'data').as_posix()}": sha256(p) for p in shards}
    found["README.md"] = sha256(root / "README.md")
    out.mkdir(parents=True, exist_ok=True)
    runs = [("extraction", name, None) for name in EXTRACTION]
    runs += [("ner", name, scope) for name in NER for scope in ("page", "body")]
    for task, name, scope in runs:
        label = f"{task}-{name}" + (f"-{scope}" if scope else "")
        target = out / f"{label}.json"
        extra = ["--scope", scope] if scope else ["--jobs", "1"]
        corpus("eval", task, "--system", name, "--root", str(root), "--output", str(target), *extra)
        found[f"eval/{label}.json"] = scores_digest(target)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/compare-outputs"))
    parser.add_argument("--size", type=int, default=1000, help="synthetic pages")
    parser.add_argument("--save", type=Path, help="write the fingerprints here")
    parser.add_argument("--against", type=Path, help="compare with fingerprints saved before")
    args = parser.parse_args()
    if args.work.exists():
        shutil.rmtree(args.work)
    repo = args.work / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".venv", ".cache", ".git"))
    synth = args.work / "synthetic"
    synthetic(synth, args.size)
    result = {
        "repository": fingerprints(repo, args.work / "out-repo"),
        f"synthetic-{args.size}": fingerprints(synth, args.work / "out-synthetic"),
    }
    for corpus_name, files in result.items():
        for name, digest in files.items():
            print(f"{corpus_name:16} {name:40} {digest[:16]}")
    if args.save:
        args.save.write_text(json.dumps(result, indent=2) + "\n")
    if args.against:
        before = json.loads(args.against.read_text())
        if before != result:
            for corpus_name in sorted(before.keys() | result.keys()):
                a, b = before.get(corpus_name, {}), result.get(corpus_name, {})
                for name in sorted(a.keys() | b.keys()):
                    if a.get(name) != b.get(name):
                        print(f"DIFFERS: {corpus_name} {name}", file=sys.stderr)
            return 1
        print("identical: every output has the same SHA-256 as before")
    return 0


if __name__ == "__main__":
    sys.exit(main())
