"""The fact base: what an expert knows about one outsourcing contract.

Every class is a frozen, typed ``attrs`` class. Where an expert may simply not know yet, the
field is three-valued (:class:`Tri`) or optional, and its default is *unknown*, never *no*:
"unknown" must not be silently read as "false".
"""

import datetime
import enum
from typing import Optional, TypeVar

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
    #: Part of the function comes back to the client, part goes to one or more successors.
    mixed = "mixed"
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
    #: Termination without having to give a reason (often against a fee).
    termination_for_convenience = "termination_for_convenience"
    condition = "condition"
    #: The provider's insolvency, administration or shutdown forces the exit.
    provider_failure = "provider_failure"
    #: The provider suspends or cuts the service.
    suspension = "suspension"
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
    #: A court-appointed administrator or liquidator of an insolvent party.
    administrator = "administrator"


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
    #: A disagreement formally raised between the parties (a written claim, a referral to a
    #: court or an arbitrator) — not a mere complaint about the service.
    dispute = "dispute"
    liability_claim = "liability_claim"
    requalification_claim = "requalification_claim"
    # --- staff at the exit (as opposed to the contract's clauses): ``count`` says how many ---
    #: Staff come back to the client (returned under the contract or by law).
    staff_returned = "staff_returned"
    #: The client hires people who ran the function at the provider.
    staff_hired_back = "staff_hired_back"
    #: The successor keeps or hires the people who ran the function.
    staff_kept_by_successor = "staff_kept_by_successor"
    #: The provider (or its administrator) dismisses the people who ran the function.
    staff_dismissed = "staff_dismissed"
    # --- assets and ownership over time: ``ref`` the asset or tool, ``to`` the new owner ---
    ownership_transfer = "ownership_transfer"
    # --- data and migration: evidence of success or failure, with ``outcome`` ---
    #: An attempt to export or hand back data (``outcome``: passed = complete and readable).
    data_export = "data_export"
    #: Data destroyed or lost (a fire, a deletion, a crash).
    data_loss = "data_loss"
    #: An incident that stops the service (fire, attack, misconfiguration).
    incident = "incident"
    #: The service is running again (``ref``: the data asset or backup it was restored from).
    service_restored = "service_restored"
    migration_start = "migration_start"
    migration_end = "migration_end"
    #: The outgoing provider stops helping before the migration is over.
    migration_abandoned = "migration_abandoned"
    #: The outgoing provider keeps running the service for a period after termination.
    transition_services = "transition_services"
    # --- the provider's failure and its demands ---
    insolvency = "insolvency"
    administration = "administration"
    #: The provider stops the service for good.
    service_shutdown = "service_shutdown"
    #: The provider suspends the service.
    service_suspended = "service_suspended"
    #: A payment demanded as the price of continuing the service or of the migration.
    payment_demanded = "payment_demanded"
    #: A termination fee claimed.
    fee_claimed = "fee_claimed"
    # --- the contract over time ---
    term_extension = "term_extension"
    #: Acceptance with reservations, or against relaxed criteria.
    accepted_with_reservations = "accepted_with_reservations"
    # --- procedure and outcome (``decision`` says how a request was decided) ---
    #: A formal notice (mise en demeure) to perform.
    formal_notice = "formal_notice"
    #: A court order, e.g. in summary proceedings (référé).
    court_order = "court_order"
    #: A court-appointed expert is designated.
    expert_appointed = "expert_appointed"
    judgment = "judgment"
    arbitration = "arbitration"
    settlement = "settlement"
    #: A release of claims, e.g. in an amendment.
    release_of_claims = "release_of_claims"


class Rating(str, enum.Enum):
    """A party's or an expert's judgement of the service."""

    poor = "poor"
    adequate = "adequate"
    good = "good"


class Decision(str, enum.Enum):
    """How a court or an arbitrator decided a request."""

    granted = "granted"
    partly_granted = "partly_granted"
    denied = "denied"


class Subject(str, enum.Enum):
    """What a dispute is about: what the contract may or may not settle (S6.b, S10.b)."""

    reversibility_cost = "reversibility_cost"
    transition = "transition"
    scope = "scope"
    deliverable = "deliverable"
    data = "data"
    service_quality = "service_quality"
    staff = "staff"
    assets = "assets"
    termination = "termination"
    payment = "payment"
    phase = "phase"
    other = "other"


