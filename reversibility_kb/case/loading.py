"""Case files (YAML or JSON) in, a validated :class:`~reversibility_kb.case.model.Case` out.

Structuring is done by ``cattrs``; this module only adds strict scalar and container hooks,
readable enum errors and the checks that span several fields (unique ids, references, dates).
Every problem becomes one :class:`CaseError` naming the file, the path inside it and what was
expected.

YAML is read by a strict loader (libyaml's parser under PyYAML's composer and constructor, with
every guard), and first by a Rust parser (yaml-rs, about ten times faster) wherever its reading is
provably the strict loader's (:func:`_fast_yaml`): everything else, and every error, goes through
the strict loader and keeps its message.
"""

from __future__ import annotations

import datetime
import difflib
import enum
import functools
import json
import os
import re
import stat
import sys
import types
import typing
import unicodedata
import weakref
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional

import attrs
import cattrs
import cattrs.cols
import yaml
import yaml_rs
from cattrs.errors import AttributeValidationNote
from yaml._yaml import CParser

from . import model
from .court_checks import court_problems, court_references

#: Files larger than this are refused before parsing: no real case file comes near it.
MAX_BYTES = 2_000_000
#: Nesting deeper than this cannot be a case file (the model is six levels deep).
MAX_DEPTH = 20
#: More values than this cannot be a case file; the cap also stops YAML alias "bombs", where a few
#: hundred bytes of anchors and aliases expand to billions of values.
MAX_VALUES = 200_000
#: Characters of text, counted each time a YAML alias repeats one: a small file must not expand
#: into gigabytes of facts.
MAX_CHARS = 4 * MAX_BYTES
#: The longest text of one field: longer is no case file, and the engine would not hold it.
MAX_TEXT = 100_000
#: What ``str.splitlines`` breaks on, control characters (a terminal runs those), lone
#: surrogates (no encoder writes them), and the invisible characters that reorder or hide text on
#: screen (bidirectional controls, zero-width characters, the byte-order mark): a message holding
#: one is escaped to stay one safe line that reads as it is.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ud800-\udfff]")
#: What a text of a case file may not hold: control characters other than tab and line feed
#: (a carriage return rewrites a terminal line), and lone surrogates (a JSON ``\\ud800`` escape).
_FORBIDDEN_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
#: Fact ids the engine keeps for its own facts (``opening``, ``stage:1``, ``objective:…``) and
#: conclusions (``kind@subject``) use these.
_RESERVED_ID = re.compile(r"[:@\s]")
ENGINE_IDS = frozenset({"opening"})


class CaseError(ValueError):
    """A case file that cannot be used, with where and why, in one line."""

    def __init__(self, file: str, path: str, expected: str) -> None:
        self.file, self.path, self.expected = file, path, expected
        where = f"{file}: {path}" if path else file
        super().__init__(one_line(f"{where}: {expected}"))


def one_line(text: str) -> str:
    """Escape line breaks, control characters and lone surrogates (an id, a value or a file name
    may hold one): the CLI promises one line, and a terminal must not run what a file says."""
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


class _ScalarError(ValueError):
    """Raised by the strict hooks; its text is the 'expected …' part of a CaseError."""


def _strict(kind: type, label: str) -> Any:
    def hook(value: Any, target: type) -> Any:
        # Registered by class, this hook also gets every subclass: str enums such as a rule's severity.
        if isinstance(target, type) and issubclass(target, enum.Enum):
            return _structure_enum(value, target)
        if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
            raise _ScalarError(f"expected {label}, got {_show(value)}")
        return value

    return hook


def _structure_text(value: Any, target: type) -> Any:
    """A text: bounded, and without what no case file holds (control characters, lone surrogates)."""
    if target is not str and isinstance(target, type) and issubclass(target, enum.Enum):  # the hook also gets str enums
        return _structure_enum(value, target)
    if not isinstance(value, str):
        raise _ScalarError(f"expected a text, got {_show(value)}")
    if len(value) > MAX_TEXT:
        raise _ScalarError(f"expected a text of at most {MAX_TEXT} characters, got {len(value)}")
    bad = _FORBIDDEN_IN_TEXT.search(value)
    if bad:
        shown = bad.group().encode("unicode_escape").decode("ascii")
        raise _ScalarError(f"expected a text without control characters or lone surrogates, got '{shown}' at character {bad.start()}")
    return value


def _show(value: Any) -> str:
    try:
        text = json.dumps(value, default=str, ensure_ascii=False)
    except (TypeError, ValueError):  # a mapping keyed by dates, or a recursive YAML alias
        return _kind(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _kind(value: Any) -> str:
    """What a value is, in the words of YAML and JSON rather than of Python."""
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, bool):
        kind = "a boolean"
    elif isinstance(value, (int, float)):
        kind = "a number"
    elif isinstance(value, str):
        kind = "a text"
    elif isinstance(value, bytes):  # YAML's !!binary
        kind = "binary data"
    else:
        kind = f"a {type(value).__name__}"
    return f"{kind} {_show(value)}"


