"""``make bench``, corpus figures: cleaning a JSON Lines corpus on each engine.

1. Throughput, records/s and MB/s of text, for 100,000 records on the local engine at
   ``-j 1`` and ``-j 2`` and on Dask (a LocalCluster of 1 and 2 workers), beside
   ``ftfy.fix_text`` alone on the same texts in one process (target: local ``-j 2`` at
   least 1.8 times ``-j 1``). Each figure is the wall time of the whole ``leaflet clean``
   command, start-up included; the start-up alone (one record) is shown too, so the Dask
   overhead on one machine is there to see.
2. Memory: the peak resident memory of the whole process tree (``leaflet`` and its
   workers) for a quarter of the corpus and for all of it, on the local engine at
   ``-j 2``: it should stay flat as the input grows.

The records are paragraphs of the sample and the dev articles, one or two at a time
(about 700 bytes each), a third left clean and the rest spun by ``tools/spinner.py``.

Usage: ``python bench/bench_corpus.py [--records N]``. Not a test: nothing here fails.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "tests" / "data" / "dev" / "original").glob("*.txt")) + [
    ROOT / "raw" / "botox-beyond-beauty.txt"
]
POOL = 3000  # distinct records; the corpus repeats them under new ids
print = functools.partial(print, flush=True)  # noqa: A001 (each figure as soon as it is known)


def paragraphs() -> list[str]:
    found = []
    for path in SOURCES:
        found += [p.strip() for p in path.read_text("utf-8").split("\n\n") if len(p) > 40]
    return found


def record_texts(count: int) -> list[str]:
    """``count`` texts: POOL distinct ones (clean or spun), repeated."""
    from tools.spinner import PROFILES, spin

    rng = random.Random(13)
    source = paragraphs()
    profiles = [None, *PROFILES]
    pool = []
    for n in range(min(POOL, count)):
        start = rng.randrange(len(source))
        text = "\n\n".join(source[start : start + rng.choice((1, 1, 2))])
        profile = profiles[n % len(profiles)] if n % 3 else None
        pool.append(spin(text, profile, n)[0] if profile else text)
    return [pool[n % len(pool)] for n in range(count)]


def write_corpus(path: Path, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for n, text in enumerate(texts):
            out.write(json.dumps({"id": n, "text": text, "source": "bench"}, ensure_ascii=False))
            out.write("\n")


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float


def leaflet(corpus: Path, out: Path, *options: str) -> Run:
    """Wall time and peak memory (the whole process tree) of one ``leaflet clean``."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "pipeline", "clean", str(corpus), "-o", str(out)]
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, *options], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = _watch(process)
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"leaflet clean {' '.join(options)} failed:\n{err.decode()}")
    return Run(seconds, peak / 2**20)


def _watch(process: subprocess.Popen[bytes]) -> float:
    """The largest sum of resident memory of ``process`` and its descendants."""
    peak = 0.0
    root = psutil.Process(process.pid)
    while process.poll() is None:
        total = 0
        try:
            for member in [root, *root.children(recursive=True)]:
                total += member.memory_info().rss
        except psutil.Error:
            pass  # a process ended between the listing and the reading
        peak = max(peak, total)
        time.sleep(0.05)
    return peak


def _spin(count: int) -> None:
    total = 0
    for number in range(count):
        total += number


def cores_free() -> float:
    """How many cores this machine gives at the moment: the wall time of two pure-Python
    loops, each in its own process, against one (2.0 on two free cores, 1.0 on one)."""
    import multiprocessing

    def timed(processes: int) -> float:
        started = time.perf_counter()
        workers = [multiprocessing.Process(target=_spin, args=(20_000_000,))
                   for _ in range(processes)]  # fmt: skip
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        return time.perf_counter() - started

    return 2 * timed(1) / timed(2)


def ftfy_seconds(texts: list[str]) -> float:
    import ftfy

    ftfy.fix_text(texts[0])
    started = time.perf_counter()
    for text in texts:
        ftfy.fix_text(text)
    return time.perf_counter() - started


def line(label: str, count: int, megabytes: float, seconds: float, note: str = "") -> None:
    print(f"  {label:<24}{count / seconds:9.0f} records/s {megabytes / seconds:6.2f} MB/s"
          f"  ({seconds:5.1f} s){note}")  # fmt: skip


def bench(count: int) -> None:
    texts = record_texts(count)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus, quarter, one = (
            folder / "corpus.jsonl",
            folder / "quarter.jsonl",
            folder / "one.jsonl",
        )
        write_corpus(corpus, texts)
        write_corpus(quarter, texts[: count // 4])
        write_corpus(one, texts[:1])
        print(f"corpus     {count} records, {megabytes:.1f} MB of text "
              f"({corpus.stat().st_size / 1e6:.1f} MB of JSON Lines); load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores, {cores_free():.1f} "
              "of them free (two busy processes against one)")  # fmt: skip
        line("ftfy.fix_text alone", count, megabytes, ftfy_seconds(texts), "  (one process)")
        runs = {
            "local -j 1": leaflet(corpus, folder / "out", "-j", "1"),
            "local -j 2": leaflet(corpus, folder / "out", "-j", "2"),
            "dask, 1 worker": leaflet(corpus, folder / "out", "--engine", "dask", "-j", "1"),
            "dask, 2 workers": leaflet(corpus, folder / "out", "--engine", "dask", "-j", "2"),
        }
        speedup = runs["local -j 1"].seconds / runs["local -j 2"].seconds
        for label, run in runs.items():
            note = f"  speed-up {speedup:.2f}x (target >= 1.8)" if label == "local -j 2" else ""
            line(label, count, megabytes, run.seconds, note)
        local = leaflet(one, folder / "out", "-j", "2").seconds
        dask = leaflet(one, folder / "out", "--engine", "dask", "-j", "2").seconds
        print(f"  start-up (one record)   local -j 2 {local:.1f} s, dask 2 workers {dask:.1f} s")
        small = leaflet(quarter, folder / "out", "-j", "2")
        print("memory     peak resident memory of leaflet and its workers, local -j 2")
        print(f"  {count // 4:>7} records       {small.peak_mib:6.0f} MiB")
        print(f"  {count:>7} records       {runs['local -j 2'].peak_mib:6.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000, help="corpus size (100,000)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    bench(args.records)


if __name__ == "__main__":
    main()
