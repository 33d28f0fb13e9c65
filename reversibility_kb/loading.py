"""Case files (YAML or JSON) in, a validated :class:`~reversibility_kb.model.Case` out.

Structuring is done by ``cattrs``; this module only adds strict scalar hooks, readable enum
errors and the checks that span several fields (unique ids, references, dates). Every problem
becomes one :class:`CaseError` naming the file, the path inside it and what was expected.
"""

from __future__ import annotations

import datetime
import difflib
import enum
import json
import re
from pathlib import Path
from typing import Any, Iterator, Optional

import attrs
import cattrs
import yaml

from . import model

#: Files larger than this are refused before parsing: no real case file comes near it.
MAX_BYTES = 2_000_000
#: Nesting deeper than this cannot be a case file (the model is six levels deep).
MAX_DEPTH = 20


class CaseError(ValueError):
    """A case file that cannot be used, with where and why, in one line."""

    def __init__(self, file: str, path: str, expected: str) -> None:
        self.file, self.path, self.expected = file, path, expected
        where = f"{file}: {path}" if path else file
        super().__init__(f"{where}: {expected}")


class _ScalarError(ValueError):
    """Raised by the strict hooks; its text is the 'expected …' part of a CaseError."""


def _strict(kind: type, label: str) -> Any:
    def hook(value: Any, _: type) -> Any:
        if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
            raise _ScalarError(f"expected {label}, got {_show(value)}")
        return value

    return hook


def _show(value: Any) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _structure_enum(value: Any, kind: type[enum.Enum]) -> enum.Enum:
    choices = [member.value for member in kind]
    if kind is model.Tri and isinstance(value, bool):  # YAML reads a bare yes/no as a boolean
        return model.Tri.yes if value else model.Tri.no
    if isinstance(value, str) and value in choices:
        return kind(value)
    hint = ""
    if isinstance(value, str):
        close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
        if close:
            hint = f" (did you mean '{close[0]}'?)"
    raise _ScalarError(f"expected one of {', '.join(choices)}, got {_show(value)}{hint}")


def _structure_date(value: Any, _: type) -> datetime.date:
    if isinstance(value, datetime.datetime):
        raise _ScalarError(f"expected a date (YYYY-MM-DD), got a date and time {_show(str(value))}")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise _ScalarError(f"expected a date (YYYY-MM-DD), got {_show(value)}")


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_structure_hook_func(lambda t: t is str, _strict(str, "a text"))
    converter.register_structure_hook_func(lambda t: t is int, _strict(int, "a whole number"))
    converter.register_structure_hook(datetime.date, _structure_date)
    for kind in vars(model).values():
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            converter.register_structure_hook(kind, _structure_enum)
    converter.register_unstructure_hook(datetime.date, datetime.date.isoformat)
    return converter


converter = _make_converter()


def _format_exception(exc: BaseException, kind: Optional[type]) -> str:
    if isinstance(exc, (_ScalarError, ValueError)) and not isinstance(exc, KeyError):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        extra = ", ".join(sorted(exc.extra_fields))
        return f"unknown field(s) {extra}; expected only the fields of {exc.cl.__name__}"
    if isinstance(exc, TypeError):
        name = getattr(kind, "__name__", str(kind))
        return f"expected {_describe(kind) or name}"
    return str(exc)


def _describe(kind: Optional[type]) -> str:
    if attrs.has(kind):
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


def _depth(value: Any, limit: int) -> int:
    stack: list[tuple[Any, int]] = [(value, 1)]
    deepest = 0
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, level + 1) for child in children)
    return deepest


def parse(text: str, file: str, suffix: str) -> Any:
    """Parse YAML (always safely) or JSON into plain data."""
    try:
        if suffix == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise CaseError(file, f"line {exc.lineno} column {exc.colno}", f"expected valid JSON ({exc.msg})") from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}" if mark else ""
        raise CaseError(file, where, f"expected plain YAML data, found a tag that would build an object ({exc.problem})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise CaseError(file, where, f"expected valid YAML ({problem})") from None


def read_data(path: Path) -> Any:
    """Read a case or rule file into plain data, refusing oversize, non-UTF-8 or deep files."""
    file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CaseError(file, "", f"expected a readable file ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise CaseError(file, "", f"expected a file under {MAX_BYTES} bytes, got {len(raw)}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CaseError(file, f"byte {exc.start}", "expected UTF-8 text") from None
    data = parse(text, file, path.suffix.lower())
    if _depth(data, MAX_DEPTH) > MAX_DEPTH:
        raise CaseError(file, "", f"expected at most {MAX_DEPTH} levels of nesting")
    return data


def structure_case(data: Any, file: str = "<case>") -> model.Case:
    """Turn plain data into a validated :class:`Case`, or raise one :class:`CaseError`."""
    if not isinstance(data, dict):
        raise CaseError(file, "", f"expected a mapping at the top of the file, got {type(data).__name__}")
    try:
        case = converter.structure(data, model.Case)
    except Exception as exc:  # cattrs groups every failure; we report the first, in file order
        raise CaseError(file, *first_structure_error(exc)) from None
    problem = next(_consistency_problems(case), None)
    if problem:
        raise CaseError(file, *problem)
    return case


def _consistency_problems(case: model.Case) -> Iterator[tuple[str, str]]:
    """Checks that span fields: unique ids, references that resolve, dates that make sense."""
    contract = case.contract
    seen: dict[str, str] = {}
    groups = [
        ("parties", case.parties),
        ("contract.tools", contract.tools),
        ("contract.data", contract.data),
        ("contract.documents", contract.documents),
        ("contract.phases", contract.phases),
        ("history", case.history),
    ]
    for where, items in groups:
        for index, item in enumerate(items):
            path = f"{where}[{index}].id"
            if item.id in seen or item.id == contract.id:
                first = seen.get(item.id, "contract.id")
                yield path, f"expected a unique id, '{item.id}' is already used at {first}"
            seen.setdefault(item.id, path)
    party_ids = {party.id for party in case.parties}
    for field in ("client", "provider", "successor"):
        value = getattr(contract, field)
        if value and value not in party_ids:
            yield f"contract.{field}", f"expected the id of a party, got '{value}'"
    controlled = contract.reversibility.condition_controlled_by
    if controlled and controlled not in party_ids:
        yield "contract.reversibility.condition_controlled_by", f"expected the id of a party, got '{controlled}'"
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
            yield f"{path}.ref", f"expected the id of a party, tool, data asset, document or phase, got '{event.ref}'"
        for field in ("by", "against"):
            value = getattr(event, field)
            if value is not None and value not in party_ids:
                yield f"{path}.{field}", f"expected the id of a party, got '{value}'"


def load_case(path: "str | Path") -> model.Case:
    """Load and validate one case file (``.yaml``, ``.yml`` or ``.json``)."""
    path = Path(path)
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise CaseError(str(path), "", "expected a .yaml, .yml or .json case file")
    return structure_case(read_data(path), str(path))


def case_to_data(case: model.Case) -> dict[str, Any]:
    """The plain-data form of a case, as it would be written in a case file."""
    return converter.unstructure(case)
