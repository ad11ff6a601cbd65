"""The ``leaflet`` command: ``clean``, ``explain``, ``build`` and ``serve``.

The only module that knows argparse (a test checks it): every option of every command
is declared here, once, and each command turns its arguments into a library call
(:func:`pipeline.publish.build`, :func:`pipeline.publish.clean_batch`,
:func:`pipeline.corpus.clean_corpus`, :func:`pipeline.studio.command.serve`,
:func:`pipeline.normalise.clean`) and its result into lines and an exit status. Each
imports only what it uses, so ``leaflet --help`` and an up-to-date ``leaflet build``
load neither spaCy nor WeasyPrint, and ``leaflet clean`` on articles loads no Dask,
pyarrow or Starlette.

Every error a user can cause is a :class:`~pipeline.errors.LeafletError`: printed on one
line (``leaflet: <file>: <what is wrong; what to do>``), exit status 1, no traceback.
Ctrl-C and SIGTERM stop a run the same way: finished outputs are kept, none is
half-written, and the exit status is 128 plus the signal's number.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn

from pipeline import __version__
from pipeline.errors import InputError, LeafletError, echo
from pipeline.read import MAX_SIZE
from pipeline.sizes import parse_size, show_size
from pipeline.stages import STAGE_NAMES

if TYPE_CHECKING:
    from pipeline.batch import BuildResult
    from pipeline.files import Data
    from pipeline.normalise import CleanOptions
    from pipeline.progress import Progress
    from pipeline.publish import BuildSettings, CleanSettings, Variant
    from pipeline.read import Article
    from pipeline.review import Reviewed
    from pipeline.studio.command import ServeSettings

KEPT = "finished outputs are kept, none is half-written"
"""What an interrupted run says it leaves behind, unless its command says more."""
STDIN_ALONE = "give one article on standard input alone (leaflet clean -), or name the files"
"""What to do with standard input (``-``) given where only files are read."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parse(_parser(), argv)
    _show_warnings()
    with _stop_signals() as caught:
        try:
            status: int = args.run(args)
        except LeafletError as error:
            from pipeline.inputs import display

            print(display(f"leaflet: {error}"), file=sys.stderr)
            return 1
        except KeyboardInterrupt as stop:  # a command may say what it kept: str(stop)
            print(f"leaflet: interrupted; {str(stop) or KEPT}", file=sys.stderr)
            return 128 + caught[0]
    return status


class _Warning(logging.Handler):
    """Prints a warning of the library's on one line, as errors are printed: a file name's
    control characters escaped (:func:`pipeline.inputs.display`), never sent raw to the
    terminal."""

    def emit(self, record: logging.LogRecord) -> None:
        from pipeline.inputs import display

        print(display(record.getMessage()), file=sys.stderr)


def _show_warnings() -> None:
    """The library's warnings to standard error through :class:`_Warning` (once)."""
    library = logging.getLogger("pipeline")
    if not any(isinstance(handler, _Warning) for handler in library.handlers):
        library.addHandler(_Warning(logging.WARNING))


