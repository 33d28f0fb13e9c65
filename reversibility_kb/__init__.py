"""reversibility_kb: an expert system on the reversibility of IT outsourcing.

Typical use::

    from reversibility_kb import load_case, assess
    assessment = assess(load_case("cases/s7-donor-database.yaml"))
    for finding in assessment.findings:
        print(finding.severity.value, finding.id, finding.title.en)
    graph = assessment.explain(assessment.findings[0].id)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .inference.assessment import Assessment, Finding, assess, default_rulebook
    from .case.loading import CaseError, load_case
    from .inference.rulebook import Rulebook, RuleError, load_rulebook

#: The public names and the module each comes from: imported on first use, so that the command
#: line's ``--help`` (which imports this package first) does not pay for the engine and the model.
_EXPORTS = {
    "Assessment": "inference.assessment", "Finding": "inference.assessment", "assess": "inference.assessment", "default_rulebook": "inference.assessment",
    "CaseError": "case.loading", "load_case": "case.loading",
    "Rulebook": "inference.rulebook", "RuleError": "inference.rulebook", "load_rulebook": "inference.rulebook",
}

__all__ = [
    "Assessment", "CaseError", "Finding", "RuleError", "Rulebook",
    "assess", "default_rulebook", "load_case", "load_rulebook", "__version__",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module when the name is first asked for (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
