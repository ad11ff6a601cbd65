"""The ``leaflet`` command: ``clean``, ``explain``, ``build`` and ``serve``.

Every error a user can cause is a :class:`~pipeline.errors.LeafletError`: printed on one
line (``leaflet: <file>: <what is wrong; what to do>``), exit status 1, no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline import __version__
from pipeline.errors import InputError, LeafletError
from pipeline.explain import explain
from pipeline.files import write_atomic
from pipeline.normalise import STAGES, CleanOptions, clean
from pipeline.read import Article, load_article, read_article
from pipeline.review import clean_beside


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = _parse(parser, argv)
    try:
        status: int = args.run(args)
    except LeafletError as error:
        print(f"leaflet: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "leaflet: interrupted; finished outputs are kept, none is half-written", file=sys.stderr
        )
        return 130
    return status


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line; inputs may also come after the options
    (``leaflet build inbox -o out more.md``), which argparse alone refuses."""
    args, extra = parser.parse_known_args(argv)
    if extra and hasattr(args, "inputs") and not any(e.startswith("-") for e in extra):
        args.inputs.extend(extra)
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leaflet",
        description="Undo spinner damage in articles and publish them as patient leaflets.",
    )
    parser.add_argument("--version", action="version", version=f"leaflet {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    _add_clean(commands)
    _add_explain(commands)
    _add_build(commands)
    _add_serve(commands)
    return parser


def _add_input_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--encoding", help="the input's encoding if not UTF-8 (e.g. cp1252)")
    command.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=list(STAGES),
        metavar="STAGE",
        help=f"leave out a cleaning stage (repeatable): {', '.join(STAGES)}",
    )


def _add_clean(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser("clean", help="clean articles back to their authors' text")
    command.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="a text file, '-' for standard input, folders (batch), "
        "or a corpus: .jsonl/.parquet files, folders or globs of them",
    )
    command.add_argument(
        "-o",
        "--output",
        help="output file ('-' for standard output) "
        "or, for several inputs or folders, an output folder",
    )
    command.add_argument("--changes", help="also write the changes as JSON to this file")
    _add_batch_options(command)
    _add_input_options(command)
    _add_corpus_options(command)
    command.set_defaults(run=_run_clean)


def _add_corpus_options(command: argparse.ArgumentParser) -> None:
    """Glue: a corpus (JSON Lines, Parquet) is cleaned by :mod:`pipeline.corpus`."""
    from pipeline.corpus.cli import add_corpus_arguments

    add_corpus_arguments(command)


def _add_batch_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "-j",
        "--jobs",
        type=jobs_count,
        default=None,
        help="worker processes for a batch (default: number of cores)",
    )
    command.add_argument("--force", action="store_true", help="redo up-to-date articles")


def _add_explain(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser("explain", help="list every change cleaning would make")
    command.add_argument("input", metavar="INPUT", help="a text file, or '-' for standard input")
    _add_input_options(command)
    command.set_defaults(run=_run_explain)


def _add_build(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from pipeline.publish import add_build_arguments, run_build

    command = commands.add_parser("build", help="clean, section and publish leaflets")
    add_build_arguments(command)
    _add_batch_options(command)
    _add_input_options(command)
    command.set_defaults(run=run_build)


def _add_serve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from pipeline.studio.command import add_serve_arguments, run_serve

    command = commands.add_parser("serve", help="review repairs and make leaflets in a browser")
    add_serve_arguments(command)
    command.set_defaults(run=run_serve)


def jobs_count(value: str) -> int:
    """``-j``: a whole number of worker processes, at least 1."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of processes (1 or more)")
    return int(value)


def options_from(args: argparse.Namespace) -> CleanOptions:
    """The cleaning switches the command line asked for."""
    return CleanOptions(**{stage: stage not in args.skip for stage in STAGES})


def _read(source: str, encoding: str | None) -> Article:
    """The article in a file, by its kind, or on standard input (read as text)."""
    if source == "-":
        return read_article(sys.stdin.buffer.read(), Path("<stdin>"), encoding)
    return load_article(Path(source), encoding)


def _run_clean(args: argparse.Namespace) -> int:
    from pipeline.corpus.sources import is_corpus

    if is_corpus(args.inputs):  # glue: a corpus goes to pipeline.corpus
        from pipeline.corpus.cli import run_corpus_clean

        return run_corpus_clean(args, options_from(args))
    single = len(args.inputs) == 1 and not Path(args.inputs[0]).is_dir()
    if not single:
        from pipeline.publish import run_clean_batch

        return run_clean_batch(args)
    _refuse_overwriting(args.inputs[0], [args.output, args.changes])
    article = _read(args.inputs[0], args.encoding)
    beside = None if args.inputs[0] == "-" else Path(args.inputs[0])
    cleaned = clean_beside(article.text, beside, options_from(args)).cleaned
    if args.changes:
        write_atomic(Path(args.changes), cleaned.changes_json())
    _write_text(args.output, article.layout.restore(cleaned.text))
    return 0


def _refuse_overwriting(source: str, outputs: list[str | None]) -> None:
    """Inputs are never modified: an output that is the input itself is an error."""
    if source == "-":
        return
    for output in outputs:
        if output not in (None, "-") and Path(output).resolve() == Path(source).resolve():
            raise InputError(f"{output}: is the input itself; write the result to another file")


def _run_explain(args: argparse.Namespace) -> int:
    cleaned = clean(_read(args.input, args.encoding).text, options_from(args))
    sys.stdout.write(explain(cleaned, "<stdin>" if args.input == "-" else args.input))
    return 0


def _write_text(output: str | None, text: str) -> None:
    if output in (None, "-"):
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    else:
        write_atomic(Path(output), text)