class AssetKind(str, enum.Enum):
    """Assets other than software (S1.d)."""

    hardware = "hardware"
    network = "network"
    datacentre = "datacentre"
    premises = "premises"
    licence = "licence"
    other = "other"


class BackupLocation(str, enum.Enum):
    """Where the copies of the data are kept, relative to the production service."""

    #: In the same building or site as production.
    same_site = "same_site"
    #: On another site of the same provider.
    separate_site = "separate_site"
    #: With another provider, or at the client's: independent of the provider.
    independent = "independent"
    #: The contract or the provider's documents do not say where (for ``backup_location_promised``).
    unspecified = "unspecified"
    unknown = "unknown"


class Outcome(str, enum.Enum):
    """How a test (restore, reversibility plan) ended."""

    passed = "passed"
    failed = "failed"
    unknown = "unknown"


#: A count, required or not: the validator below checks both kinds of field.
_Count = TypeVar("_Count", int, Optional[int])


def _non_negative(instance: object, attribute: "attrs.Attribute[_Count]", value: _Count) -> None:
    if value is not None and value < 0:
        raise ValueError(f"expected a number >= 0, got {value}")


def _not_blank(instance: object, attribute: "attrs.Attribute[str]", value: str) -> None:
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
    #: The numbers of the exhibits (pièces) this rests on, as in the case's register of exhibits.
    exhibits: tuple[str, ...] = attrs.field(default=(), metadata={"descriptive": True})


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
    #: The numbers of the exhibits (pièces) this rests on, as in the case's register of exhibits.
    exhibits: tuple[str, ...] = attrs.field(default=(), metadata={"descriptive": True})


@attrs.frozen
class DataAsset:
    """A body of data the receiver needs in order to run the function (S7)."""

    id: str = attrs.field(validator=_not_blank)
    name: str
    dbms: str = ""
    dbms_proprietary: Tri = Tri.unknown
    receiver_has_dbms: Tri = Tri.unknown
    backup_mode: BackupMode = BackupMode.unknown
    #: Where the backups are kept: on the production site, another site of the provider, or
    #: independently of the provider (another provider, the client).
    backup_location: BackupLocation = BackupLocation.unknown
    #: Whether the contract (or a paid option) makes the provider responsible for backing up
    #: and restoring this data.
    backup_contracted: Tri = Tri.unknown
    #: Where the contract or the provider's documents said the backups would be kept.
    backup_location_promised: BackupLocation = BackupLocation.unknown
    very_large: Tri = Tri.unknown
    core_business: Tri = Tri.unknown
    #: The numbers of the exhibits (pièces) this rests on, as in the case's register of exhibits.
    exhibits: tuple[str, ...] = attrs.field(default=(), metadata={"descriptive": True})


@attrs.frozen
class Asset:
    """Equipment, premises or a licence the function runs on (S1.d): who owns it, can it move?"""

    id: str = attrs.field(validator=_not_blank)
    name: str
    kind: AssetKind = AssetKind.other
    #: The owner at signature; later changes are ``ownership_transfer`` events.
    owner: Owner = Owner.unknown
    #: Whether it can be handed over (sold, assigned) to the receiver.
    transferable: Tri = Tri.unknown
    #: Whether the receiver needs it to run the function.
    needed_by_receiver: Tri = Tri.unknown
    #: The numbers of the exhibits (pièces) this rests on, as in the case's register of exhibits.
    exhibits: tuple[str, ...] = attrs.field(default=(), metadata={"descriptive": True})


@attrs.frozen
class ScopeItem:
    """Something that is, or is argued to be, part of what is outsourced."""

    id: str = attrs.field(validator=_not_blank)
    name: str
    #: Whether the contract's text settles that the item is in (or out of) scope.
    settled_by_contract: Tri = Tri.unknown
    #: The numbers of the exhibits (pièces) this rests on, as in the case's register of exhibits.
    exhibits: tuple[str, ...] = attrs.field(default=(), metadata={"descriptive": True})


