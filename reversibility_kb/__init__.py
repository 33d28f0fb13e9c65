"""reversibility_kb: an expert system on the reversibility of IT outsourcing.

Typical use::

    from reversibility_kb import load_case, assess
    assessment = assess(load_case("cases/s7-donor-database.yaml"))
    for finding in assessment.findings:
        print(finding.severity.value, finding.id, finding.title.en)
    graph = assessment.explain(assessment.findings[0].id)
"""

__version__ = "0.1.0"

from .assessment import Assessment, Finding, assess, default_rulebook  # noqa: E402
from .loading import CaseError, load_case  # noqa: E402
from .rulebook import Rulebook, RuleError, load_rulebook  # noqa: E402

__all__ = [
    "Assessment", "CaseError", "Finding", "RuleError", "Rulebook",
    "assess", "default_rulebook", "load_case", "load_rulebook", "__version__",
]
