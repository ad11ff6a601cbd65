"""Regenerate ``tests/data/attacks/``: clean texts disguised by real public attack tools.

Each tool runs from its own code, installed or fetched into a scratch folder outside the
repository (never into leaflet's environment), on the clean sources the round trips use:
the two dev originals, the real prose of ``tests/data/roundtrip/`` and
``tests/data/prose/``. The disguised texts are written to
``tests/data/attacks/<tool>/<source name>`` and ``tests/data/attacks/manifest.json``
records, for every file, the tool, its version, its settings, the seed and the source
(with its SHA-256), so each data set can be made again. Only this data is committed,
never the tools' code.

The tools (set them up once, then run this file with any Python):

``silverspeak-greedy``, ``silverspeak-random``
    PyPI ``silverspeak`` 3.0.0 (``pip install silverspeak==3.0.0`` into a scratch venv):
    ``greedy_attack(text)`` and ``random_attack(text, random_seed=seed)`` at their
    default settings (10 % of the characters, identical, confusable and OCR homoglyphs).
``textattack``
    PyPI ``textattack`` 0.3.11 (``pip install --no-deps textattack==0.3.11``; only the
    homoglyph transformation's two modules are loaded, with stand-ins for the heavy base
    classes they import): ``WordSwapHomoglyphSwap()._get_replacement_words(word)`` for
    each word with probability 0.25, one of its candidates chosen at random.
``stegcloak``
    npm ``stegcloak`` 1.1.1 run with node: ``new StegCloak().hide(message, password,
    cover)`` at its defaults (encrypted, no HMAC), hiding a short message in the whole
    text (the cover). Its salt is random, so no seed makes it repeat.
``gptzero-bypasser``
    github.com/almakedon/GPTZero-Bypasser (``GPTZero-Bypasser.py``, GPL-3.0), run line by
    line as a user pastes text into it, with Python's ``random`` seeded: monospace maths
    letters for ``a q u n t m c o l`` and a zero-width joiner after a fifth of the
    characters.
``zero-zerogpt``
    github.com/Oct4Pie/zero-zerogpt (``src/App.js``, MIT), its ``replaceSpaces`` with the
    spacing of one of its twelve buttons per source (chosen by the seed), run with node.

Run: ``python tools/build_attacks.py --python SCRATCH/venv/bin/python --node-modules
SCRATCH/node_modules --bypasser SNAPSHOT --zero-zerogpt SNAPSHOT``, then review the diff.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
OUT = DATA / "attacks"
SEED = 20261130
TEXTATTACK_SWAP_PROBABILITY = 0.25
STEGCLOAK_MESSAGE, STEGCLOAK_PASSWORD = "leaflet was here", "clinic"


def sources() -> list[Path]:
    """The clean texts the attacks disguise: dev originals and real English prose."""
    return sorted(
        [
            *DATA.glob("dev/original/*.txt"),
            *DATA.glob("roundtrip/*.txt"),
            *DATA.glob("prose/*.txt"),
        ]
    )


SILVERSPEAK = """
import json, sys
import silverspeak
from importlib.metadata import version
job = json.load(sys.stdin)
if job["attack"] == "greedy":
    out = [silverspeak.greedy_attack(text) for text in job["texts"]]
else:
    out = [silverspeak.random_attack(text, random_seed=job["seed"] + i)
           for i, text in enumerate(job["texts"])]
json.dump({"version": version("silverspeak"), "texts": out}, sys.stdout)
"""

# Only the transformation's own two modules are loaded: their imports of the heavy
# TextAttack base classes get stand-ins, as the transformation uses nothing of them.
TEXTATTACK = """
import importlib.machinery, importlib.util, json, random, re, sys, types
from importlib.metadata import distribution, version
root = distribution("textattack").locate_file("textattack")
for name in ("textattack", "textattack.shared", "textattack.transformations",
             "textattack.transformations.word_swaps"):
    module = types.ModuleType(name)
    module.__path__ = []
    sys.modules[name] = module
sys.modules["textattack.shared"].AttackedText = object
class WordSwap:
    def __init__(self, **kwargs):
        pass