def _structure_enum(value: Any, kind: type[enum.Enum]) -> enum.Enum:
    if isinstance(value, str):  # the common case first: every event has several (hot path)
        member = kind._value2member_map_.get(value)
        if member is not None:
            return member
    choices = [member.value for member in kind]
    if kind is model.Tri and isinstance(value, bool):  # YAML reads a bare yes/no as a boolean
        return model.Tri.yes if value else model.Tri.no
    hint = ""
    if isinstance(value, str):
        close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)  # 0.5 offers 'yes' for 'maybe'
        if close:
            hint = f" (did you mean '{close[0]}'?)"
    raise _ScalarError(f"expected one of {', '.join(choices)}, got {_show(value)}{hint}")


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _structure_date(value: Any, _: type) -> datetime.date:
    if isinstance(value, datetime.datetime):
        raise _ScalarError(f"expected a date (YYYY-MM-DD), got a date and time {_show(str(value))}")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise _ScalarError(f"expected a date (YYYY-MM-DD), got {_show(value)}")


def _is_list(kind: Any) -> bool:
    args = typing.get_args(kind)
    return typing.get_origin(kind) is tuple and len(args) == 2 and args[1] is Ellipsis


def _structure_list(kind: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """cattrs makes a tuple of any iterable: a text would become a tuple of letters, a mapping a
    tuple of its keys. Only a list is a list."""
    items = cattrs.cols.homogenous_tuple_structure_factory(kind, converter)

    def hook(value: Any, _: Any) -> Any:
        if not isinstance(value, list):
            raise _ScalarError(f"expected a list, got {_kind(value)}")
        return items(value, kind)

    return hook


def _is_optional(kind: Any) -> bool:
    args = typing.get_args(kind)
    return typing.get_origin(kind) is typing.Union and len(args) == 2 and type(None) in args


def _structure_optional(kind: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """None, or the value structured by the hook of the other type, found once here (cattrs's
    own hook looks it up again for every value: an event has ten optional fields)."""
    inner = next(arg for arg in typing.get_args(kind) if arg is not type(None))
    structure = converter.get_structure_hook(inner)

    def hook(value: Any, _: Any) -> Any:
        return None if value is None else structure(value, inner)

    return hook


def _structure_attrs(kind: type, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """cattrs's own hook, after a check that the value is a mapping (cattrs would report
    "'str' object has no attribute 'keys'") and that every key is a field, named with a hint.
    cattrs's code for the class is generated at its first value: a case seldom holds every class
    of the model, and generating them all is most of a first case's cost."""
    structure: Optional[Callable[[Any, Any], Any]] = None
    names = {field.name: None for field in attrs.fields(kind)}  # ordered, for the hint
    fields = names.keys()

    def hook(value: Any, _: Any) -> Any:
        nonlocal structure
        if not isinstance(value, dict):
            raise _ScalarError(f"expected {_describe(kind)}, got {_kind(value)}")
        for key in value if not value.keys() <= fields else ():  # the first unknown key, in file order
            if key not in names:
                close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.6) if isinstance(key, str) else []
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                unknown = f"got an unknown field {_show(key)}{hint}"
                raise _ScalarError(f"expected only the fields of {kind.__name__}, {unknown}")
        if structure is None:
            structure = converter.gen_structure_attrs_fromdict(kind)
        try:
            return structure(value, kind)
        except cattrs.ClassValidationError as exc:
            raise _locate_validator_failure(exc, kind, value, converter) from None

    return hook


def _locate_validator_failure(
    exc: cattrs.ClassValidationError, kind: type, value: dict[str, Any], converter: cattrs.Converter
) -> Exception:
    """attrs runs validators (non-negative, non-blank) in the constructor, so cattrs reports their
    failure at the class: ``contract.reversibility``. Find the field that refuses its value and
    report it there: ``contract.reversibility.transition_months``."""
    with_notes, without = exc.group_exceptions()
    if with_notes or not without:
        return exc
    for field in attrs.fields(kind):
        if field.validator is None or field.name not in value:
            continue
        try:
            field.validator(None, field, converter.structure(value[field.name], field.type))
        except ValueError as problem:
            note = f"Structuring class {kind.__name__} @ attribute {field.name}"
            problem.__notes__ = [AttributeValidationNote(note, field.name, field.type)]
            return cattrs.ClassValidationError(f"While structuring {kind.__name__}", [problem], kind)
    return exc


def _make_converter(detailed: bool = True) -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=detailed, detailed_validation=detailed)
    # Registered by class, not by predicate: cattrs dispatches str and int by class first, so a
    # predicate hook for them is never called (and 7 would become "7", "3" would become 3).
    converter.register_structure_hook(str, _structure_text)
    converter.register_structure_hook(int, _strict(int, "a whole number"))
    converter.register_structure_hook(datetime.date, _structure_date)
    converter.register_structure_hook_factory(_is_list, _structure_list)
    converter.register_structure_hook_factory(_is_optional, _structure_optional)
    converter.register_structure_hook_factory(attrs.has, _structure_attrs)
    for kind in vars(model).values():
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            converter.register_structure_hook(kind, _structure_enum)
    converter.register_unstructure_hook(datetime.date, datetime.date.isoformat)
    converter.register_structure_hook(model.GoldenFinding, _structure_golden)
    converter.register_unstructure_hook(model.GoldenFinding, _unstructure_golden)
    return converter


def _structure_golden(value: Any, _: type) -> model.GoldenFinding:
    """A golden finding is its id, or ``{id: severity}`` when the case pins the severity."""
    if isinstance(value, dict) and len(value) == 1:
        ((finding, severity),) = value.items()
        return model.GoldenFinding(converter.structure(finding, str), typing.cast(model.Severity, _structure_enum(severity, model.Severity)))
    if isinstance(value, str):
        return model.GoldenFinding(converter.structure(value, str))
    raise _ScalarError(f"expected a finding id, or a mapping of one finding id to its severity, got {_kind(value)}")


def _unstructure_golden(golden: model.GoldenFinding) -> Any:
    return golden.id if golden.severity is None else {golden.id: golden.severity.value}


converter = _make_converter()
#: The same hooks without cattrs's error bookkeeping (unknown keys are refused by the attrs hook
#: all the same): half the code for cattrs to generate on a process's first case, and a valid
#: case structured a little faster. A case it refuses goes through :data:`converter`, which says
#: where and why.
_quick_converter = _make_converter(detailed=False)


def _format_exception(exc: BaseException, kind: Optional[type]) -> str:
    if isinstance(exc, (_ScalarError, ValueError)) and not isinstance(exc, KeyError):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        extra = ", ".join(sorted(map(_show, exc.extra_fields)))  # YAML keys need not be texts
        return f"unknown field(s) {extra}; expected only the fields of {exc.cl.__name__}"
    if isinstance(exc, TypeError):
        name = getattr(kind, "__name__", str(kind))
        return f"expected {_describe(kind) or name}"
    return str(exc)


def _describe(kind: Optional[type]) -> str:
    if isinstance(kind, type) and attrs.has(kind):
        return "a mapping (" + ", ".join(a.name for a in attrs.fields(kind)) + ")"
    origin = getattr(kind, "__origin__", None)
    if origin is tuple:
        return "a list"
    return ""


def _split(message: str) -> tuple[str, str]:
    """cattrs says 'what @ $.a.b[0]'; we say 'a.b[0]' and 'what'."""
    what, _, where = message.rpartition(" @ ")
    path = where[2:] if where.startswith("$.") else where.lstrip("$")
    return path, what


def first_structure_error(exc: BaseException) -> tuple[str, str]:
    """The path and the 'expected …' text of the first problem cattrs found."""
    return _split(cattrs.transform_error(exc, path="$", format_exception=_format_exception)[0])


def _shape_problem(value: Any) -> Optional[str]:
    """Why data cannot be a case file by its shape alone: too deep, or too many values.

    Walks at most MAX_VALUES values and MAX_CHARS characters of text, so an alias "bomb" (or a
    recursive alias) is refused quickly, counting what it would expand to.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    count = chars = 0
    while stack:
        item, level = stack.pop()
        count += 1
        if level > MAX_DEPTH:
            return f"expected at most {MAX_DEPTH} levels of nesting"
        if count > MAX_VALUES:
            return f"expected at most {MAX_VALUES} values (a YAML alias counts each time it is used)"
        if isinstance(item, dict):
            chars += sum(len(key) for key in item if isinstance(key, str))
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, level + 1) for child in item)
        elif isinstance(item, str):
            chars += len(item)
        if chars > MAX_CHARS:
            return f"expected at most {MAX_CHARS} characters of text (a YAML alias counts each time it is used)"
    return None


class _Refused(yaml.constructor.ConstructorError):
    """A YAML node our loader refuses; its ``problem`` is the 'expected …' text of a CaseError."""


class _Resolver(yaml.resolver.BaseResolver):
    """PyYAML's implicit types, with YAML 1.2 numbers: ``036`` is 36 (not octal 30), ``1:30`` is a
    text (not 90 in base 60), ``1_000`` is a text; ``0o17`` and ``0x1f`` keep their base."""


for _first, _resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items():
    _Resolver.yaml_implicit_resolvers[_first] = [
        (tag, pattern) for tag, pattern in _resolvers if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    ]
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+.0123456789"),
)


class _Composer(yaml.composer.Composer):
    """PyYAML's composer (over libyaml's events), refusing nesting deeper than a case file's
    before it can exhaust the stack."""

    _depth = 0
    check_event: Callable[..., bool]  # from the parser it is mixed with
    peek_event: Callable[[], Any]

    def compose_node(self, parent: Optional[yaml.Node], index: Any) -> Optional[yaml.Node]:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH and not self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise _Refused(None, None, f"expected at most {MAX_DEPTH} levels of nesting", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Constructor(yaml.constructor.SafeConstructor):
    """PyYAML's safe constructor, made strict where it is silent or crashes.

    It builds only plain data, like ``yaml.safe_load``; in addition a key given twice is refused
    (the safe loader keeps the last one silently), an impossible date such as 2019-02-30 stays a
    text so it is refused where a date is expected, with its path, and a value its explicit tag
    cannot build (``!!float abc``, ``!!bool maybe``) is refused with its line: the safe loader
    raises a bare ValueError, KeyError or AttributeError for those.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            digits = sys.get_int_max_str_digits()
            if tag == "!!int" and isinstance(exc, ValueError) and len(str(node.value)) > digits:
                refused = f"expected a number of at most {digits} digits"
            else:
                refused = f"expected a value the tag '{tag}' can build, got {_show(node.value)}"
            raise _Refused(None, None, refused, node.start_mark) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value if isinstance(node, yaml.MappingNode) else ():
            if key_node.tag == "tag:yaml.org,2002:merge":  # '<<' may be overridden: not a duplicate
                continue
            key = self.construct_object(key_node, deep=deep)
            try:
                first = seen.setdefault(key, key_node.start_mark)
            except TypeError:  # an unhashable key: the base class refuses it with its own message
                continue
            if first is not key_node.start_mark:
                again = f"got {_show(key)} again (first at line {first.line + 1})"
                raise _Refused(None, None, f"expected each key once in a mapping, {again}", key_node.start_mark)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """YAML 1.2: decimal digits are decimal whatever their first digit; ``0o``, ``0x`` prefixes."""
        text = str(self.construct_scalar(node))
        body = text.lstrip("+-")
        sign = -1 if text.startswith("-") else 1
        if body[:2] in ("0o", "0x"):
            return sign * int(body[2:], 8 if body[1] == "o" else 16)
        return sign * int(body, 10)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)

    def construct_undefined(self, node: yaml.Node) -> Any:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        refused = f"expected plain YAML data, found the tag '{tag}' (tags that build objects are refused)"
        raise _Refused(None, None, refused, node.start_mark)


