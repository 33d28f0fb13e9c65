"""The fact base: what an expert knows about one outsourcing contract.

Every class is a frozen, typed ``attrs`` class. Where an expert may simply not know yet, the
field is three-valued (:class:`Tri`) or optional, and its default is *unknown*, never *no*:
"unknown" must not be silently read as "false".
"""

from __future__ import annotations

import datetime
import enum
from typing import Optional

import attrs


class Tri(str, enum.Enum):
    """A fact that can be known true, known false, or not known yet."""

    yes = "yes"
    no = "no"
    unknown = "unknown"


class OutsourcedObject(str, enum.Enum):
    """What is outsourced (S1.a … S1.f)."""

    services = "services"
    simple_application = "simple_application"
    critical_application = "critical_application"
    infrastructure = "infrastructure"
    integrated_service = "integrated_service"
    function = "function"


class ApplicationMode(str, enum.Enum):
    """How a critical application is run (S1.c)."""

    classic = "classic"
    asp = "asp"
    tma = "tma"
    not_applicable = "not_applicable"
    unknown = "unknown"


class ReversibilityMode(str, enum.Enum):
    """Who takes the function back (S2.a, S2.b)."""

    reinternalisation = "reinternalisation"
    transfer = "transfer"
    unknown = "unknown"


class Timing(str, enum.Enum):
    """When reversibility happens (S2.c)."""

    end_of_contract = "end_of_contract"
    during_contract = "during_contract"
    unknown = "unknown"


class Trigger(str, enum.Enum):
    """What the contract says sets reversibility off."""

    term = "term"
    notice = "notice"
    termination_for_fault = "termination_for_fault"
    condition = "condition"
    unknown = "unknown"


class Objective(str, enum.Enum):
    """Why the client outsourced in the first place (S3.a … S3.e)."""

    offload_problem = "offload_problem"
    pooling_savings = "pooling_savings"
    variable_costs = "variable_costs"
    missing_skills = "missing_skills"
    run_down = "run_down"


class MarginLever(str, enum.Enum):
    """Where the provider expects its margin to come from (S10.c)."""

    pooling = "pooling"
    staff_reduction = "staff_reduction"
    tool_lock_in = "tool_lock_in"
    change_requests = "change_requests"
    minimal_investment = "minimal_investment"
    end_assistance_billing = "end_assistance_billing"


class Owner(str, enum.Enum):
    """Who owns a tool, a licence or an asset."""

    client = "client"
    provider = "provider"
    third_party = "third_party"
    unknown = "unknown"


class ToolPurpose(str, enum.Enum):
    """What an operating tool is for (S4.b)."""

    operation = "operation"
    monitoring = "monitoring"
    control = "control"
    surveillance = "surveillance"
    application = "application"
    database = "database"
    other = "other"


class BackupMode(str, enum.Enum):
    """How data is saved: an engine-level image, or a logical export (S7.c)."""

    physical = "physical"
    logical = "logical"
    unknown = "unknown"


class DataFormat(str, enum.Enum):
    """Whether the receiver can read the data without the provider's software."""

    proprietary = "proprietary"
    open = "open"
    unknown = "unknown"


class Location(str, enum.Enum):
    """Where a contractual phase is delivered (S8.a)."""

    client_site = "client_site"
    provider_pooled = "provider_pooled"
    provider_dedicated = "provider_dedicated"
    unknown = "unknown"


class PartyRole(str, enum.Enum):
    """The part a party plays in the case."""

    client = "client"
    provider = "provider"
    successor = "successor"
    prime_contractor = "prime_contractor"
    individual = "individual"