@contextmanager
def _stop_signals() -> Iterator[list[int]]:
    """SIGTERM stops a run as Ctrl-C does; yields the signal that stopped it. Each also
    tells the worker pool (:func:`pipeline.workers.request_stop`), which stops at its
    next turn should the ``KeyboardInterrupt`` be lost: raised while Python runs an
    object's finaliser, it is printed and the run goes on."""
    from pipeline import workers

    caught = [int(signal.SIGINT)]

    def stop(signum: int, frame: object) -> None:
        caught[0] = signum
        workers.request_stop()
        raise KeyboardInterrupt

    stops = (signal.SIGINT, signal.SIGTERM)
    try:
        previous = [signal.signal(signum, stop) for signum in stops]
    except ValueError:  # not the main thread: the caller handles signals
        yield caught
        return
    workers.request_stop(False)
    try:
        yield caught
    finally:
        for signum, handler in zip(stops, previous, strict=True):
            signal.signal(signum, handler)
        workers.request_stop(False)


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line; inputs may also come after the options
    (``leaflet build inbox -o out more.md``), which argparse alone refuses."""
    args, extra = parser.parse_known_args(argv)
    if extra and hasattr(args, "inputs") and not any(e.startswith("-") for e in extra):
        args.inputs.extend(extra)
    elif extra:
        from pipeline.inputs import display  # a control character shown, not sent

        shown = " ".join(display(echo(e, quoted=False)) for e in extra)
        parser.error(f"unrecognized arguments: {shown}")
    return args


class _Parser(argparse.ArgumentParser):
    """argparse, saying a bad value of an option on one line, as leaflet's other errors are
    said (``leaflet: -j/--jobs: must be ...``), exit status 2; what is missing or not known
    (a value not given, a command that is not one) is still said under the usage. A value
    is repeated as every message repeats one (:func:`~pipeline.errors.echo`): a choice
    that is not one too, which argparse would repeat whole."""

    def _check_value(self, action: argparse.Action, value: object) -> None:
        if action.choices is not None and value not in action.choices:
            choices = ", ".join(map(repr, action.choices))
            shown = echo(value) if isinstance(value, str) else repr(value)
            raise argparse.ArgumentError(action, f"invalid choice: {shown} (choose from {choices})")

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        """An option's value given as ``--`` (``--max-size=--``) is that value, checked as
        any other is, where argparse takes the ``--`` away and hands over an empty list."""
        if action.option_strings and action.nargs is None and arg_strings == ["--"]:
            value = self._get_value(action, "--")
            self._check_value(action, value)
            return value
        return super()._get_values(action, arg_strings)

    def error(self, message: str) -> NoReturn:
        detail = message.removeprefix("argument ")  # argparse's ArgumentError: one argument's
        missing_or_unknown = "expected " in detail or detail.startswith("command:")
        if detail != message and not missing_or_unknown:
            self.exit(2, f"leaflet: {detail}\n")
        super().error(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
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


def _add_clean(commands: argparse._SubParsersAction[_Parser]) -> None:
    command = commands.add_parser("clean", help="clean articles back to their authors' text")
    command.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="an article, '-' for standard input, several articles or folders (batch), "
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
    # refuse_options tells an option given from one left alone by its default
    command.set_defaults(run=_run_clean, default_of=command.get_default)


def _add_corpus_options(command: argparse.ArgumentParser) -> None:
    """The options of ``leaflet clean`` for a corpus (JSON Lines or Parquet)."""
    from pipeline.corpus.settings import ENGINES, FEWEST_TASKS, MAX_RECORD_SIZE, PART_SIZE

    group = command.add_argument_group(
        "corpus (.jsonl, .jsonl.gz, .jsonl.zst or .parquet files, folders of them, or a glob)"
    )
    add = group.add_argument
    add("--text-field", default="text", metavar="FIELD", help="the field to clean (default: text)")
    add("--id-field", metavar="FIELD", help="the field that names a record in the report")
    add("--with-changes", action="store_true", help="add every change to each record, as JSON")
    largest = show_size(MAX_RECORD_SIZE)
    add("--max-record-size", type=size_argument, default=MAX_RECORD_SIZE, metavar="SIZE",
        help=f"a longer text is kept as it is, with an error (default: {largest})")  # fmt: skip
    add("--part-size", type=size_argument, metavar="SIZE",
        help=f"input bytes per output part (default: {show_size(PART_SIZE)}, or less for a "
             f"corpus under {show_size(PART_SIZE * FEWEST_TASKS)}, so it makes {FEWEST_TASKS} "
             "parts)")  # fmt: skip
    add("--engine", choices=ENGINES, default="local", help="where to run (default: local)")
    add("--scheduler", metavar="ADDRESS", help="a running Dask scheduler (with --engine dask)")
    add("--resume", action="store_true", help="finish an earlier run in the output folder")


def _add_explain(commands: argparse._SubParsersAction[_Parser]) -> None:
    command = commands.add_parser(
        "explain",
        help="list every change cleaning would make, and those an editor rejected",
        description="List every change cleaning makes to an article, as leaflet clean and "
        "leaflet build make them: with the decisions in its review sidecar "
        "(<file>.review.json), whose rejected repairs are listed as rejected, not made.",
    )
    command.add_argument("input", metavar="INPUT", help="an article, or '-' for standard input")
    _add_input_options(command)
    command.set_defaults(run=_run_explain)


def _add_build(commands: argparse._SubParsersAction[_Parser]) -> None:
    from pipeline.article import FORMATS

    command = commands.add_parser("build", help="clean, section and publish leaflets")
    command.add_argument("inputs", nargs="+", metavar="INPUT", help="articles or folders")
    command.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    command.add_argument(
        "--format",
        default=",".join(FORMATS),
        help="comma-separated: json, html, pdf (default: all three)",
    )
    command.add_argument(
        "--variants",
        metavar="LIST",
        help="comma-separated printed forms, each its own files: standard, large-print, "
        "a paper size (a4, a5, letter), or both (a5.large-print); default: standard",
    )
    command.add_argument("--paper", choices=["A4", "A5", "letter"], help="one paper size")
    command.add_argument(
        "--large-print", action="store_true", default=None, help="body text of 16 pt or more"
    )
    command.add_argument("--config", help="settings file (default: ./leaflet.toml if present)")
    command.add_argument("--model", help="a trained spaCy pipeline to use, if installed")
    _add_batch_options(command)
    _add_input_options(command)
    command.set_defaults(run=_run_build)


def _add_serve(commands: argparse._SubParsersAction[_Parser]) -> None:
    from pipeline.config import CONFIG_NAME
    from pipeline.studio import MAX_UPLOAD
    from pipeline.studio.command import HOST, OUTPUT, PORT

    command = commands.add_parser("serve", help="review repairs and make leaflets in a browser")
    command.add_argument("folder", nargs="?", metavar="DIR", help="a folder of articles to review")
    command.add_argument("--port", type=port_number, default=PORT,
                         help=f"port to listen on (default {PORT})")  # fmt: skip
    command.add_argument(
        "--host", default=HOST, help=f"address to listen on (default {HOST}: this computer)"
    )
    command.add_argument(
        "--config", default=CONFIG_NAME, help=f"settings file (default {CONFIG_NAME})"
    )
    command.add_argument(
        "-o", "--output", default=OUTPUT, metavar="OUTDIR",
        help=f"where pasted articles are kept (OUTDIR/studio; default {OUTPUT})",
    )  # fmt: skip
    _add_max_size(command, MAX_UPLOAD)
    command.set_defaults(run=_run_serve)


def _add_batch_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "-j",
        "--jobs",
        type=jobs_count,
        default=None,
        help="worker processes for a batch (default: number of cores)",
    )
    command.add_argument("--force", action="store_true", help="redo up-to-date articles")


def _add_input_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--encoding", help="the input's encoding if not UTF-8 (e.g. cp1252)")
    command.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=STAGE_NAMES,
        metavar="STAGE",
        help=f"leave out a cleaning stage (repeatable): {', '.join(STAGE_NAMES)}",
    )
    _add_max_size(command, MAX_SIZE)


def _add_max_size(command: argparse.ArgumentParser, default: int) -> None:
    """``--max-size``, for every command that reads articles (the studio's default is
    its own)."""
    command.add_argument(
        "--max-size",
        type=size_argument,
        default=default,
        metavar="SIZE",
        help=f"the largest article read, e.g. 50M (default: {show_size(default)})",
    )


def jobs_count(value: str) -> int:
    """``-j``: a whole number of worker processes, at least 1."""
    number = _whole(value)
    if number is None or number < 1:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of at least 1 (got {echo(value)})"
        )
    return number


def port_number(value: str) -> int:
    """``--port``: a whole number (whether it is a port, the studio says)."""
    number = _whole(value)
    if number is None:
        raise argparse.ArgumentTypeError(
            f"must be a port, a number such as 8001 (got {echo(value)})"
        )
    return number


def _whole(value: str) -> int | None:
    """``value`` as a whole number, written in digits as people write one; ``None`` for
    anything else, or for more digits than any count leaflet takes could need.

    >>> _whole("8"), _whole("-1"), _whole("٣"), _whole("9" * 5000)
    (8, None, None, None)
    """
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def size_argument(value: str) -> int:
    """A size option (``--max-size 50M``): :func:`~pipeline.sizes.parse_size`, whose
    one-line message becomes argparse's."""
    try:
        return parse_size(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


# ---------------------------------------------------------------- the commands


def _run_build(args: argparse.Namespace) -> int:
    from pipeline.publish import build

    return _finish(build(build_settings(args), _progress()))


def build_settings(args: argparse.Namespace) -> BuildSettings:
    """The library's settings for ``leaflet build`` from its command line."""
    from pipeline.config import load_config
    from pipeline.publish import BuildSettings, parse_formats
    from pipeline.workers import default_jobs

    if "-" in args.inputs:
        raise InputError(f"-: leaflet build reads files, not standard input; {STDIN_ALONE}")
    return BuildSettings(
        inputs=tuple(Path(given) for given in args.inputs),
        out_dir=Path(args.output),
        config=load_config(Path(args.config) if args.config else None),
        formats=parse_formats(args.format),
        variants=_variants(args),
        skip=tuple(args.skip),
        encoding=args.encoding,
        model=args.model,
        jobs=args.jobs or default_jobs(),
        force=args.force,
        max_size=args.max_size,
    )


def _variants(args: argparse.Namespace) -> tuple[Variant, ...]:
    from pipeline.publish import Variant, parse_variants

    if args.variants is None:
        return (Variant(args.paper, bool(args.large_print)),)
    if args.paper or args.large_print:
        raise InputError("--variants: give the paper and print sizes there, not also --paper")
    return parse_variants(args.variants)


Mode = Literal["article", "batch", "corpus"]
MODES: dict[Mode, str] = {
    "article": "a single article",
    "batch": "a folder or several inputs",
    "corpus": "a corpus",
}
"""What ``leaflet clean`` does with its inputs: clean one article (a file, or standard
input), a batch of them into a folder, or a corpus (:func:`clean_mode`)."""

TAKEN_BY: dict[str, tuple[Mode, ...]] = {
    "--changes": ("article",),
    "--force": ("article", "batch"),
    "--encoding": ("article", "batch"),
    "--max-size": ("article", "batch"),
    **dict.fromkeys(
        ("--text-field", "--id-field", "--with-changes", "--max-record-size", "--part-size",
         "--engine", "--scheduler", "--resume"),
        ("corpus",),
    ),
}  # fmt: skip
"""The options of ``leaflet clean`` that only some modes take. Given to another mode,
with a value other than its default, an option is refused, never ignored. Every mode
takes the others: ``-o``, ``--skip`` and ``-j`` (a single article is one job, and
``--force`` asks for what it always gets: it is cleaned again)."""

INSTEAD: dict[tuple[str, Mode], str] = {
    ("--changes", "batch"): "the changes are already written beside each cleaned article "
    "as <name>.changes.json, so drop --changes",
    ("--changes", "corpus"): "for a corpus, --with-changes adds them to each record",
    ("--encoding", "corpus"): "a corpus is read as UTF-8 JSON or as Parquet",
    ("--force", "corpus"): "to start again, choose another output folder",
    ("--max-size", "corpus"): "for a corpus, --max-record-size limits each text",
    ("--with-changes", "article"): "for a single article, --changes FILE writes them",
    ("--with-changes", "batch"): "the changes are already written beside each cleaned "
    "article as <name>.changes.json",
}
"""What to do instead, where there is more to say than which modes take the option."""


def clean_mode(inputs: Sequence[str]) -> Mode:
    """What ``leaflet clean`` was given: a corpus, a batch, or a single article."""
    from pipeline.corpus.sources import is_corpus

    if is_corpus(inputs):
        return "corpus"
    return "batch" if len(inputs) > 1 or os.path.isdir(inputs[0]) else "article"


def refuse_options(args: argparse.Namespace, mode: Mode) -> None:
    """An :class:`~pipeline.errors.InputError` for the first option given that ``mode``
    does not take (:data:`TAKEN_BY`)."""
    for flag, modes in TAKEN_BY.items():
        dest = flag.removeprefix("--").replace("-", "_")
        if mode not in modes and getattr(args, dest) != args.default_of(dest):
            taken = ", or ".join(MODES[m] for m in modes)
            instead = INSTEAD.get((flag, mode), f"it is only for {taken}; drop it")
            raise InputError(f"{flag}: not for {MODES[mode]}; {instead}")


def _run_clean(args: argparse.Namespace) -> int:
    if "-" in args.inputs and len(args.inputs) > 1:
        raise InputError(f"-: standard input cannot be part of a batch; {STDIN_ALONE}")
    mode = clean_mode(args.inputs)
    refuse_options(args, mode)
    if mode == "corpus":
        return _clean_corpus(args)
    if mode == "batch":
        from pipeline.publish import clean_batch

        return _finish(clean_batch(clean_settings(args), _progress()))
    return _clean_article(args)


def _clean_article(args: argparse.Namespace) -> int:
    from pipeline.article import changes_writer

    source = args.inputs[0]
    _refuse_overwriting(source, [args.output, args.changes])
    if args.changes == "-" and args.output in (None, "-"):
        raise InputError(
            "--changes -: the cleaned text goes to standard output; "
            "give it a file with -o, or the changes a file of their own"
        )
    article, reviewed = _reviewed(source, args)
    cleaned = reviewed.cleaned
    if args.changes:
        _write(args.changes, changes_writer(cleaned))
    _write(args.output, article.layout.restore(cleaned.text))
    return 0


def clean_settings(args: argparse.Namespace) -> CleanSettings:
    """The library's settings for a batch ``leaflet clean`` from its command line."""
    from pipeline.publish import CleanSettings
    from pipeline.workers import default_jobs

    if not args.output or args.output == "-":
        raise InputError("several inputs or a folder: give an output folder with -o OUTDIR")
    return CleanSettings(
        inputs=tuple(Path(given) for given in args.inputs),
        out_dir=Path(args.output),
        skip=tuple(args.skip),
        encoding=args.encoding,
        jobs=args.jobs or default_jobs(),
        force=args.force,
        max_size=args.max_size,
    )


def _clean_corpus(args: argparse.Namespace) -> int:
    """:func:`~pipeline.corpus.clean_corpus`, shown as it goes; the exit status (1 if
    anything was lost)."""
    from pipeline.corpus import clean_corpus
    from pipeline.corpus.progress import Terminal, problems

    if not args.output or args.output == "-":
        raise InputError(f"{args.inputs[0]}: a corpus is cleaned into a folder; give it with -o")
    if args.scheduler and args.engine != "dask":
        raise InputError("--scheduler: a Dask scheduler is used with --engine dask; add it")
    try:
        result = clean_corpus(
            args.inputs, args.output, text_field=args.text_field, id_field=args.id_field,
            engine=args.engine, jobs=args.jobs, scheduler=args.scheduler, resume=args.resume,
            with_changes=args.with_changes, max_record_size=args.max_record_size,
            part_size=args.part_size, options=_options(args), observer=Terminal(args.engine),
        )  # fmt: skip
    except KeyboardInterrupt:
        raise KeyboardInterrupt(f"finished parts are kept in {args.output}; run the same "
                                "command with --resume to finish") from None  # fmt: skip
    if result.finished_before:
        print(f"{args.output}: this run is finished already; nothing to do", file=sys.stderr)
        print(result.summary())
        return 0
    print(result.summary())
    for line in problems(result):
        print(line, file=sys.stderr)
    return 0 if result.lossless else 1


def _run_serve(args: argparse.Namespace) -> int:
    from pipeline.studio.command import serve

    serve(serve_settings(args))
    return 0


def serve_settings(args: argparse.Namespace) -> ServeSettings:
    """The studio's settings for ``leaflet serve`` from its command line."""
    from pipeline.studio.command import ServeSettings

    return ServeSettings(
        folder=Path(args.folder) if args.folder else None,
        out_dir=Path(args.output),
        config_path=Path(args.config),
        host=args.host,
        port=args.port,
        max_size=args.max_size,
    )


def _run_explain(args: argparse.Namespace) -> int:
    from pipeline.explain import explain
    from pipeline.inputs import display

    reviewed = _reviewed(args.input, args)[1]
    name = "<stdin>" if args.input == "-" else display(args.input)
    sys.stdout.write(explain(reviewed.cleaned, name, reviewed.rejections))
    return 0


def _finish(result: BuildResult) -> int:
    print(result.summary())
    return 1 if result.failed else 0


def _progress() -> Progress:
    from pipeline.progress import for_terminal

    return for_terminal()


def _options(args: argparse.Namespace) -> CleanOptions:
    from pipeline.normalise import CleanOptions

    return CleanOptions(**dict.fromkeys(args.skip, False))


def _reviewed(source: str, args: argparse.Namespace) -> tuple[Article, Reviewed]:
    """The article named on the command line (or standard input's), cleaned with the
    decisions in its review sidecar, as a batch cleans it: a sidecar that no longer fits
    is a warning, one that cannot be read an error."""
    from pipeline.inputs import misnamed_beside
    from pipeline.review import clean_beside

    article = _load(source, args)
    beside = None if source == "-" else Path(source)  # an editor's decisions beside it
    for note in misnamed_beside(beside) if beside else ():
        logging.getLogger("pipeline.inputs").warning("%s", note)
    name = str(beside) if beside else "<stdin>"  # as the article's reader names it
    return article, clean_beside(article.text, beside, _options(args), name=name)


def _load(source: str, args: argparse.Namespace) -> Article:
    """The article named on the command line, or standard input's (``-``)."""
    from pipeline.inputs import not_an_article
    from pipeline.read import article_kind, load_article, read_article, read_limited

    if source == "-":
        data = read_limited(sys.stdin.buffer, args.max_size)
        if len(data) > args.max_size:
            raise InputError(
                f"<stdin>: is over the limit of {args.max_size:,} bytes; "
                "split the article, or raise the limit with --max-size"
            )
        return read_article(data, Path("<stdin>"), args.encoding)
    path = Path(source)
    if article_kind(path) is None and os.path.lexists(path) and not os.path.isdir(path):
        raise InputError(not_an_article(path))  # a file that is there, of another kind
    return load_article(path, args.encoding, args.max_size)


def _refuse_overwriting(source: str, outputs: list[str | None]) -> None:
    """Inputs are never modified: an output that is the input itself is an error."""
    if source == "-":
        return
    for output in outputs:
        if output not in (None, "-") and os.path.realpath(output) == os.path.realpath(source):
            raise InputError(f"{output}: is the input itself; write the result to another file")


def _write(output: str | None, data: Data) -> None:
    """Write to the file named, or to standard output for ``-`` (or no name)."""
    from pipeline.files import fill, write_output

    if output in (None, "-"):
        fill(sys.stdout.buffer, data)
        sys.stdout.buffer.flush()
    else:
        write_output(Path(output), data)
