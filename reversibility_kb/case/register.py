"""The DORA register of information (Implementing Regulation (EU) 2024/2956) as case files.

Financial entities keep, for each ICT contractual arrangement, the provider, the functions it
supports and their criticality, and (template B_07.01) the provider's substitutability, whether an
exit plan exists, whether the service can be reintegrated, and whether alternatives are identified.
Each arrangement becomes a case judged with the ``dora`` pack.

Read: the templates' CSV files (``b_02.02.csv`` …, one header row of column codes ``c0010`` …), as
in a register's xBRL-CSV package; closed-set values as the templates' labels (``Not
substitutable``, ``Easy``, ``true``). Column codes follow the DPM 4.0 numbering (see docs/packs.md).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import random
import re
import stat
from pathlib import Path
from typing import Any, Iterable, Optional

import attrs

from . import model
from .loading import _FORBIDDEN_IN_TEXT, CaseError, file_kind, case_to_data

#: The templates read, and the columns used from each (code → meaning).
COLUMNS = {
    "b_02.02": {
        "c0010": "contractual arrangement reference number",
        "c0020": "LEI of the entity making use of the ICT service",
        "c0030": "identification code of the ICT third-party service provider",
        "c0050": "function identifier",
        "c0060": "type of ICT services",
        "c0070": "start date of the contractual arrangement",
        "c0080": "end date of the contractual arrangement",
        "c0100": "notice period for the financial entity (days)",
    },
    "b_05.01": {
        "c0010": "identification code of the ICT third-party service provider",
        "c0050": "legal name of the ICT third-party service provider",
    },
    "b_06.01": {
        "c0010": "function identifier",
        "c0030": "function name",
        "c0050": "criticality or importance assessment",
    },
    "b_07.01": {
        "c0010": "contractual arrangement reference number",
        "c0020": "identification code of the ICT third-party service provider",
        "c0050": "substitutability of the ICT third-party service provider",
        "c0080": "existence of an exit plan",
        "c0090": "possibility of reintegration of the contracted ICT service",
        "c0100": "impact of discontinuing the ICT services",
        "c0110": "alternative ICT third-party service providers identified",
    },
}
REQUIRED = ("b_02.02", "b_05.01", "b_06.01", "b_07.01")

_YES = {"true", "yes", "y", "1", "oui"}
_NO = {"false", "no", "n", "0", "non"}
#: B_07.01 c0050: the template's four options, as the register's labels.
SUBSTITUTABILITY = {
    "not substitutable": model.Substitutability.not_substitutable,
    "highly complex substitutability": model.Substitutability.highly_complex,
    "medium complexity in terms of substitutability": model.Substitutability.medium_complexity,
    "easily substitutable": model.Substitutability.easy,
}
#: B_07.01 c0090: the template's options.
REINTEGRATION = {
    "easy": model.Reintegration.easy,
    "difficult": model.Reintegration.difficult,
    "highly complex": model.Reintegration.highly_complex,
    "not applicable": model.Reintegration.not_applicable,
}
IMPACT = ("low", "medium", "high")


@attrs.frozen
class Arrangement:
    """One ICT contractual arrangement, joined across the templates."""

    reference: str
    entity: str
    provider_code: str
    provider_name: str
    service_type: str
    start: datetime.date
    end: Optional[datetime.date]
    notice_days: Optional[int]
    functions: tuple[str, ...]
    critical: model.Tri
    substitutability: model.Substitutability
    exit_plan: model.Tri
    reintegration: model.Reintegration
    impact: str
    alternatives: model.Tri


def _norm(value: str) -> str:
    return " ".join(value.strip().lower().split())


#: A template file larger than this is no register (100,000 arrangements take about 11 MB).
MAX_TABLE_BYTES = 500_000_000


def _read_table(path: Path) -> bytes:
    """The bytes of a template file, checked as :func:`loading.read_bytes` checks a case file but
    with a register's size: a named pipe would block forever, a device (``/dev/zero``) or a huge
    sparse file would fill the memory."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise CaseError(str(path), "", f"expected a readable file ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise CaseError(str(path), "", f"expected a readable file, got {file_kind(info.st_mode)}")
        if info.st_size > MAX_TABLE_BYTES:
            raise CaseError(str(path), "", f"expected a file under {MAX_TABLE_BYTES} bytes, got {info.st_size}")
        try:
            raw = handle.read(MAX_TABLE_BYTES + 1)  # the file may grow after fstat
        except OSError as exc:
            raise CaseError(str(path), "", f"expected a readable file ({exc.strerror})") from None
    if len(raw) > MAX_TABLE_BYTES:
        raise CaseError(str(path), "", f"expected a file under {MAX_TABLE_BYTES} bytes, got more")
    return raw