class EventKind(str, enum.Enum):
    """What can happen in a contract's dated history."""

    signature = "signature"
    phase_start = "phase_start"
    phase_end = "phase_end"
    delivered = "delivered"
    accepted = "accepted"
    rejected = "rejected"
    amendment = "amendment"
    sla_revision = "sla_revision"
    technology_change = "technology_change"
    scope_change = "scope_change"
    organisation_change = "organisation_change"
    service_assessment = "service_assessment"
    warning = "warning"
    notice = "notice"
    penalty = "penalty"
    payment_withheld = "payment_withheld"
    refusal = "refusal"
    staff_reduction = "staff_reduction"
    restore_test = "restore_test"
    reversibility_plan_test = "reversibility_plan_test"
    reversibility_start = "reversibility_start"
    project_failed = "project_failed"
    obsolescence_claim = "obsolescence_claim"
    termination = "termination"
    dispute = "dispute"
    liability_claim = "liability_claim"
    requalification_claim = "requalification_claim"


class Rating(str, enum.Enum):
    """A party's or an expert's judgement of the service."""

    poor = "poor"
    adequate = "adequate"
    good = "good"


class Outcome(str, enum.Enum):
    """How a test (restore, reversibility plan) ended."""

    passed = "passed"
    failed = "failed"
    unknown = "unknown"


def _non_negative(instance: object, attribute: attrs.Attribute, value: Optional[int]) -> None:
    if value is not None and value < 0:
        raise ValueError(f"expected a number >= 0, got {value}")


def _not_blank(instance: object, attribute: attrs.Attribute, value: str) -> None:
    if not value.strip():
        raise ValueError("expected a non-empty text")