@attrs.frozen
class Document:
    """A document the contract plans (procedures, operating manual, plan …) (S6.a, S6.c)."""

    id: str = attrs.field(validator=_not_blank)
    title: str
    #: Whether the contract plans it for its initial period.
    planned_initial: Tri = Tri.unknown
    #: Whether its content is written for the provider's own tools and methods (S4.c).
    provider_specific: Tri = Tri.unknown
    #: Whether its content matched reality when it was checked (an inventory, a location).
    accurate: Tri = Tri.unknown
    #: The numbers of the exhibits (pièces) this rests on, as in the case's register of exhibits.
    exhibits: tuple[str, ...] = attrs.field(default=(), metadata={"descriptive": True})


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
    #: The numbers of the exhibits (pièces) this rests on, as in the case's register of exhibits.
    exhibits: tuple[str, ...] = attrs.field(default=(), metadata={"descriptive": True})


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
    #: Whether the contract has a reversibility clause at all, whatever it says.
    clause: Tri = Tri.unknown
    plan: Tri = Tri.unknown
    plan_covers_both_modes: Tri = Tri.unknown
    #: Months of transition with the provider's help; 0 means none; absent means not known.
    transition_months: Optional[int] = attrs.field(default=None, validator=_non_negative)
    #: The same in days, where months are too coarse; it takes precedence over months.
    transition_days: Optional[int] = attrs.field(default=None, validator=_non_negative)
    #: Days of notice the provider must give before it ends or suspends the service.
    notice_days: Optional[int] = attrs.field(default=None, validator=_non_negative)
    #: Days after the end of the service during which the client can still retrieve its data.
    retrieval_days: Optional[int] = attrs.field(default=None, validator=_non_negative)
    #: Whether the contract binds the outgoing provider to assist the migration.
    assistance: Tri = Tri.unknown
    assistance_priced: Tri = Tri.unknown
    #: The migration effort as estimated (by the parties or the expert), in days.
    migration_estimated_days: Optional[int] = attrs.field(default=None, validator=_non_negative)
    #: The volume of data to migrate, in gigabytes (context for the effort).
    data_volume_gb: Optional[int] = attrs.field(default=None, validator=_non_negative, metadata={"descriptive": True})
    deliverable: DataDeliverable = DataDeliverable()
    #: The numbers of the exhibits (pièces) this rests on, as in the case's register of exhibits.
    exhibits: tuple[str, ...] = attrs.field(default=(), metadata={"descriptive": True})


@attrs.frozen
class Staff:
    """The people the client transferred to the provider, and what the contract says of them (S4.a)."""

    transferred: Tri = Tri.unknown
    transferred_count: Optional[int] = attrs.field(default=None, validator=_non_negative)
    return_clause: Tri = Tri.unknown
    knowledge_transfer_clause: Tri = Tri.unknown
    #: Whether the client kept people able to run or steer the function.
    client_kept_skills: Tri = Tri.unknown
    #: The numbers of the exhibits (pièces) this rests on, as in the case's register of exhibits.
    exhibits: tuple[str, ...] = attrs.field(default=(), metadata={"descriptive": True})


@attrs.frozen
class ServiceLevels:
    """Service-level commitments (S6.d)."""

    defined: Tri = Tri.unknown
    measured: Tri = Tri.unknown


class ServiceType(str, enum.Enum):
    """The delivery model of a cloud (data processing) service."""

    iaas = "iaas"
    paas = "paas"
    saas = "saas"
    #: Not a data processing service: dedicated hosting, on-site operation, staff.
    other = "other"
    unknown = "unknown"


class SwitchingCharges(str, enum.Enum):
    """What the provider charges the client for switching away (egress included)."""

    none = "none"
    #: No more than the provider's costs directly linked to the switch.
    direct_costs = "direct_costs"
    #: More than those costs (a flat exit fee, a margin, punitive egress).
    above_direct_costs = "above_direct_costs"
    unknown = "unknown"


class Substitutability(str, enum.Enum):
    """How readily the provider can be replaced (the four options of the register of information)."""

    easy = "easy"
    medium_complexity = "medium_complexity"
    highly_complex = "highly_complex"
    not_substitutable = "not_substitutable"
    unknown = "unknown"


class Reintegration(str, enum.Enum):
    """How the service could be brought back in-house (the register of information's options)."""

    easy = "easy"
    difficult = "difficult"
    highly_complex = "highly_complex"
    not_applicable = "not_applicable"
    unknown = "unknown"