class _Reader:
    """Reads one template file, with errors naming the file, the row and the column."""

    def __init__(self, directory: Path, template: str) -> None:
        candidates = [p for p in directory.iterdir() if p.name.lower() == f"{template}.csv"]
        if not candidates:
            raise CaseError(str(directory), template, f"expected the template file {template}.csv in the register")
        self.path = candidates[0]
        raw = _read_table(self.path)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CaseError(str(self.path), f"byte {exc.start}", "expected a UTF-8 CSV file") from None
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [_norm(h) for h in reader.fieldnames or []]
        missing = [c for c in COLUMNS[template] if c not in header]
        if missing:
            raise CaseError(str(self.path), "header", f"expected the column {missing[0]} ({COLUMNS[template][missing[0]]})")
        self.rows = [{_norm(k): (v or "").strip() for k, v in row.items() if k is not None} for row in reader]
        for index, row in enumerate(self.rows):
            for column, cell in row.items():
                bad = _FORBIDDEN_IN_TEXT.search(cell)
                if bad:  # a case file may not hold them either: a terminal would run them
                    shown = bad.group().encode("unicode_escape").decode("ascii")
                    raise self.fail(index, column, f"expected a text without control characters, got '{shown}' at character {bad.start()}")

    def where(self, index: int, column: str) -> str:
        return f"row {index + 2}.{column}"

    def fail(self, index: int, column: str, expected: str) -> CaseError:
        return CaseError(str(self.path), self.where(index, column), expected)

    def date(self, index: int, column: str) -> datetime.date:
        value = self.rows[index][column]
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise self.fail(index, column, f"expected a date YYYY-MM-DD, got '{value}'") from None

    def optional_date(self, index: int, column: str) -> Optional[datetime.date]:
        """A date the register may leave blank (an arrangement without an end)."""
        return self.date(index, column) if self.rows[index][column] else None

    def tri(self, index: int, column: str) -> model.Tri:
        value = _norm(self.rows[index][column])
        if value in _YES:
            return model.Tri.yes
        if value in _NO:
            return model.Tri.no
        if not value:
            return model.Tri.unknown
        raise self.fail(index, column, f"expected true or false, got '{self.rows[index][column]}'")

    def choice(self, index: int, column: str, options: dict[str, Any]) -> Any:
        value = _norm(self.rows[index][column])
        if value not in options:
            raise self.fail(index, column, f"expected one of {', '.join(options)}, got '{self.rows[index][column]}'")
        return options[value]


def read_register(directory: "str | Path") -> list[Arrangement]:
    """The arrangements of a register, in reference order; one line naming the cell on bad input."""
    root = Path(directory)
    if not root.is_dir():
        raise CaseError(str(root), "", "expected a directory holding the register's CSV files")
    contracts, providers, functions, assessments = (_Reader(root, t) for t in REQUIRED)
    names = {row["c0010"]: row["c0050"] for row in providers.rows}
    critical: dict[str, model.Tri] = {}
    function_names: dict[str, str] = {}
    for index, row in enumerate(functions.rows):
        critical[row["c0010"]] = functions.tri(index, "c0050")
        function_names[row["c0010"]] = row["c0030"] or row["c0010"]
    by_reference: dict[str, list[int]] = {}
    for index, row in enumerate(contracts.rows):
        if not row["c0010"]:
            raise contracts.fail(index, "c0010", "expected a contractual arrangement reference number")
        if row["c0050"] not in critical:
            raise contracts.fail(index, "c0050", f"expected a function identifier of b_06.01, got '{row['c0050']}'")
        if row["c0030"] not in names:
            raise contracts.fail(index, "c0030", f"expected a provider code of b_05.01, got '{row['c0030']}'")
        by_reference.setdefault(row["c0010"], []).append(index)
    assessed = {row["c0010"]: index for index, row in enumerate(assessments.rows)}
    out = []
    for reference in sorted(by_reference):
        indexes = by_reference[reference]
        first = contracts.rows[indexes[0]]
        ids = tuple(dict.fromkeys(contracts.rows[i]["c0050"] for i in indexes))
        levels = {critical[i] for i in ids}
        notice = first["c0100"]
        if notice and not notice.isdigit():
            raise contracts.fail(indexes[0], "c0100", f"expected a number of days, got '{notice}'")
        a = assessed.get(reference)
        if a is not None and _norm(assessments.rows[a]["c0100"]) not in IMPACT:
            raise assessments.fail(a, "c0100", f"expected one of {', '.join(IMPACT)}, got '{assessments.rows[a]['c0100']}'")
        out.append(
            Arrangement(
                reference=reference,
                entity=first["c0020"],
                provider_code=first["c0030"],
                provider_name=names[first["c0030"]] or first["c0030"],
                service_type=first["c0060"],
                start=contracts.date(indexes[0], "c0070"),
                end=contracts.optional_date(indexes[0], "c0080"),
                notice_days=int(notice) if notice else None,
                functions=tuple(function_names[i] for i in ids),
                critical=model.Tri.yes if model.Tri.yes in levels else model.Tri.no if levels == {model.Tri.no} else model.Tri.unknown,
                substitutability=assessments.choice(a, "c0050", SUBSTITUTABILITY) if a is not None else model.Substitutability.unknown,
                exit_plan=assessments.tri(a, "c0080") if a is not None else model.Tri.unknown,
                reintegration=assessments.choice(a, "c0090", REINTEGRATION) if a is not None else model.Reintegration.unknown,
                impact=_norm(assessments.rows[a]["c0100"]) if a is not None else "",
                alternatives=assessments.tri(a, "c0110") if a is not None else model.Tri.unknown,
            )
        )
    return out