sys.modules["textattack.transformations.word_swaps"].WordSwap = WordSwap
def load(name):
    path = root / "transformations" / "word_swaps" / (name + ".py")
    spec = importlib.util.spec_from_file_location(
        "textattack.transformations.word_swaps." + name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
load("word_swap_differential_evolution")
# The 0.3.11 wheel lacks this data file; only the differential-evolution search reads it,
# not the word swaps used here, so an empty one stands in (in the scratch install).
intentional = root / "shared" / "intentional_homoglyphs.txt"
if not intentional.exists():
    intentional.write_text("")
swap = load("word_swap_homoglyph_swap").WordSwapHomoglyphSwap()
job = json.load(sys.stdin)
out = []
for i, text in enumerate(job["texts"]):
    rng = random.Random(job["seed"] + i)
    def one(match):
        candidates = swap._get_replacement_words(match.group())
        if candidates and rng.random() < job["probability"]:
            return rng.choice(candidates)
        return match.group()
    out.append(re.sub(r"[\\w'-]+", one, text))
json.dump({"version": version("textattack"), "texts": out}, sys.stdout)
"""

STEGCLOAK = """
const StegCloak = require("stegcloak");
const fs = require("fs");
const job = JSON.parse(fs.readFileSync(0, "utf8"));
const cloak = new StegCloak();
const texts = job.texts.map((text) => cloak.hide(job.message, job.password, text));
const version = require("stegcloak/package.json").version;
process.stdout.write(JSON.stringify({version, texts}), () => process.exit(0));
"""

ZERO_ZEROGPT = """
const fs = require("fs");
const job = JSON.parse(fs.readFileSync(0, "utf8"));
const app = fs.readFileSync(job.app, "utf8");
const table = app.match(/const unicodeSpaces = (\\{[\\s\\S]*?\\});/)[1];
const unicodeSpaces = eval("(" + table + ")");
const header = /const replaceSpaces = \\(text, unicodeCharacter\\) => \\{([\\s\\S]*?)\\};/;
const body = app.match(header)[1];
const replaceSpaces = new Function("text", "unicodeCharacter", body);
const names = Object.keys(unicodeSpaces);
const texts = job.texts.map((text, i) => {
  const name = names[job.choices[i] % names.length];
  return {name, text: replaceSpaces(text, unicodeSpaces[name])};
});
process.stdout.write(JSON.stringify({names, texts}));
"""


def _run(command: list[str], job: dict[str, object], cwd: Path | None = None) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(
        command, input=json.dumps(job), capture_output=True, text=True, check=True, cwd=cwd
    )
    result: dict = json.loads(done.stdout)  # type: ignore[type-arg]
    return result


def silverspeak(python: str, attack: str, texts: list[str]) -> tuple[str, list[str]]:
    result = _run([python, "-c", SILVERSPEAK], {"attack": attack, "seed": SEED, "texts": texts})
    return result["version"], result["texts"]


def textattack(python: str, texts: list[str]) -> tuple[str, list[str]]:
    job = {"seed": SEED, "probability": TEXTATTACK_SWAP_PROBABILITY, "texts": texts}
    result = _run([python, "-c", TEXTATTACK], job)
    return result["version"], result["texts"]


def stegcloak(node_modules: Path, texts: list[str]) -> tuple[str, list[str]]:
    job = {"message": STEGCLOAK_MESSAGE, "password": STEGCLOAK_PASSWORD, "texts": texts}
    result = _run(["node", "-e", STEGCLOAK], job, cwd=node_modules.parent)
    return result["version"], result["texts"]


BYPASSER = """
import builtins, contextlib, io, json, random, runpy, sys
job = json.load(sys.stdin)
out = []
for i, text in enumerate(job["texts"]):
    random.seed(job["seed"] + i)
    lines = []
    for line in text.split("\\n"):
        builtins.input = lambda prompt="", line=line: line
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            runpy.run_path(job["script"])
        lines.append(printed.getvalue().removeprefix("Output text:  ").removesuffix("\\n"))
    out.append("\\n".join(lines))
json.dump({"texts": out}, sys.stdout)
"""


def bypasser(script: Path, texts: list[str]) -> list[str]:
    job = {"seed": SEED, "script": str(script), "texts": texts}
    texts_out: list[str] = _run([sys.executable, "-c", BYPASSER], job)["texts"]
    return texts_out


def zero_zerogpt(app: Path, texts: list[str]) -> tuple[list[str], list[str]]:
    rng = random.Random(SEED)
    choices = [rng.randrange(1000) for _ in texts]
    result = _run(
        ["node", "-e", ZERO_ZEROGPT], {"app": str(app), "choices": choices, "texts": texts}
    )
    return [t["name"] for t in result["texts"]], [t["text"] for t in result["texts"]]


def _commit_of(snapshot: Path) -> str:
    done = subprocess.run(
        ["git", "--git-dir", str(snapshot), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _export(snapshot: Path, path: str, into: Path) -> Path:
    """A file of a fetched snapshot (a bare git directory), copied into a scratch folder."""
    done = subprocess.run(
        ["git", "--git-dir", str(snapshot), "show", f"HEAD:{path}"],
        capture_output=True,
        check=True,
    )
    target = into / Path(path).name
    target.write_bytes(done.stdout)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--python", required=True, help="a Python with silverspeak, textattack")
    parser.add_argument("--node-modules", type=Path, required=True, help="holds stegcloak")
    parser.add_argument("--bypasser", type=Path, required=True, help="GPTZero-Bypasser git dir")
    parser.add_argument("--zero-zerogpt", type=Path, required=True, help="zero-zerogpt git dir")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/leaflet-attacks"))
    args = parser.parse_args()
    args.scratch.mkdir(parents=True, exist_ok=True)
    paths = sources()
    texts = [p.read_text("utf-8") for p in paths]
    records: list[dict[str, object]] = []

    def write(
        tool: str, attacked: list[str], version: str, settings: str, seeds: list[object]
    ) -> None:
        for path, text, seed in zip(paths, attacked, seeds, strict=True):
            (OUT / tool).mkdir(parents=True, exist_ok=True)
            (OUT / tool / path.name).write_text(text, "utf-8")
            source = path.relative_to(ROOT).as_posix()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            records.append(
                {
                    "tool": tool,
                    "version": version,
                    "settings": settings,
                    "seed": seed,
                    "file": f"{tool}/{path.name}",
                    "source": source,
                    "source_sha256": digest,
                }
            )

    version, out = silverspeak(args.python, "greedy", texts)
    write("silverspeak-greedy", out, version, "greedy_attack(text): defaults", [42] * len(paths))
    version, out = silverspeak(args.python, "random", texts)
    seeds: list[object] = [SEED + i for i in range(len(paths))]
    write(
        "silverspeak-random", out, version, "random_attack(text, random_seed=seed): defaults", seeds
    )
    version, out = textattack(args.python, texts)
    settings = (
        f"WordSwapHomoglyphSwap()._get_replacement_words on each word with probability "
        f"{TEXTATTACK_SWAP_PROBABILITY}, one candidate chosen by random.Random(seed)"
    )
    write("textattack", out, version, settings, seeds)
    version, out = stegcloak(args.node_modules, texts)
    settings = f"new StegCloak().hide({STEGCLOAK_MESSAGE!r}, {STEGCLOAK_PASSWORD!r}, text)"
    write("stegcloak", out, version, settings, ["none: random salt"] * len(paths))
    script = _export(args.bypasser, "GPTZero-Bypasser.py", args.scratch)
    out = bypasser(script, texts)
    write(
        "gptzero-bypasser",
        out,
        f"git {_commit_of(args.bypasser)}",
        "per line, random.seed(seed)",
        seeds,
    )
    app = _export(args.zero_zerogpt, "src/App.js", args.scratch)
    names, out = zero_zerogpt(app, texts)
    commit = _commit_of(args.zero_zerogpt)
    settings = "replaceSpaces(text, unicodeSpaces[button]); the seed names the button"
    write("zero-zerogpt", out, f"git {commit}", settings, list(names))
    manifest = {"seed": SEED, "files": records}
    (OUT / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8"
    )
    print(f"wrote {len(records)} attacked texts to {OUT}")


if __name__ == "__main__":
    main()