@attrs.frozen
class Regulatory:
    """The facts today's texts test (rule packs): who the client is, what kind of service it
    buys, and the clauses those texts require. Everything defaults to unknown."""

    #: The rule packs of today's law this contract is judged by (folders of rules/packs).
    packs: tuple[str, ...] = ()
    #: Whether the client is a financial entity subject to DORA (Regulation (EU) 2022/2554).
    financial_entity: Tri = Tri.unknown
    #: Whether the service supports a critical or important function of the financial entity.
    critical_or_important_function: Tri = Tri.unknown
    #: Whether the service is a data processing (cloud) service in the Data Act's sense.
    data_processing_service: Tri = Tri.unknown
    service_type: ServiceType = ServiceType.unknown
    #: Whether the service was mostly custom-built for this client and is not offered at broad commercial scale.
    custom_built: Tri = Tri.unknown
    #: Whether the service is a non-production version supplied for testing or evaluation for a limited time.
    testing_version: Tri = Tri.unknown
    #: The notice, in days, the client must give to start switching to another provider or back in-house.
    switching_notice_days: Optional[int] = attrs.field(default=None, validator=_non_negative)
    #: Whether the contract lets the client extend the transitional period once, at its own choice.
    transition_extension_right: Tri = Tri.unknown
    #: Whether the contract lists, exhaustively, the data and digital assets the client can export.
    exportable_data_listed: Tri = Tri.unknown
    #: Whether the contract guarantees the erasure of the client's data once retrieval is over.
    erasure_guaranteed: Tri = Tri.unknown
    switching_charges: SwitchingCharges = SwitchingCharges.unknown
    #: Whether a documented exit plan exists for this contractual arrangement.
    exit_plan: Tri = Tri.unknown
    #: Whether that exit plan has been tested.
    exit_plan_tested: Tri = Tri.unknown
    #: Whether that exit plan is reviewed periodically.
    exit_plan_reviewed: Tri = Tri.unknown
    #: Whether the exit plan covers the provider's failure, degraded service and unexpected termination.
    exit_scenarios_covered: Tri = Tri.unknown
    #: Whether alternative providers have been identified.
    alternative_providers_identified: Tri = Tri.unknown
    #: How the service could be brought back in-house.
    reintegration: Reintegration = Reintegration.unknown
    substitutability: Substitutability = Substitutability.unknown
    #: Whether the provider processes personal data on the client's behalf (a GDPR processor).
    personal_data_processed: Tri = Tri.unknown
    #: Whether the contract makes the provider delete or return the personal data at the end, at the client's choice.
    personal_data_return_clause: Tri = Tri.unknown
    #: Whether the contract is a French public contract referring to the CCAG-TIC, in the edition in force
    #: when it was signed: the fr-public rules restate the edition of 30 March 2021 and are dated by
    #: signature from 1 April 2021, so a contract signed before (the 2009 edition) is not judged by them.
    ccag_tic: Tri = Tri.unknown
    #: Whether a reversibility plan is annexed to the contract's particular conditions (CCAP).
    plan_annexed: Tri = Tri.unknown
    #: Whether the destruction of residual copies (backups and archives included) is certified in writing.
    destruction_certified: Tri = Tri.unknown
    #: Whether the outsourced activity is an organised whole of staff and means with its own aim (C. trav. L1224-1).
    autonomous_entity: Tri = Tri.unknown
    #: Whether the provider's staff are billed by the day rather than by deliverable or result.
    billed_per_day: Tri = Tri.unknown
    #: Whether the provider's staff work with the client's tools and premises.
    client_tools_and_premises: Tri = Tri.unknown
    #: Whether the contract names a specific know-how of the provider beyond making people available.
    specific_know_how: Tri = Tri.unknown


