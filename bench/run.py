"""``make bench``: the speed figures the README quotes. Not a test: nothing here fails.

1. Cleaning throughput on ~1 MB of spun articles (the dev articles, repeated), ~1 MB of
   distinct spun articles seen for the first time (the cleaner's memos emptied before
   each run), ~1 MB of clean text and 500-character records (as the corpus engine cleans
   them) of the dev articles and of real prose, next to
   ``ftfy.fix_text(text, uncurl_quotes=False)`` on the same text in the same run
   (targets: faster than ftfy on spun text and on records, several times faster on clean
   text, never over 2x).
   ``bench/scaling.py`` then checks that every cleaning stage stays linear.
2. Publishing, per distinct article in one process: clean and section, the HTML page and
   the PDF (targets: HTML under 0.05 s, PDF under 0.3 s), and a cold ``leaflet build`` of
   the sample (target under 3 s).
3. An up-to-date ``leaflet build`` (``make leaflet`` twice) of 1 and of 1,000 articles
   (targets: under 0.5 s and under 1 s).
4. Batch: 200 distinct articles to HTML and PDF at ``-j 1`` and ``-j 2`` (targets: 4
   articles/s at -j 2, speed-up 1.8).
5. The main process's peak memory while building 1,000 and 5,000 articles (target: flat,
   under 10 KiB more per article).
6. Sectioning a generated ~50 MB article (bench/bench_structure.py), with ``--large``.

Usage: ``python bench/run.py [--quick] [--large]``; ``--quick`` uses smaller batches.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = sorted((ROOT / "tests" / "data" / "dev" / "spun").glob("*/*.txt")) + [
    ROOT / "raw" / "botox-beyond-beauty.txt"
]


def corpus(megabytes: float = 1.0, paths: list[Path] = ARTICLES) -> list[str]:
    texts = [p.read_text("utf-8") for p in paths]
    out: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        for text in texts:
            out.append(text)
            size += len(text.encode("utf-8"))
    return out


def best_of(runs: int, fn: object) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        timings.append(time.perf_counter() - started)
    return min(timings)


def best_cpu_of_each(
    runs: int,
    first: Callable[[], object],
    second: Callable[[], object],
    before: Callable[[], object] = lambda: None,
) -> tuple[float, float]:
    """The least CPU time of ``runs`` runs of each function, taken in turns (so both see the
    same machine, and other processes on it count less); ``before`` runs, untimed, before
    each run of each."""
    best = [float("inf"), float("inf")]
    for _ in range(runs):
        for index, fn in enumerate((first, second)):
            before()
            started = time.process_time()
            fn()
            best[index] = min(best[index], time.process_time() - started)
    return best[0], best[1]


def forget_words() -> None:
    """Empty the cleaner's memos of words, chunks and lines it has read (bounded caches),
    keeping the word lists it loaded (unbounded ones): the next text is seen for the first
    time, as in a stream of distinct documents."""
    import importlib
    import pkgutil

    import pipeline.normalise

    names = [info.name for info in pkgutil.iter_modules(pipeline.normalise.__path__)]
    for name in names:
        module = importlib.import_module(f"pipeline.normalise.{name}")
        for value in vars(module).values():
            if isinstance(value, type):
                continue  # a class of memos, not one
            if getattr(value, "cache_parameters", dict)().get("maxsize") is not None:
                value.cache_clear()


def first_sight_spun(megabytes: float = 1.0) -> list[str]:
    """Distinct spun articles: each clean text spun by ``tools/spinner.py`` with each of
    its profiles in turn, a seed of its own each time, until there are ``megabytes``."""
    sys.path.insert(0, str(ROOT))
    from tools.spinner import PROFILES, spin

    texts = [path.read_text("utf-8") for path in CLEAN_TEXTS]
    profiles = sorted(PROFILES)
    out: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        number = len(out)
        text = texts[number % len(texts)]
        spun, _expected = spin(text, profiles[number % len(profiles)], seed=number)
        out.append(spun)
        size += len(spun.encode("utf-8"))
    return out


def each(fn: Callable[[str], object], texts: list[str]) -> Callable[[], None]:
    """A run of ``fn`` over ``texts`` that drops each result, as a batch does once it is
    written (holding hundreds of cleaning plans at once would time Python's garbage
    collector walking them, not the cleaning)."""

    def run() -> None:
        for text in texts:
            fn(text)

    return run


CLEAN_TEXTS = sorted(
    [
        *(ROOT / "tests" / "data" / "dev" / "original").glob("*.txt"),
        *(ROOT / "tests" / "data" / "prose").glob("*.txt"),
        *(ROOT / "tests" / "data" / "roundtrip").glob("*.txt"),
    ]
)


RECORD_SOURCES = sorted(
    [
        *(ROOT / "tests" / "data" / "dev" / "original").glob("*.txt"),
        *(ROOT / "tests" / "data" / "dev" / "spun").glob("*/*.txt"),
        *(ROOT / "tests" / "data" / "prose").glob("*.txt"),
    ]
)


def records(paths: list[Path], size: int = 500) -> list[str]:
    """The texts cut into records of about ``size`` characters (each ends before a space),
    as the corpus engine cleans paragraph-sized records."""
    out: list[str] = []
    for path in paths:
        text = path.read_text("utf-8")
        start = 0
        while start < len(text):
            end = start + size
            while end < len(text) and not text[end].isspace():
                end += 1
            out.append(text[start:end])
            start = end
    return out


def bench_clean() -> None:
    """The whole clean against ``ftfy.fix_text(text, uncurl_quotes=False)`` (the setting
    the encoding stage uses), on spun articles and on clean text, ~1 MB each, and on
    500-character records of the dev articles (spun and original) and of real prose."""
    import ftfy

    from pipeline import clean

    for text in corpus(0.2, paths=CLEAN_TEXTS):  # load word lists and tables once
        clean(text)
    print("clean      the whole clean vs ftfy.fix_text(text, uncurl_quotes=False)")
    targets = {
        "spun": "< 1x: faster than ftfy",
        "first-sight spun": "< 1x: faster than ftfy",
        "clean": "several times faster",
        "short": "< 1x: faster than ftfy",
    }
    kinds = {
        "spun": corpus(paths=ARTICLES),
        "first-sight spun": first_sight_spun(),
        "clean": corpus(paths=CLEAN_TEXTS),
        "short": records(RECORD_SOURCES),
    }
    units = {
        "spun": "articles (the dev articles, again and again)",
        "first-sight spun": "distinct articles, the cleaner's memos emptied before each run",
        "clean": "articles",
        "short": "records of ~500 characters",
    }
    for kind, texts in kinds.items():
        megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1_000_000
        ftfy_s, clean_s = best_cpu_of_each(
            5,
            each(lambda t: ftfy.fix_text(t, uncurl_quotes=False), texts),
            each(clean, texts),
            forget_words if kind == "first-sight spun" else lambda: None,
        )
        print(f"  {kind} text, {megabytes:.2f} MB in {len(texts)} {units[kind]}")
        print(f"    ftfy.fix_text         {megabytes / ftfy_s:6.2f} MB/s  ({ftfy_s:.2f} s)")
        print(f"    leaflet clean         {megabytes / clean_s:6.2f} MB/s  ({clean_s:.2f} s)")
        ratio = clean_s / ftfy_s
        print(f"    clean / ftfy time     {ratio:6.2f}x   (target {targets[kind]}; never > 2x)")
        if kind == "first-sight spun":
            print_by_profile(texts, clean)


def print_by_profile(texts: list[str], clean: Callable[[str], object]) -> None:
    """The first-sight figure for the texts of each of the spinner's profiles, which
    :func:`first_sight_spun` takes in turn."""
    import ftfy

    from tools.spinner import PROFILES

    profiles = sorted(PROFILES)
    for number, profile in enumerate(profiles):
        mine = texts[number :: len(profiles)]
        ftfy_s, clean_s = best_cpu_of_each(
            3,
            each(lambda t: ftfy.fix_text(t, uncurl_quotes=False), mine),
            each(clean, mine),
            forget_words,
        )
        print(f"      profile {profile:<12} {clean_s / ftfy_s:5.2f}x")


def bench_publish() -> None:
    from pipeline.article import build_document
    from pipeline.config import LeafletConfig
    from pipeline.render import warm_up
    from pipeline.render.html import render_html
    from pipeline.render.pdf import render_pdf

    config = LeafletConfig()
    warm_up()
    build_document("Warm up\n\nA sentence.")
    timings: dict[str, list[float]] = {"section": [], "html": [], "pdf": []}
    for path in ARTICLES:  # each article distinct: nothing is reused from the one before
        started = time.perf_counter()
        doc = build_document(path.read_text("utf-8"), source=str(path))
        sectioned = time.perf_counter()
        render_html(doc, config)
        paged = time.perf_counter()
        render_pdf(doc, config)
        timings["section"].append(sectioned - started)
        timings["html"].append(paged - sectioned)
        timings["pdf"].append(time.perf_counter() - paged)
    median = {step: statistics.median(values) for step, values in timings.items()}
    print(f"publish    per distinct article, in one process (median of {len(ARTICLES)})")
    worst = {step: max(values) for step, values in timings.items()}
    targets = {"section": "", "html": "; target < 0.05 s", "pdf": "; target < 0.3 s"}
    names = {"section": "clean + section", "html": "HTML page", "pdf": "PDF"}
    for step, name in names.items():
        print(f"  {name:<21} {median[step]:6.3f} s   (slowest {worst[step]:.3f} s{targets[step]})")
    with tempfile.TemporaryDirectory() as out:
        cold = _seconds(["build", "raw/botox-beyond-beauty.txt", "-o", out])
    print(f"  cold `leaflet build`  {cold:6.2f} s   (target < 3 s)")


def _leaflet(args: list[str]) -> None:
    subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip


def _seconds(args: list[str]) -> float:
    """Wall time of one ``leaflet`` command, start-up included."""
    started = time.perf_counter()
    _leaflet(args)
    return time.perf_counter() - started


def make_batch(folder: Path, count: int, short: bool = False) -> None:
    """``count`` distinct articles (their own titles) from the sample and the dev
    articles; ``short`` ones are a title and one line (quick to build many of)."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text("utf-8") for p in ARTICLES]
    for n in range(count):
        title, _, body = texts[n % len(texts)].partition("\n")
        body = "\nA short article.\n" if short else body
        (folder / f"article-{n:04d}.txt").write_text(
            f"{title} (part {n})\n{body}\nThis is copy {n} of the article.\n", "utf-8"
        )