def case_id(reference: str) -> str:
    """A case id (and file name) from an arrangement reference."""
    return "roi-" + (re.sub(r"[^a-z0-9]+", "-", reference.lower()).strip("-") or "arrangement")


def to_case(arrangement: Arrangement, as_of: datetime.date) -> model.Case:
    """The arrangement as a case judged with the ``dora`` pack, as of the register's date."""
    a = arrangement
    functions = ", ".join(a.functions)
    history: tuple[model.Event, ...] = (model.Event(id="e-start", date=a.start, kind=model.EventKind.signature, by="entity"),)
    if a.end is not None and a.end <= as_of:
        history += (model.Event(id="e-end", date=a.end, kind=model.EventKind.termination, by="entity", against="provider"),)
    contract = model.Contract(
        id=case_id(a.reference),
        signed_on=a.start,
        object=model.OutsourcedObject.critical_application if a.critical is model.Tri.yes else model.OutsourcedObject.services,
        object_detail=f"{a.reference} — {a.service_type} — {functions}",
        client="entity",
        provider="provider",
        regulatory=model.Regulatory(
            packs=("dora",),
            financial_entity=model.Tri.yes,
            critical_or_important_function=a.critical,
            switching_notice_days=a.notice_days,
            exit_plan=a.exit_plan,
            alternative_providers_identified=a.alternatives,
            reintegration=a.reintegration,
            substitutability=a.substitutability,
        ),
    )
    return model.Case(
        id=case_id(a.reference),
        title=model.Text(fr=f"Accord {a.reference} avec {a.provider_name} ({functions})", en=f"Arrangement {a.reference} with {a.provider_name} ({functions})"),
        as_of=max(as_of, a.start),
        contract=contract,
        schema_version=2,
        parties=(
            model.Party(id="entity", role=model.PartyRole.client, name=a.entity or "financial entity"),
            model.Party(id="provider", role=model.PartyRole.provider, name=a.provider_name),
        ),
        history=history,
        tags=("register-of-information", f"provider:{a.provider_code}", *(f"function:{f}" for f in a.functions)),
    )


def register_date(arrangements: Iterable[Arrangement]) -> datetime.date:
    """The register's date when none is given: its latest start date (deterministic, unlike today)."""
    return max((a.start for a in arrangements), default=datetime.date(2025, 1, 17))