@attrs.frozen
class Contract:
    """The outsourcing contract as signed, with its clauses."""

    id: str = attrs.field(validator=_not_blank)
    signed_on: datetime.date
    object: OutsourcedObject
    #: Further objects outsourced under the same contract (the main one is ``object``).
    other_objects: tuple[OutsourcedObject, ...] = ()
    #: Whether the contract covers all of the client's IT.
    all_of_it: Tri = Tri.unknown
    object_detail: str = ""
    application_mode: ApplicationMode = ApplicationMode.not_applicable
    term_months: Optional[int] = attrs.field(default=None, validator=_non_negative)
    client: str = ""
    provider: str = ""
    successor: Optional[str] = None
    #: Further successors, when the function is split between several (party ids).
    successors: tuple[str, ...] = ()
    #: Whether the contract sets a fee for terminating before the term.
    termination_fee: Tri = Tri.unknown
    reversibility: Reversibility = Reversibility()
    staff: Staff = Staff()
    service_levels: ServiceLevels = ServiceLevels()
    #: Whether an asset register states who owns each tool, licence and piece of equipment.
    asset_register: Tri = Tri.unknown
    #: Whether the contract binds the provider to warn in writing of risks it sees (duty to advise).
    duty_to_advise: Tri = Tri.unknown
    #: Whether the provider did warn the client in writing of the risks it saw before a failure;
    #: ``no`` only when the record says it did not (silence in the file is unknown).
    provider_warned: Tri = Tri.unknown
    objectives: tuple[Objective, ...] = ()
    margin_levers: tuple[MarginLever, ...] = ()
    tools: tuple[Tool, ...] = ()
    data: tuple[DataAsset, ...] = ()
    documents: tuple[Document, ...] = ()
    phases: tuple[Phase, ...] = ()
    assets: tuple[Asset, ...] = ()
    scope: tuple[ScopeItem, ...] = ()
    #: What today's texts test (rule packs): the client's status, the kind of service, required clauses.
    regulatory: Regulatory = Regulatory()
    #: The numbers of the exhibits (pièces) this rests on, as in the case's register of exhibits.
    exhibits: tuple[str, ...] = attrs.field(default=(), metadata={"descriptive": True})


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
    #: The party something goes to (the new owner of an asset, the employer of staff).
    to: Optional[str] = None
    rating: Optional[Rating] = None
    outcome: Optional[Outcome] = None
    #: What a dispute, a claim or a court decision is about.
    subject: Optional[Subject] = None
    #: How a court or an arbitrator decided (a court order, a judgment, an award).
    decision: Optional[Decision] = None
    #: How many (people moved, files lost …): context for the report, no rule weighs it.
    count: Optional[int] = attrs.field(default=None, validator=_non_negative, metadata={"descriptive": True})
    note: str = ""
    #: The numbers of the exhibits (pièces) this rests on, as in the case's register of exhibits.
    exhibits: tuple[str, ...] = attrs.field(default=(), metadata={"descriptive": True})


class Severity(str, enum.Enum):
    """How much a finding weighs in an expert's report; ordered from the most serious."""

    high = "high"
    medium = "medium"
    low = "low"
    info = "info"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


@attrs.frozen
class GoldenFinding:
    """One finding a worked case expects. In a case file: the finding id alone, or a one-key
    mapping ``{finding-id: severity}`` that pins its severity too."""

    id: str = attrs.field(validator=_not_blank)
    severity: Optional[Severity] = None


@attrs.frozen
class Expected:
    """The golden answer of a worked case: what an expert should conclude."""

    findings: tuple[GoldenFinding, ...] = ()
    absent: tuple[str, ...] = ()



class MissionSetting(str, enum.Enum):
    """The frame the expert works in: the duties, and so the report's framing, differ."""

    #: Appointed by a court (CPC art. 232 ff.).
    judicial = "judicial"
    #: Appointed jointly by the parties under a convention (CPC art. 131 ff., since 1 September 2025).
    conventional_technician = "conventional_technician"
    #: Advising one party outside any proceedings (S10.c).
    private_advice = "private_advice"


class DiligenceKind(str, enum.Enum):
    """A step of the expertise itself, as opposed to the contract's history."""

    meeting = "meeting"
    site_visit = "site_visit"
    note_to_parties = "note_to_parties"
    pre_report = "pre_report"
    other = "other"


def _sha256(instance: object, attribute: "attrs.Attribute[Optional[str]]", value: Optional[str]) -> None:
    if value is not None and not (len(value) == 64 and all(c in "0123456789abcdef" for c in value)):
        raise ValueError("expected a SHA-256 digest: 64 lowercase hexadecimal digits")


@attrs.frozen
class Exhibit:
    """A document produced in the proceedings (a "pièce"), as numbered on its party's schedule."""

    #: The number on the schedule of exhibits: "P-3", "D-2" or "3" (always written as a text).
    number: str = attrs.field(validator=_not_blank)
    title: str = attrs.field(validator=_not_blank, metadata={"descriptive": True})
    #: The id of the party that produced it.
    party: str = attrs.field(validator=_not_blank)
    #: The date the document bears.
    date: Optional[datetime.date] = attrs.field(default=None, metadata={"descriptive": True})
    #: Whether every party received it and could discuss it (the contradictory principle, CPC art. 16).
    communicated_to_all: Tri = Tri.unknown
    #: The SHA-256 digest of the file as received (64 lowercase hexadecimal digits).
    sha256: Optional[str] = attrs.field(default=None, validator=_sha256, metadata={"descriptive": True})


