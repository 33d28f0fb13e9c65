"""The bundled rulebook, read and checked once, then kept for a quick start.

Reading the rule files (YAML) and checking every rule costs more than assessing a small case, on
every start of the command line. The checked rulebook is kept in the package's ``__pycache__`` (as
Python keeps bytecode), under a key made of everything it is made from: the rule files' names and
bytes (packs included), the pack names, the folder, the package and Python versions, and the source
of the modules that read rules (and the mutant under test, when mutation testing runs). A cache that is stale, truncated, altered, not the user's own or
holding anything but rulebook classes is ignored and rewritten; only the bundled rule folder is
cached (a folder given by a user is read every time).

``REVERSIBILITY_KB_CACHE_DIR`` moves the cache to another (private) folder; set empty, it turns the
cache off.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import pickle
import sys
from pathlib import Path
from typing import Callable, Optional

from .. import __version__
from ..case import resources
from .dating import InForce
from ..case.loading import CaseError, read_bytes
from ..case.model import Severity, Text
from .rulebook import Pattern, Practice, Question, Rule, Rulebook, SeedPoint, Test

#: The first bytes of a cache file; a new layout of the file changes it.
MAGIC = b"RKBRB\x00\x00\x01"
_DIGEST = hashlib.sha256().digest_size
#: The modules whose code decides what a rule file becomes (a change to any of them is a new key).
_READERS = ("inference/rulebook", "inference/packs", "case/loading", "case/model", "inference/dating", "inference/facts", "inference/compiler")
#: The only classes a cache file may hold: anything else is refused, never imported.
_CLASSES: dict[tuple[str, str], type] = {
    (cls.__module__, cls.__qualname__): cls
    for cls in (Rulebook, Rule, Pattern, Test, SeedPoint, Practice, Question, Text, Severity, InForce, datetime.date)
}

Reader = Callable[[Path, tuple[str, ...]], Rulebook]


def cache_dir() -> Optional[Path]:
    """Where the cache lives (``None``: no cache)."""
    chosen = os.environ.get("REVERSIBILITY_KB_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    return Path(__file__).resolve().parent.parent / "__pycache__"


def cached(directory: Path, packs: tuple[str, ...], read: Reader) -> Rulebook:
    """``read(directory, packs)``, or the same rulebook from the cache when the folder is the
    bundled one and nothing it was made from has changed."""
    folder = cache_dir()
    if folder is None or directory.resolve() != resources.rules_dir().resolve():
        return read(directory, packs)
    try:
        key = _key(directory, packs)  # as given: the rules' ``file`` names are made from it
    except (OSError, CaseError):  # the reader says what is wrong, in one line
        return read(directory, packs)
    path = folder / f"rulebook-{hashlib.sha256(repr(packs).encode()).hexdigest()[:16]}.pickle"
    found = _load(path, key)
    if found is not None:
        return found
    rulebook = read(directory, packs)
    _store(path, key, rulebook)
    return rulebook


def _key(directory: Path, packs: tuple[str, ...]) -> bytes:
    """A digest of everything the rulebook is made from."""
    digest = hashlib.sha256(MAGIC)
    # mutation testing (mutmut) runs every mutant from one source, chosen by this variable
    for part in (__version__, sys.version, str(directory), repr(packs), os.environ.get("MUTANT_UNDER_TEST", "")):
        digest.update(part.encode() + b"\0")
    folders = [directory, *(directory / "packs" / name for name in dict.fromkeys(packs))]
    for folder in folders:
        for file in sorted(folder.glob("*.yaml")):
            digest.update(str(file.relative_to(directory)).encode() + b"\0" + read_bytes(file) + b"\0")
    package = Path(__file__).resolve().parent.parent
    for module in _READERS:
        digest.update(module.encode() + b"\0" + (package / f"{module}.py").read_bytes() + b"\0")
    return digest.digest()


class _Unpickler(pickle.Unpickler):
    """Unpickles rulebook classes only: any other class or function is refused, never imported."""

    def find_class(self, module: str, name: str) -> type:
        try:
            return _CLASSES[module, name]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} is not a rulebook class") from None


def _load(path: Path, key: bytes) -> Optional[Rulebook]:
    """The cached rulebook if the file is ours, for this key, and intact; otherwise ``None``."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
                return None  # written by someone else, or writable by others: not trusted
            data = handle.read()
    except OSError:
        return None
    head = len(MAGIC) + 2 * _DIGEST
    body = memoryview(data)[head:]
    if data[:len(MAGIC)] != MAGIC or data[len(MAGIC):len(MAGIC) + _DIGEST] != key:
        return None
    if data[len(MAGIC) + _DIGEST:head] != hashlib.sha256(body).digest():
        return None
    try:
        found = _Unpickler(io.BytesIO(body)).load()
    except Exception:  # noqa: BLE001  # any damage the digest missed: read the rules again
        return None
    return found if isinstance(found, Rulebook) else None


def _store(path: Path, key: bytes, rulebook: Rulebook) -> None:
    """Write the cache atomically (a reader never sees half a file); a folder that cannot be
    written only means no cache."""
    import tempfile  # and shutil, lzma, bz2 with it: only when the cache is written

    body = pickle.dumps(rulebook, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(MAGIC + key + hashlib.sha256(body).digest() + body)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass
