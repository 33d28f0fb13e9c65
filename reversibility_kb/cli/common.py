"""What every verb of the command line shares: the error guard, the options, case lookup, and
atomic output files.

Light to import: the engine, the model and the loader are imported by the verb that runs, so that
``--help`` does not pay for them."""

from __future__ import annotations

import atexit
import functools
import gc
import io
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

import click

from ..case.i18n import LANGS

if TYPE_CHECKING:
    from ..inference.assessment import Assessment

LANG = click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True)
OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False), default=None)
WORKERS = click.option("--workers", type=click.IntRange(min=1), default=None)


def worker_count(requested: Optional[int], lang: str) -> int:
    """The worker processes a portfolio verb starts: one per core unless told otherwise; more
    are allowed, with a warning (they only share the cores, and each costs memory)."""
    from ..tools.portfolio import default_workers

    cores = default_workers()
    if requested is not None and requested > cores:
        click.echo(
            f"warning: {requested} workers on {cores} processors: the extra ones only share them, at the cost of memory"
            if lang == "en" else
            f"attention : {requested} processus pour {cores} processeurs : les processus en trop se les partagent et coûtent de la mémoire",
            err=True,
        )
    return requested or cores


def guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """Known input errors become one line on stderr and exit status 2 (engine failures: 3)."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (ValueError, RuntimeError) as exc:  # the known error types, imported only once one is raised
            from ..inference.engine import EngineError
            from ..case.loading import CaseError, one_line
            from ..inference.rulebook import RuleError

            if isinstance(exc, (CaseError, RuleError)):
                click.echo(f"error: {one_line(str(exc))}", err=True)
                sys.exit(2)
            if isinstance(exc, EngineError):
                click.echo(f"engine error: {one_line(str(exc))}", err=True)
                sys.exit(3)
            raise

    return run


def quick_exit() -> None:
    """At exit, spare the cyclic collector its last passes over every object still alive (the
    model's classes, the rulebook, the engine's tables): the memory goes back to the system
    anyway, and a short command ends sooner. Only at exit (``atexit``): a long run keeps its
    collector, and the verbs close their files themselves, never leaving one to the collector."""
    atexit.unregister(gc.freeze)  # once, however many commands a process runs
    atexit.register(gc.freeze)


def utf8_streams() -> None:
    """Write UTF-8 whatever the locale: the same bytes everywhere, and no crash on a French
    letter in a Latin-1 or ASCII locale (JSON is UTF-8 by definition)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower().replace("-", "") != "utf8":
            stream.flush()
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")


#: The case files this command read: ``-o`` never writes onto one of them.
_READ: list[Path] = []
#: The options that name where a command writes (every other path on its command line is read).
_OUTPUT_OPTIONS = frozenset({"--output", "--html", "--jsonl"})
#: The files under a directory named on the command line that a command may read there.
_DATA_SUFFIXES = (".yaml", ".yml", ".json", ".csv")


def _named_inputs() -> list[Path]:
    """The files this command was given to read (a case, by path or bundled id, a draft, answers,
    a patch, a rules or register directory's files), whatever the verb: an output must not
    destroy one of them."""
    from ..case.catalogue import bundled_cases

    found: list[Path] = []
    bundled = bundled_cases()
    context = click.get_current_context(silent=True)
    while context is not None:
        for param in context.command.params:
            if _OUTPUT_OPTIONS.intersection(param.opts):
                continue
            value = context.params.get(param.name or "")
            for item in value if isinstance(value, (tuple, list)) else (value,):
                if not isinstance(item, (str, Path)) or not str(item):
                    continue
                path = Path(item)
                if path.is_file():
                    found.append(path)
                elif path.is_dir():
                    found += [p for p in path.rglob("*") if p.suffix.lower() in _DATA_SUFFIXES and p.is_file()]
                elif str(item) in bundled:  # a bundled case, named by its id
                    found.append(bundled[str(item)])
        context = context.parent
    return found


def assess_named(case: str) -> Assessment:
    """Assess a case given as a file path or as the id of a bundled case."""
    from ..case.catalogue import resolve
    from ..inference.assessment import assess_checked

    path = resolve(case)
    _READ.append(path)
    return assess_checked(path)


def require_conclusion(assessment: Assessment, case: str, conclusion: str) -> None:
    """Refuse, as bad input, a finding or conclusion the case did not reach."""
    from ..case.loading import CaseError

    if conclusion not in assessment.run.conclusions:
        known = ", ".join(sorted(assessment.run.conclusions)) or "none"
        raise CaseError(case, "", f"expected one of the case's conclusions ({known}), got '{conclusion}'")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: Path, text: "str | bytes") -> None:
    """Write ``text`` (UTF-8; or bytes, a document) to ``path`` through a temporary file and ``os.replace``: a reader
    never sees half a file, and a failure leaves the old one in place.

    Never onto a case file this command read; a device or a pipe (``/dev/null``) is
    written directly, not replaced by a file; an existing file keeps its mode, and a read-only
    one is refused rather than replaced."""
    import tempfile

    from ..case.loading import CaseError

    try:
        info: Optional[os.stat_result] = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise CaseError(str(path), "", f"cannot write the output file ({exc.strerror or exc})") from None
    if info is not None:
        for source in [*_READ, *_named_inputs()]:
            if source.exists() and os.path.samefile(source, path):
                raise CaseError(str(path), "", "expected an output file other than the case file it is made from (or any file it reads)")
        if not stat.S_ISREG(info.st_mode):
            _write_directly(path, text)
            return
        if not info.st_mode & 0o222 or not os.access(path, os.W_OK):
            raise CaseError(str(path), "", "expected a writable output file (it is read-only)")
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise CaseError(str(path), "", f"cannot write the output file ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text if isinstance(text, bytes) else str.encode(text, "utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise CaseError(str(path), "", f"cannot write the output file ({exc.strerror or exc})") from None
        raise


def _write_directly(path: Path, text: "str | bytes") -> None:
    """A device or a pipe: written in place (a rename would replace the device with a file)."""
    from ..case.loading import CaseError

    try:
        with open(path, "wb") as handle:
            handle.write(text if isinstance(text, bytes) else str.encode(text, "utf-8"))
    except OSError as exc:
        raise CaseError(str(path), "", f"cannot write the output file ({exc.strerror or exc})") from None


def emit(text: str, output: Optional[str]) -> None:
    """Print, or write atomically to ``output``."""
    if output is None or output == "-":
        click.echo(text, nl=False)
    else:
        write_atomically(Path(output), text)