def write_cases(arrangements: list[Arrangement], out: "str | Path", as_of: datetime.date) -> list[Path]:
    """One YAML case file per arrangement in ``out``; the paths written."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: faster
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for arrangement in arrangements:
        case = to_case(arrangement, as_of)
        path = folder / f"{case.id}.yaml"
        data = json.loads(json.dumps(case_to_data(case)))  # enums as their plain values
        text = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=120)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


_LABELS: dict[str, dict[Any, str]] = {
    "substitutability": {v: k.capitalize() for k, v in SUBSTITUTABILITY.items()},
    "reintegration": {v: k.capitalize() for k, v in REINTEGRATION.items()},
}


def _tri_text(value: model.Tri) -> str:
    return {model.Tri.yes: "true", model.Tri.no: "false", model.Tri.unknown: ""}[value]


def b0701_rows(cases: Iterable[model.Case]) -> list[dict[str, str]]:
    """Template B_07.01 rows written back from case files (what the cases say of each arrangement)."""
    rows = []
    for case in cases:
        regulatory = case.contract.regulatory
        reference = case.contract.object_detail.split(" — ", 1)[0]
        provider = next((p for p in case.parties if p.role is model.PartyRole.provider), None)
        rows.append(
            {
                "c0010": reference,
                "c0020": next((t.split(":", 1)[1] for t in case.tags if t.startswith("provider:")), provider.name if provider else ""),
                "c0050": _LABELS["substitutability"].get(regulatory.substitutability, ""),
                "c0080": _tri_text(regulatory.exit_plan),
                "c0090": _LABELS["reintegration"].get(regulatory.reintegration, ""),
                "c0110": _tri_text(regulatory.alternative_providers_identified),
            }
        )
    return sorted(rows, key=lambda r: r["c0010"])


def synthetic_register(count: int, seed: int = 2954) -> dict[str, list[dict[str, str]]]:
    """A generated register of ``count`` arrangements (fictitious codes and names, not copied from
    any real register): rows of b_02.02, b_05.01, b_06.01 and b_07.01, keyed by column code."""
    rng = random.Random(seed)
    providers = [(f"SYNTH{n:05d}PROVIDER{n:04d}", f"Prestataire fictif {n}") for n in range(1, max(4, count // 20) + 1)]
    functions = [(f"F{n:03d}", name, critical) for n, (name, critical) in enumerate(
        [("Paiements", True), ("Crédits", True), ("Comptabilité", True), ("Messagerie", False), ("RH", False),
         ("Gestion des risques", True), ("Reporting réglementaire", True), ("Poste de travail", False)], 1)]
    services = ("S01", "S02", "S03", "S06", "S17", "S18", "S19")
    out: dict[str, list[dict[str, str]]] = {"b_02.02": [], "b_05.01": [], "b_06.01": [], "b_07.01": []}
    out["b_05.01"] = [{"c0010": code, "c0020": "LEI", "c0050": name} for code, name in providers]
    out["b_06.01"] = [{"c0010": fid, "c0030": name, "c0050": "true" if crit else "false"} for fid, name, crit in functions]
    weights = {"substitutability": (0.2, 0.3, 0.2, 0.3), "exit": (0.6, 0.3, 0.1)}
    for n in range(1, count + 1):
        reference = f"CA-{n:06d}"
        provider = providers[min(int(rng.paretovariate(1.2)) - 1, len(providers) - 1)][0]
        start = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(0, 4000))
        end = start + datetime.timedelta(days=365 * rng.choice((3, 5, 7, 10))) if rng.random() < 0.7 else None
        chosen = rng.sample(functions, rng.choice((1, 1, 1, 2)))
        for fid, _, _ in chosen:
            out["b_02.02"].append({
                "c0010": reference, "c0020": "SYNTHENTITY0000000001", "c0030": provider, "c0050": fid,
                "c0060": rng.choice(services), "c0070": start.isoformat(), "c0080": end.isoformat() if end else "",
                "c0100": str(rng.choice((30, 60, 90, 180))) if rng.random() < 0.9 else "",
            })
        substitutability = rng.choices(list(SUBSTITUTABILITY), weights["substitutability"])[0]
        out["b_07.01"].append({
            "c0010": reference, "c0020": provider,
            "c0050": substitutability.capitalize(),
            "c0080": rng.choices(("true", "false", ""), weights["exit"])[0],
            "c0090": rng.choice(("Easy", "Difficult", "Highly complex")),
            "c0100": rng.choice(("Low", "Medium", "High")),
            "c0110": rng.choice(("true", "false")),
        })
    return out


def write_register(tables: dict[str, list[dict[str, str]]], directory: "str | Path") -> None:
    """Write template rows as the register's CSV files (the columns this module reads)."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    for template, rows in tables.items():
        columns = list(COLUMNS[template])
        buffer = io.StringIO(newline="")
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: row.get(c, "") for c in columns} for row in rows)
        (folder / f"{template}.csv").write_text(buffer.getvalue(), encoding="utf-8")