def bench_up_to_date(count: int) -> None:
    """``make leaflet`` twice: the second run has nothing to do."""
    print("up to date `leaflet build` again, nothing to do (best of 3)")
    with tempfile.TemporaryDirectory() as tmp:
        for n, target in ((1, 0.5), (count, 1.0)):
            inbox, out = Path(tmp) / f"in{n}", Path(tmp) / f"out{n}"
            make_batch(inbox, n, short=True)
            command = ["build", str(inbox), "-o", str(out), "-j", "2"]
            _leaflet(command)
            best = min(_seconds(command) for _ in range(3))
            print(f"  {n:>5,} article{'s' if n > 1 else ' '}        {best:6.2f} s   "
                  f"(target < {target} s)")  # fmt: skip


def _build_seconds(inbox: Path, out: Path, jobs: int) -> float:
    """Wall time of one cold ``leaflet build`` of the folder (HTML and PDF)."""
    shutil.rmtree(out, ignore_errors=True)
    return _seconds(["build", str(inbox), "-o", str(out), "-j", str(jobs), "--format", "html,pdf"])


def bench_batch(count: int, runs: int = 2) -> None:
    """Articles per second at -j 1 and -j 2, the best of ``runs`` cold builds each
    (alternating, so both see the same machine)."""
    best = {1: float("inf"), 2: float("inf")}
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "inbox"
        make_batch(inbox, count)
        for _ in range(runs):
            for jobs in best:
                best[jobs] = min(best[jobs], _build_seconds(inbox, Path(tmp) / "out", jobs))
    rates = {jobs: count / seconds for jobs, seconds in best.items()}
    print(f"batch      {count} distinct articles to HTML and PDF (best of {runs} cold builds)")
    print(f"  -j 1                  {rates[1]:6.2f} articles/s")
    print(f"  -j 2                  {rates[2]:6.2f} articles/s   (target >= 4)")
    print(f"  speed-up              {rates[2] / rates[1]:6.2f}x   (target >= 1.8)")