@attrs.frozen
class Version:
    """One party's version of a contested fact."""

    #: The id of the party that holds this version.
    party: str = attrs.field(validator=_not_blank)
    #: The value it holds, written as on the what-if command line (``yes``, ``no``, ``3``).
    value: str
    #: The exhibits the party relies on for it.
    exhibits: tuple[str, ...] = attrs.field(default=(), metadata={"descriptive": True})


@attrs.frozen
class Contested:
    """A fact the parties do not agree on: each version is tried in turn."""

    id: str = attrs.field(validator=_not_blank)
    #: Where the fact lives in the case file, such as ``contract.phases[onsite].asset_inventory``.
    path: str = attrs.field(validator=_not_blank)
    label: Text
    versions: tuple[Version, ...] = ()


@attrs.frozen
class MissionQuestion:
    """One of the judge's questions (a "chef de mission"), in the order of the mission."""

    id: str = attrs.field(validator=_not_blank)
    text: Text
    #: What answers it: conclusion kinds (``no_baseline_inventory``), seed sections (``S8``) or seed points (``S8.c``).
    covers: tuple[str, ...] = ()


@attrs.frozen
class Grievance:
    """One of the claimant's grievances, fixed at the start of the expertise."""

    id: str = attrs.field(validator=_not_blank)
    text: Text
    #: What answers it, as for a question: conclusion kinds, seed sections or seed points.
    covers: tuple[str, ...] = ()


@attrs.frozen
class Diligence:
    """A dated step of the expertise (a meeting, a visit, a note to the parties)."""

    date: datetime.date
    kind: DiligenceKind
    summary: Text
    #: The ids of the parties present or addressed.
    parties: tuple[str, ...] = ()


@attrs.frozen
class Mission:
    """What the expert was asked, by whom, and how the expertise went."""

    setting: MissionSetting = MissionSetting.judicial
    #: The court or the convention that appoints the expert, as written on the order.
    authority: str = attrs.field(default="", metadata={"descriptive": True})
    #: The docket number or the convention's reference.
    reference: str = attrs.field(default="", metadata={"descriptive": True})
    #: The expert's name.
    expert: str = attrs.field(default="", metadata={"descriptive": True})
    appointed_on: Optional[datetime.date] = None
    #: The date the report is due.
    deadline: Optional[datetime.date] = None
    questions: tuple[MissionQuestion, ...] = ()
    #: The claimant's grievances, listed at the start of the expertise.
    grievances: tuple[Grievance, ...] = ()
    diligences: tuple[Diligence, ...] = ()


@attrs.frozen
class Dire:
    """A party's written observations to the expert, and the expert's reply (CPC art. 276)."""

    id: str = attrs.field(validator=_not_blank)
    #: The id of the party that wrote it.
    party: str = attrs.field(validator=_not_blank)
    date: datetime.date
    summary: Text
    #: The findings (conclusion kinds) it discusses.
    findings: tuple[str, ...] = ()
    #: The earlier dires of the same party it sums up; one a later dire does not sum up is abandoned.
    recaps: tuple[str, ...] = ()
    exhibits: tuple[str, ...] = attrs.field(default=(), metadata={"descriptive": True})
    #: The expert's reply; absent while the reply is not written.
    reply: Optional[Text] = None


@attrs.frozen
class Case:
    """One case file: a contract, its parties and its dated history, as of a given date."""

    id: str = attrs.field(validator=_not_blank)
    title: Text
    as_of: datetime.date
    contract: Contract
    #: 1: the first case format; 2: adds staff movements, assets, scope, procedure and failure
    #: events. Every version-1 file is a valid version-2 file.
    schema_version: int = attrs.field(default=1, validator=attrs.validators.in_((1, 2)), metadata={"descriptive": True})
    parties: tuple[Party, ...] = ()
    history: tuple[Event, ...] = ()
    narrative: Optional[Text] = None
    expected: Optional[Expected] = None
    tags: tuple[str, ...] = ()
    #: The register of exhibits (pièces) produced by the parties.
    exhibits: tuple[Exhibit, ...] = ()
    #: The facts the parties do not agree on, with each party's version.
    contested: tuple[Contested, ...] = ()
    #: The expert's mission: setting, questions, grievances, diligences.
    mission: Optional[Mission] = None
    #: The parties' written observations and the expert's replies, in date order.
    dires: tuple[Dire, ...] = ()