_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)  # type: ignore[type-var]
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)  # type: ignore[type-var]
_Constructor.add_constructor(None, _Constructor.construct_undefined)  # type: ignore[type-var]


class _SafeLoader(_Composer, CParser, _Constructor, _Resolver):
    """libyaml scans and parses (C speed); composing, resolving and building stay in Python, safe
    and strict (see the classes above)."""

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        _Composer.__init__(self)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


class _SyntaxLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, _Composer, _Constructor, _Resolver):
    """The same loader on PyYAML's pure-Python parser: run only on a file libyaml refused, to
    report the syntax error in the words (and at the place) users of this project know."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _Composer.__init__(self)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


#: The fast path's answer when it cannot vouch for its result: the strict loader reads the text.
_SLOW = object()
#: Indicators that start a node property (tag, anchor, alias), a block scalar, a complex key or a
#: directive, or are reserved: where a node may start, the fast path steps aside.
_INDICATORS = "&*!|>?%@`"
_INDICATOR = re.compile(r"[\s\[\{,:][&*!|>?%@`]")
#: A plain scalar starting with ``:``: YAML 1.2 allows it in a flow collection, libyaml does not.
_COLON_FIRST = re.compile(r"[\s\[\{,]:\S")
#: Numbers the fast parser reads by other rules than the strict loader: ``1_000``, ``0b11``,
#: ``0O17``, ``-0x1f``, ``-.nan``.
_NUMBER_MARKS = ("0b", "0B", "0o", "0O", "0x", "0X", ".nan", ".NaN", ".NAN")
_UNDERSCORED = re.compile(r"[0-9]_")
#: Characters libyaml refuses, or reads as line breaks where YAML 1.2 does not (``\x85``,
#: ``\u2028``, ``\u2029``), and the byte order mark: those files go to the strict loader. Kept as
#: text and compiled by ``re`` on first use: its wide ranges take milliseconds to compile, paid
#: only when a file holds a character that is not printable.
_NOT_PLAIN = "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
#: A line whose indentation and ``- `` entries are this long could hold collections nested
#: deeper than the fast parser should recurse on the C stack (the strict loader refuses past
#: MAX_DEPTH anyway, naming the line).
_DEEP_LINE = re.compile(r"\n[ -]{60}")
#: A flow collection opened inside another one, or holding a quoted text (which may hide brackets).
_NESTED_FLOW = re.compile("[\\[\\{][^\\]\\}'\"]*[\\[\\{'\"]")
#: Every byte but those of flow collections, quotes and line breaks: what :func:`_flow_spans_lines` drops.
_NOT_FLOW = bytes(byte for byte in range(256) if chr(byte) not in "[]{}'\"\n")
#: Plain words the strict loader reads as YAML 1.1 booleans; YAML 1.2, and the fast parser, as texts.
_WORDS = {word: value for value, words in ((True, "yes Yes YES on On ON"), (False, "no No NO off Off OFF")) for word in words.split()}
#: Where one of those words, ``=`` (YAML's "value" key) or a date may stand as a whole plain
#: scalar (or inside a longer text, a quoted one or a comment: a false match only costs speed);
#: and where a date and time may start (the second group).
_PLAIN_CANDIDATE = re.compile(
    r"[\s\[\{,:](?=[yYnNoO=0-9])(?:(" + "|".join(_WORDS) + r"|=|[0-9]{4}-[0-9]{2}-[0-9]{2})(?=[ \t]*(?:[\n#,\]\}:]|\Z))"
    r"|([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]))"
)


def _fast_yaml(text: str) -> Any:
    """``text`` read by a Rust YAML parser (yaml-rs, about fifteen times faster than libyaml under
    PyYAML's Python composer), or :data:`_SLOW` wherever that reading could differ from the strict
    loader's.

    Only texts without tags, anchors, aliases, block scalars, escapes, merge keys, document markers,
    numbers in other bases or with underscores, or characters outside plain printable text are handed
    to it. YAML 1.2 reads plain ``yes``/``no``/``on``/``off`` and dates as texts: those are then given
    the strict loader's booleans and dates, and where a word could be plain or quoted, the strict
    loader reads the file. Anything the fast parser refuses (a duplicate key, a syntax error) and any
    shape a guard refuses also go to the strict loader, which says why in its own words: the fast
    path only ever returns what the strict loader would have returned.
    """
    lined = "\n" + text  # the patterns look at the character before a node: a line break here
    if (
        len(text) >= MAX_VALUES
        or not text.replace("\n", " ").isprintable() and re.search(_NOT_PLAIN, text)
        or any(mark in lined for mark in ("\t", "\r", "\\", "<<", "\n---", "\n...", ":,", ":]", ":}", *_NUMBER_MARKS))
        or any(c in text for c in _INDICATORS) and _INDICATOR.search(lined)
        or any(mark in lined for mark in (" :", "\n:", "[:", "{:", ",:")) and _COLON_FIRST.search(lined)
        or _UNDERSCORED.search(text)
        or _DEEP_LINE.search(lined)
        or ("[" in text or "{" in text) and (
            _NESTED_FLOW.search(text) and text.count("[") + text.count("{") > 60 or _flow_spans_lines(text)
        )
    ):
        return _SLOW
    words: dict[str, Any] = {}
    for word, timestamp in set(_PLAIN_CANDIDATE.findall(lined)):
        if timestamp or word == "=" or f"'{word}'" in text or f'"{word}"' in text:
            return _SLOW  # a plain date and time, YAML's "value" key, or a word both plain and quoted
        try:
            words[word] = _WORDS[word] if word in _WORDS else datetime.date.fromisoformat(word)
        except ValueError:  # 2019-02-30 stays a text, as the strict loader leaves it
            pass
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # noqa: BLE001 -- whatever it refuses, the strict loader explains
        return _SLOW
    if not _settles(data):
        return _SLOW
    try:
        return _replace(data, words) if words else data
    except KeyError:  # 'yes' and 'true': the same key twice for the strict loader
        return _SLOW


def _flow_spans_lines(text: str) -> bool:
    """Whether a flow collection (``[…]``, ``{…}``) may go on past the end of its line: libyaml
    refuses a key split over two lines there, yaml-rs reads it. Each line's brackets must close
    on that line, outside quotes; a line with brackets and an odd number of quotes is doubtful."""
    for line in set(text.encode("utf-8", "surrogatepass").translate(None, _NOT_FLOW).split(b"\n")):
        if b"[" not in line and b"{" not in line and b"]" not in line and b"}" not in line:
            continue
        if line.count(b"'") % 2 or line.count(b'"') % 2:
            return True
        depth, quote = 0, 0
        for byte in line:
            if quote:
                quote = 0 if byte == quote else quote
            elif byte in b"'\"":
                quote = byte
            else:
                depth += 1 if byte in b"[{" else -1
                if depth < 0:
                    return True
        if depth:
            return True
    return False


def _settles(data: Any) -> bool:
    """Whether ``data`` passes the nesting guard, has only texts as keys (the strict loader reads
    ``1: a`` and ``true: b`` as the same key) and no number too long for the strict loader. Without aliases, a text shorter than MAX_VALUES
    characters holds fewer values than MAX_VALUES and fewer characters than MAX_CHARS: those
    guards cannot refuse."""
    stack: list[tuple[Any, int]] = [([data], 0)]
    while stack:
        node, level = stack.pop()
        if level >= MAX_DEPTH and node:  # its values would be deeper than MAX_DEPTH
            return False
        if type(node) is dict:
            if not set(map(type, node)) <= {str}:
                return False
            node = node.values()
        for value in node:
            kind = value.__class__
            if kind is dict or kind is list:
                stack.append((value, level + 1))
            elif kind is int and value.bit_length() > 1000:  # the strict loader bounds the digits
                return False
    return True


def _replace(data: Any, words: dict[str, Any]) -> Any:
    """``data`` with every text in ``words`` (a key or a value) replaced by its value there;
    KeyError if two keys become one."""
    if type(data) is dict:
        settled = {words.get(key, key): _replace(value, words) for key, value in data.items()}
        if len(settled) < len(data):
            raise KeyError("a key twice")
        return settled
    if type(data) is list:
        return [_replace(value, words) for value in data]
    return words.get(data, data) if type(data) is str else data


def _load_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_SafeLoader)  # type: ignore[arg-type]  # noqa: S506 -- a safe loader
    except _Refused:
        raise
    except yaml.YAMLError as fast:
        try:
            yaml.load(text, Loader=_SyntaxLoader)  # type: ignore[arg-type]  # noqa: S506 -- the same safe loader
        except (yaml.YAMLError, RecursionError) as slow:
            raise slow from None
        raise fast from None  # pragma: no cover -- both parsers implement the same YAML


def _json_int(digits: str) -> int:
    """json's int() refuses a too long number with advice for Python programmers; say it plainly."""
    try:
        return int(digits)
    except ValueError:
        raise _ScalarError(f"expected numbers of at most {sys.get_int_max_str_digits()} digits") from None


def _where(mark: Optional[yaml.Mark]) -> str:
    return f"line {mark.line + 1} column {mark.column + 1}" if mark else ""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key given twice (json keeps the last one silently)."""
    data = dict(pairs)
    if len(data) < len(pairs):
        seen: set[str] = set()
        again = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        raise _ScalarError(f"expected each key once in a mapping, got {_show(again)} again")
    return data


def parse(text: str, file: str, suffix: str) -> Any:
    """Parse YAML (always safely, YAML 1.2 numbers) or JSON into plain data."""
    return _parse(text, file, suffix)[0]


def _parse(text: str, file: str, suffix: str) -> tuple[Any, bool]:
    """:func:`parse`, and whether the data's shape is already checked (the fast path checks it)."""
    if suffix != ".json":
        fast = _fast_yaml(text)
        if fast is not _SLOW:
            return fast, True
    try:
        if suffix == ".json":
            return json.loads(text, parse_int=_json_int, object_pairs_hook=_unique_keys), False
        return _load_yaml(text), False
    except RecursionError:  # json recurses once per level of nesting
        raise CaseError(file, "", f"expected at most {MAX_DEPTH} levels of nesting") from None
    except json.JSONDecodeError as exc:
        raise CaseError(file, f"line {exc.lineno} column {exc.colno}", f"expected valid JSON ({exc.msg})") from None
    except _ScalarError as exc:
        raise CaseError(file, "", str(exc)) from None
    except _Refused as exc:
        raise CaseError(file, _where(exc.problem_mark), str(exc.problem)) from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "syntax error"
        where = _where(getattr(exc, "problem_mark", None))
        raise CaseError(file, where, f"expected valid YAML ({problem})") from None


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES, checked before reading: a named pipe
    would block forever, a device (``/dev/zero``) or a huge sparse file would fill the memory."""
    file = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        raise CaseError(file, "", f"expected a readable file ({getattr(exc, 'strerror', None) or exc})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise CaseError(file, "", f"expected a readable file, got {file_kind(info.st_mode)}")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > MAX_BYTES:
            raise CaseError(file, "", f"expected a file under {MAX_BYTES} bytes, got {info.st_size}")
        try:
            raw = handle.read(MAX_BYTES + 1)  # the file may grow after fstat
        except OSError as exc:
            raise CaseError(file, "", f"expected a readable file ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise CaseError(file, "", f"expected a file under {MAX_BYTES} bytes, got more")
    return raw


def file_kind(mode: int) -> str:
    """What a path that is not a regular file is, in words (for the one-line errors)."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def decode(raw: bytes, file: str, suffix: str) -> Any:
    """Bytes of a case or rule file into plain data, refusing non-UTF-8, deep or bloated data."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CaseError(file, f"byte {exc.start}", "expected UTF-8 text") from None
    data, checked = _parse(text, file, suffix)
    problem = None if checked else _shape_problem(data)
    if problem:
        raise CaseError(file, "", problem)
    return data


def parse_value(text: str, file: str) -> Any:
    """One YAML value given on the command line (``--set path=VALUE``), with a file's guards:
    bounded size, nesting, values and expanded text; YAML 1.2 numbers."""
    if len(text) > MAX_TEXT:
        raise CaseError(file, "", f"expected a value of at most {MAX_TEXT} characters, got {len(text)}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a byte the locale could not decode arrives as a lone surrogate
        raise CaseError(file, "", f"expected UTF-8 text, got a lone surrogate (a byte the locale could not decode) in '{one_line(text)}'") from None
    data, checked = _parse(text, file, ".yaml")
    problem = None if checked else _shape_problem(data)
    if problem:
        raise CaseError(file, "", problem)
    return data


def read_data(path: Path) -> Any:
    """Read a case or rule file into plain data, refusing special, oversize, non-UTF-8, deep or
    bloated files."""
    return decode(read_bytes(path), str(path), path.suffix.lower())


def structure_case(data: Any, file: str = "<case>") -> model.Case:
    """Turn plain data into a validated :class:`Case`, or raise one :class:`CaseError`."""
    if data is None:
        raise CaseError(file, "", "expected a mapping at the top of the file, got nothing (empty, or null)")
    if not isinstance(data, dict):
        raise CaseError(file, "", f"expected a mapping at the top of the file, got {_kind(data)}")
    try:
        case = _quick_converter.structure(data, model.Case)
    except Exception:  # noqa: BLE001 -- the detailed converter finds and words the problem
        try:
            case = converter.structure(data, model.Case)
        except Exception as exc:  # cattrs groups every failure; we report the first, in file order
            raise CaseError(file, *first_structure_error(exc)) from None
    problem = next(_consistency_problems(case), None)
    if problem:
        raise CaseError(file, *problem)
    _remember(case, None)
    return case


def _id_problems(path: str, value: str) -> Iterator[tuple[str, str]]:
    """An id becomes a fact id in the engine: it may not look like one of the engine's own, nor
    hold an invisible character."""
    if value in ENGINE_IDS or _RESERVED_ID.search(value):
        shown = one_line(value)
        yield path, f"expected an id without spaces, ':' or '@' and other than 'opening' (the engine's own facts use them), got '{shown}'"
        return
    if not value.isascii():  # nearly every id is: no generator to start
        yield from _hidden_problems(path, value)


def _hidden_problems(path: str, value: str) -> Iterator[tuple[str, str]]:
    """An id, or a reference to one, may hold no format character (Unicode category Cf: the
    bidirectional controls U+202A–U+202E and U+2066–U+2069, U+061C, the zero-width characters
    U+200B–U+200F and U+2060, the byte-order mark U+FEFF, tag characters): two ids that look the
    same on screen would differ, and a report would show an id that reads otherwise than it is
    ("Trojan source"). An id never needs one. Texts (names, titles, notes) keep them: a French text
    quoting an Arabic name may need U+200F or U+061C to display right, and a text is only shown,
    never compared with another or referred to."""
    if value.isascii():
        return
    for position, char in enumerate(value):
        if unicodedata.category(char) == "Cf":
            shown = char.encode("unicode_escape").decode("ascii")
            name = unicodedata.name(char, "")
            named = f" ({name})" if name else ""
            yield path, (f"expected an id without invisible or direction-changing characters (with one, an id reads "
                         f"on screen as another), got '{shown}'{named} at character {position}")
            return


@functools.cache
def _own_hashes() -> dict[int, tuple[str, str]]:
    """The hashes of the engine's own facts, with their ids and what they are: once per process."""
    from ..inference.engine import _message_hash, own_fact_ids  # imported here: the engine imports the rulebook, which imports this module

    return {_message_hash(fact_id): (fact_id, what) for fact_id, what in own_fact_ids().items()}


def _hash_clashes(ids: dict[str, str]) -> Iterator[tuple[str, str]]:
    """durable_rules knows a fact by a 32-bit hash of its id (see :mod:`.engine`): two ids of one
    case (``ids``: id → path) that share it would be one fact to the engine, and so would an id
    that shares the hash of one of the engine's own facts (``opening``, ``stage:1`` …). The clash
    is in the file, so it is refused as the file's problem, naming both places."""
    from ..inference.engine import _message_hash  # imported here: the engine imports the rulebook, which imports this module

    hashes = list(map(_message_hash, ids))  # cached: the engine hashes the same ids again
    own = _own_hashes()
    if len(set(hashes)) == len(hashes) and own.keys().isdisjoint(hashes):
        return
    first: dict[int, tuple[str, str]] = {}
    for (value, path), key in zip(ids.items(), hashes):
        if key in own and own[key][0] != value:
            fact_id, what = own[key]
            yield path, (f"expected ids the engine can tell apart, got '{value}', which shares its 32-bit fact hash "
                         f"(FNV-1, durable_rules' identity of a fact) with '{fact_id}', {what}: rename it")
            return
        other, where = first.setdefault(key, (value, path))
        if other != value:
            yield path, (f"expected ids the engine can tell apart, got '{value}', which shares its 32-bit fact hash "
                         f"(FNV-1, durable_rules' identity of a fact) with '{other}' at {where}: rename one of them")
            return


def _reference_problems(path: str, value: str, expected: str) -> Iterator[tuple[str, str]]:
    """A reference that matches no id: an invisible character in it is named (no id holds one),
    else what it should have been."""
    hidden = next(_hidden_problems(path, value), None)
    yield hidden or (path, f"expected {expected}, got '{value}'")


def _repeated(path: str, values: tuple[Any, ...]) -> Iterator[tuple[str, str]]:
    """These lists are sets: a value given twice is a mistake (and the engine's facts are unique)."""
    seen: dict[Any, int] = {}
    for index, value in enumerate(values):
        first = seen.setdefault(value, index)
        if first != index:
            yield f"{path}[{index}]", f"expected each value once, {_show(value)} is already at {path}[{first}]"


def _item_groups(case: model.Case) -> list[tuple[str, tuple[Any, ...]]]:
    """Every list of items with an id, by its path: the ids are the engine's fact ids."""
    contract = case.contract
    return [
        ("parties", case.parties),
        ("contract.tools", contract.tools),
        ("contract.data", contract.data),
        ("contract.documents", contract.documents),
        ("contract.phases", contract.phases),
        ("contract.assets", contract.assets),
        ("contract.scope", contract.scope),
        ("history", case.history),
    ]


def _value_lists(obj: Any, path: str) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Every list of plain values (objectives, tags, successors …) in an attrs object: these are
    sets in the model's meaning."""
    for field in attrs.fields(type(obj)):
        value = getattr(obj, field.name)
        where = f"{path}.{field.name}" if path else field.name
        if attrs.has(type(value)):
            yield from _value_lists(value, where)
        elif isinstance(value, tuple) and not any(attrs.has(type(item)) for item in value):
            yield where, value


def _consistency_problems(case: model.Case) -> Iterator[tuple[str, str]]:
    """Checks that span fields: unique ids, sets without repeats, references that resolve,
    dates that make sense."""
    contract = case.contract
    seen: dict[str, str] = {}
    groups = _item_groups(case)
    yield from _id_problems("id", case.id)
    yield from _id_problems("contract.id", contract.id)
    for where, values in _value_lists(case, ""):
        yield from _repeated(where, values)
    if case.expected:
        yield from _repeated("expected.findings", tuple(golden.id for golden in case.expected.findings))
    for where, items in groups:
        for index, item in enumerate(items):
            path = f"{where}[{index}].id"
            yield from _id_problems(path, item.id)
            if item.id in seen or item.id == contract.id:
                first = seen.get(item.id, "contract.id")
                yield path, f"expected a unique id, '{item.id}' is already used at {first}"
            seen.setdefault(item.id, path)
    yield from _hash_clashes({contract.id: "contract.id", **seen})
    party_ids = {party.id for party in case.parties}
    for field in ("client", "provider", "successor"):
        value = getattr(contract, field)
        if value and value not in party_ids:
            yield from _reference_problems(f"contract.{field}", value, "the id of a party")
    for index, value in enumerate(contract.successors):
        if value not in party_ids:
            yield from _reference_problems(f"contract.successors[{index}]", value, "the id of a party")
    controlled = contract.reversibility.condition_controlled_by
    if controlled and controlled not in party_ids:
        yield from _reference_problems("contract.reversibility.condition_controlled_by", controlled, "the id of a party")
    if contract.signed_on > case.as_of:
        yield "contract.signed_on", f"expected a date on or before as_of ({case.as_of}), got {contract.signed_on}"
    previous: Optional[datetime.date] = None
    for index, event in enumerate(case.history):
        path = f"history[{index}]"
        if event.date > case.as_of:
            yield f"{path}.date", f"expected a date on or before as_of ({case.as_of}), got {event.date}"
        if previous and event.date < previous:
            yield f"{path}.date", f"expected events in date order, {event.date} comes before {previous}"
        previous = event.date
        if event.ref is not None and event.ref not in seen and event.ref != contract.id:
            yield from _reference_problems(f"{path}.ref", event.ref, "the id of a party, tool, data asset, document, phase, asset or scope item")
        for field in ("by", "against", "to"):
            value = getattr(event, field)
            if value is not None and value not in party_ids:
                yield from _reference_problems(f"{path}.{field}", value, "the id of a party")
    for path, value in court_references(case):
        yield from _hidden_problems(path, value)
    yield from court_problems(case)


def load_case(source: "str | Path | Mapping[str, Any]") -> model.Case:
    """Load and validate one case: a file (``.yaml``, ``.yml`` or ``.json``), or a mapping
    shaped like one (already parsed data, checked exactly as a file's would be)."""
    if isinstance(source, Mapping):
        problem = _shape_problem(dict(source))
        if problem:
            raise CaseError("<case>", "", problem)
        return structure_case(dict(source), "<case>")
    path = Path(source)
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise CaseError(str(path), "", "expected a .yaml, .yml or .json case file")
    return structure_case(read_data(path), str(path))


#: Cases already checked, by identity (hashing a case hashes every item in it), with the
#: conclusion kinds they were checked against, or None for a case loaded (so consistent) but not
#: yet checked against a rulebook: a case is immutable, so assessing it again (what-if, questions,
#: benchmarks), or right after loading it, need not check it again.
_CHECKED: "dict[int, tuple[weakref.ref[model.Case], Optional[frozenset[str]]]]" = {}


#: A type check: None, or where the value goes wrong (relative to it: ``.field``, ``[3]``,
#: ``.field[3].other``) and what was expected there.
_TypeCheck = Callable[[Any], Optional[tuple[str, str]]]


def _no_check(value: Any) -> None:
    return None


@functools.cache
def _type_check(kind: Any) -> _TypeCheck:
    """The check of one type of the model, built once: a case built in code holds thousands of
    values, and walking the type hints again for each cost more than assessing the case."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(kind)
        options = [option for option in args if option is not type(None)]
        nullable, checks = len(options) < len(args), [_type_check(option) for option in options]
        expected = f"expected {' or '.join(map(_type_name, options))}, got "

        def union(value: Any) -> Optional[tuple[str, str]]:
            if value is None and nullable or any(check(value) is None for check in checks):
                return None
            return "", expected + type(value).__name__

        return union
    if kind is Any or origin is None and not isinstance(kind, type):
        return _no_check
    if origin is tuple:
        item = _type_check(typing.get_args(kind)[0])

        def items(value: Any) -> Optional[tuple[str, str]]:
            if not isinstance(value, tuple):
                return "", f"expected a tuple, got {type(value).__name__}"
            for index, element in enumerate(value):
                problem = item(element)
                if problem is not None:
                    return f"[{index}]{problem[0]}", problem[1]
            return None

        return items
    if origin is not None:
        return lambda value: None if isinstance(value, origin) else ("", f"expected {_type_name(origin)}, got {type(value).__name__}")
    fields: list[tuple[str, _TypeCheck]] = []  # filled at the first value: a class may refer to itself

    def plain(value: Any) -> Optional[tuple[str, str]]:
        if not isinstance(value, kind) or kind is int and isinstance(value, bool):
            return "", f"expected {_type_name(kind)}, got {type(value).__name__}"
        if not fields and attrs.has(kind):
            hints = typing.get_type_hints(kind)
            fields.extend((field.name, _type_check(hints[field.name])) for field in attrs.fields(kind))
        for name, check in fields:
            problem = check(getattr(value, name))
            if problem is not None:
                return f".{name}{problem[0]}", problem[1]
        return None

    return plain


def _type_problems(case: model.Case) -> Optional[tuple[str, str]]:
    """Where a case built in code holds a value of another type than the model's (a text where
    an enum is expected, a text date), and what was expected there: the loader's converter makes
    that impossible in a loaded case, and the fact builder would fail deep inside with an
    AttributeError."""
    problem = _type_check(model.Case)(case)
    return None if problem is None else (problem[0].removeprefix("."), problem[1])


def _type_name(kind: Any) -> str:
    return str(getattr(kind, "__name__", kind))


def _remember(case: model.Case, kinds: Optional[frozenset[str]]) -> None:
    key = id(case)
    _CHECKED[key] = (weakref.ref(case, lambda _: _CHECKED.pop(key, None)), kinds)


def validate_case(case: model.Case, conclusions: Iterable[str] = (), file: str = "<case>") -> None:
    """Check a case built in code (not loaded) as a file would be checked: references, unique
    ids, dates; and that no id is also the id of one of the rulebook's ``conclusions`` (the
    engine would see two facts with one id). Raises :class:`CaseError`."""
    if not isinstance(case, model.Case):
        raise CaseError(file, "", f"expected a Case, got {type(case).__name__}")
    kinds = frozenset(conclusions)
    entry = _CHECKED.get(id(case))
    known = entry is not None and entry[0]() is case
    if known and entry is not None and entry[1] == kinds:
        return
    problem = None if known else _type_problems(case) or next(_consistency_problems(case), None)
    if problem:
        raise CaseError(file, *problem)
    items = [("contract.id", case.contract.id)] + [
        (f"{where}[{index}].id", item.id) for where, group in _item_groups(case) for index, item in enumerate(group)
    ]
    for path, value in items:
        if value in kinds:
            raise CaseError(file, path, f"expected an id other than a conclusion of the rulebook, got '{one_line(value)}'")
    _remember(case, kinds)


def case_to_data(case: model.Case) -> dict[str, Any]:
    """The plain-data form of a case, as it would be written in a case file."""
    data: dict[str, Any] = converter.unstructure(case)
    return data
