"""Benchmark: structure a generated article of about 50 MB and report time and memory.

Run with ``.venv/bin/python bench/bench_structure.py [megabytes]``. It prints the text
size, the seconds :func:`pipeline.structure.structure` took, and the peak resident memory
(``resource.getrusage``) before and after, so the growth can be compared with the text.
Not a test: the fast large-input test lives in ``tests/structure/test_robustness.py``.
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.structure import structure
from pipeline.structure.components import load_nlp

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "tests" / "data" / "dev" / "original").glob("*.txt"))


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    """Resident memory now, in MB (Linux ``/proc``; elsewhere the peak so far)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return peak_rss_mb()
    return pages * resource.getpagesize() / 2**20


def sentences() -> list[str]:
    """Sentences of the dev articles' paragraphs, to build realistic text from."""
    found: list[str] = []
    for path in SOURCES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.endswith("."):
                found.extend(s if s.endswith(".") else s + "." for s in line.split(". "))
    return found


def article(megabytes: float, seed: int = 1) -> str:
    """Title, lead, then parent headings with subsections, lists and closing words."""
    rng = random.Random(seed)
    pool = sentences()
    parts = ["A Generated Article About Medicines", ""]
    size, n = 0, 0
    while size < megabytes * 1_000_000:
        n += 1
        block = [f"Part {n}: Uses of Medicine {n}", "", f"Condition {n}", ""]
        for _ in range(4):
            block += [" ".join(rng.choices(pool, k=rng.randint(3, 8))), ""]
        block += [f"- {rng.choice(pool)}" for _ in range(3)] + [""]
        size += sum(len(line) + 1 for line in block)
        parts += block
    parts += ["", " ".join(rng.choices(pool, k=5))]
    return "\n".join(parts) + "\n"


def generate(megabytes: float, path: Path) -> None:
    """Write the article in a child process, so making it does not count in our peak."""
    code = f"import bench_structure as b; b.Path({str(path)!r}).write_text(b.article({megabytes}))"
    subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent, check=True)


def main(megabytes: float = 50.0) -> None:
    load_nlp()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        generate(megabytes, path)
        text = path.read_text(encoding="utf-8")
    text_mb = len(text.encode("utf-8")) / 1e6
    in_memory = sys.getsizeof(text) / 2**20
    before = current_rss_mb()
    start = time.perf_counter()
    document = structure(text)
    seconds = time.perf_counter() - start
    peak = peak_rss_mb()
    sections = sum(1 for _ in document.walk())
    print(f"text:     {text_mb:.1f} MB UTF-8 ({in_memory:.0f} MiB as a str), {sections} sections")
    print(f"time:     {seconds:.1f} s ({text_mb / seconds:.1f} MB/s)")
    print(f"RSS:      {before:.0f} MiB with the text loaded, {peak:.0f} MiB peak after structure()")
    print(f"growth:   {(peak - before) / in_memory:.1f}x the str's memory (Document included)")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 50.0)