PEAK = """
import json, resource, sys
from pathlib import Path
from pipeline.cli import main
status = main(sys.argv[1:])
# VmHWM: this process's own peak (ru_maxrss would count the bench that started it)
status_file = Path("/proc/self/status")
lines = status_file.read_text().splitlines() if status_file.exists() else []
peak = [int(line.split()[1]) for line in lines if line.startswith("VmHWM:")]
print(json.dumps([status, peak[0] if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]))
"""


def _main_peak_mib(args: list[str]) -> float:
    """The peak memory of the main process alone (workers are separate processes)."""
    result = subprocess.run([sys.executable, "-c", PEAK, *args], cwd=ROOT, check=True,
                            capture_output=True, text=True)  # fmt: skip
    status, kib = json.loads(result.stdout.splitlines()[-1])
    return float(kib) / 1024


def bench_memory(counts: tuple[int, int]) -> None:
    """Main-process memory while building more and more articles (JSON, -j 2)."""
    peaks = {}
    with tempfile.TemporaryDirectory() as tmp:
        for count in counts:
            inbox, out = Path(tmp) / f"in{count}", Path(tmp) / f"out{count}"
            make_batch(inbox, count)
            peaks[count] = _main_peak_mib(["build", str(inbox), "-o", str(out), "-j", "2",
                                           "--format", "json"])  # fmt: skip
    small, large = counts
    growth = (peaks[large] - peaks[small]) * 1024 / (large - small)
    print("memory     the main process's peak while building (JSON, -j 2)")
    for count, peak in peaks.items():
        print(f"  {count:>5,} articles        {peak:6.1f} MiB")
    print(f"  growth per article    {growth:6.1f} KiB   (target < 10 KiB: flat)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller batches: 40, 200, 1,000")
    parser.add_argument("--large", action="store_true", help="also section a 50 MB article")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    bench_clean()
    bench_publish()
    bench_up_to_date(200 if args.quick else 1000)
    bench_batch(40 if args.quick else 200)
    bench_memory((200, 1000) if args.quick else (1000, 5000))
    if args.large and (ROOT / "bench" / "bench_structure.py").exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "bench_structure.py")], check=True)


if __name__ == "__main__":
    main()