@attrs.frozen
class Text:
    """A text in both languages of the project; neither may be missing."""

    fr: str = attrs.field(validator=_not_blank)
    en: str = attrs.field(validator=_not_blank)

    def in_(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


@attrs.frozen
class Party:
    """A company or a person involved in the case."""

    id: str = attrs.field(validator=_not_blank)
    role: PartyRole
    name: str
    #: For individuals: whether the person works inside the client's organisation (S9).
    embedded_in_client: Tri = Tri.unknown
    #: For individuals: whether the person takes orders from the client (a sign of subordination).
    under_client_authority: Tri = Tri.unknown
    #: For individuals: whether the person was transferred from the client to the provider (S4.a).
    transferred_from_client: Tri = Tri.unknown


@attrs.frozen
class Tool:
    """Software used to run, monitor, control or watch the outsourced function (S4.b)."""

    id: str = attrs.field(validator=_not_blank)
    name: str
    purpose: ToolPurpose
    owner: Owner = Owner.unknown
    licence_transferable: Tri = Tri.unknown
    #: Whether the receiver already has (or can readily get) an equivalent tool.
    receiver_has_equivalent: Tri = Tri.unknown
    proprietary: Tri = Tri.unknown


@attrs.frozen
class DataAsset:
    """A body of data the receiver needs in order to run the function (S7)."""

    id: str = attrs.field(validator=_not_blank)
    name: str
    dbms: str = ""
    dbms_proprietary: Tri = Tri.unknown
    receiver_has_dbms: Tri = Tri.unknown
    backup_mode: BackupMode = BackupMode.unknown
    very_large: Tri = Tri.unknown
    core_business: Tri = Tri.unknown


@attrs.frozen
class Document:
    """A document the contract plans (procedures, operating manual, plan …) (S6.a, S6.c)."""

    id: str = attrs.field(validator=_not_blank)
    title: str
    #: Whether the contract plans it for its initial period.
    planned_initial: Tri = Tri.unknown
    #: Whether its content is written for the provider's own tools and methods (S4.c).
    provider_specific: Tri = Tri.unknown


@attrs.frozen
class Phase:
    """A stage of the service, such as "six months on site, then pooled" (S8.a)."""

    id: str = attrs.field(validator=_not_blank)
    name: str
    order: int = attrs.field(validator=_non_negative)
    location: Location = Location.unknown
    duration_months: Optional[int] = attrs.field(default=None, validator=_non_negative)
    acceptance_criteria: Tri = Tri.unknown
    service_levels_defined: Tri = Tri.unknown
    #: Whether an inventory of the assets taken over (age, condition) was made at its start.
    asset_inventory: Tri = Tri.unknown


@attrs.frozen
class DataDeliverable:
    """What the contract says the receiver gets back for the data (S7.b)."""

    description: str = ""
    backup_mode: BackupMode = BackupMode.unknown
    format: DataFormat = DataFormat.unknown
    #: Whether the contract defines the deliverable by its usability (format, schema, tools).
    usability_specified: Tri = Tri.unknown
    restore_test_required: Tri = Tri.unknown


@attrs.frozen
class Reversibility:
    """The reversibility clause (S2, S5.b)."""

    mode: ReversibilityMode = ReversibilityMode.unknown
    timing: Timing = Timing.unknown
    trigger: Trigger = Trigger.unknown
    #: For a conditional trigger: the party that controls whether the condition is met.
    condition_controlled_by: Optional[str] = None
    condition: str = ""
    plan: Tri = Tri.unknown
    plan_covers_both_modes: Tri = Tri.unknown
    #: Months of transition with the provider's help; 0 means none; absent means not known.
    transition_months: Optional[int] = attrs.field(default=None, validator=_non_negative)
    assistance_priced: Tri = Tri.unknown
    deliverable: DataDeliverable = DataDeliverable()


@attrs.frozen
class Staff:
    """The people the client transferred to the provider, and what the contract says of them (S4.a)."""

    transferred: Tri = Tri.unknown
    transferred_count: Optional[int] = attrs.field(default=None, validator=_non_negative)
    return_clause: Tri = Tri.unknown
    knowledge_transfer_clause: Tri = Tri.unknown
    #: Whether the client kept people able to run or steer the function.
    client_kept_skills: Tri = Tri.unknown


@attrs.frozen
class ServiceLevels:
    """Service-level commitments (S6.d)."""

    defined: Tri = Tri.unknown
    measured: Tri = Tri.unknown


@attrs.frozen
class Contract:
    """The outsourcing contract as signed, with its clauses."""

    id: str = attrs.field(validator=_not_blank)
    signed_on: datetime.date
    object: OutsourcedObject
    object_detail: str = ""
    application_mode: ApplicationMode = ApplicationMode.not_applicable
    term_months: Optional[int] = attrs.field(default=None, validator=_non_negative)
    client: str = ""
    provider: str = ""
    successor: Optional[str] = None
    reversibility: Reversibility = Reversibility()
    staff: Staff = Staff()
    service_levels: ServiceLevels = ServiceLevels()
    #: Whether an asset register states who owns each tool, licence and piece of equipment.
    asset_register: Tri = Tri.unknown
    #: Whether the contract binds the provider to warn in writing of risks it sees (duty to advise).
    duty_to_advise: Tri = Tri.unknown
    objectives: tuple[Objective, ...] = ()
    margin_levers: tuple[MarginLever, ...] = ()
    tools: tuple[Tool, ...] = ()
    data: tuple[DataAsset, ...] = ()
    documents: tuple[Document, ...] = ()
    phases: tuple[Phase, ...] = ()


@attrs.frozen
class Event:
    """One dated thing that happened during the life of the contract."""

    id: str = attrs.field(validator=_not_blank)
    date: datetime.date
    kind: EventKind
    #: The id of what the event is about: a document, a phase, a tool, a data asset or a party.
    ref: Optional[str] = None
    #: The party that acted.
    by: Optional[str] = None
    #: The party the event is aimed at (a notice, a claim).
    against: Optional[str] = None
    rating: Optional[Rating] = None
    outcome: Optional[Outcome] = None
    note: str = ""


@attrs.frozen
class Expected:
    """The golden answer of a worked case: what an expert should conclude."""

    findings: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


@attrs.frozen
class Case:
    """One case file: a contract, its parties and its dated history, as of a given date."""

    id: str = attrs.field(validator=_not_blank)
    title: Text
    as_of: datetime.date
    contract: Contract
    parties: tuple[Party, ...] = ()
    history: tuple[Event, ...] = ()
    narrative: Optional[Text] = None
    expected: Optional[Expected] = None
    tags: tuple[str, ...] = ()
