"""The workshop report's content, shared by the ``markdown`` and ``html`` exporters.

:func:`build` reads a canvas, runs the checks and the analyses, and returns a
:class:`~usager.exporters._reporting.blocks.Report`: sections of paragraphs, lists,
tables and an emotion curve, in the canvas language. Every string in it is
plain text, never markup: the renderers escape each one as they write it, so
no text of a canvas can become markup in a report.

:data:`SHOWING` declares, as data, where the report shows each element type: in a
section of its own, or not one by one and why. Any other element type (a new one) gets
a generic section: a table of its elements, titled by the type's name.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

from usager import analysis
from usager._check import check
from usager._fields import Kind, Spec, assert_never, specs
from usager._i18n import N_, tr, trn, word
from usager.canvas import TYPE_OF, Canvas, ElementType, element_label
from usager.elements import (
    Activity,
    Brake,
    Contribution,
    ContributionStatus,
    Experience,
    Facilitator,
    Language,
    Metric,
    MetricDirection,
    Partner,
    Persona,
    Resource,
    Stage,
    StageKind,
    Usager,
)
from usager.exporters._reporting.blocks import (
    Block,
    Curve,
    Drawing,
    Heading,
    Inline,
    Items,
    Outline,
    Paragraph,
    Quote,
    Report,
    Section,
    Strong,
    Table,
    clean,
    number,
    signed,
)
from usager.exporters._showing import Showing
from usager.rules import all_rules

__all__ = ["SHOWING", "Showing", "build", "choice_word"]


#: Where the report shows each element type; any other has a generic section (``_others``).
SHOWING = Showing(
    own={
        Persona: "personas",
        Usager: "personas",
        Stage: "stages",
        Experience: "stages",
        Brake: "transitions",
        Facilitator: "answers",
        Activity: "backstage",
        Resource: "backstage",
        Partner: "backstage",
        Metric: "metrics",
        Contribution: "contributions",
    },
    not_shown={},
)

#: The values of the canvas's choices that the shared words (``usager._i18n.WORDS``) do not name.
_CHOICES = {
    "thought": N_("thought"),
    "feeling": N_("feeling"),
    "prejudice": N_("prejudice"),
    "discontinuity": N_("discontinuity"),
    "missing_feature": N_("missing feature"),
    "digital_skills": N_("digital skills"),
    "privacy": N_("privacy"),
    "trust": N_("trust"),
    "low": N_("low"),
    "medium": N_("medium"),
    "high": N_("high"),
    "user": N_("user"),
    "customer": N_("customer"),
    "member": N_("member"),
    "increase": N_("higher is better"),
    "decrease": N_("lower is better"),
}
#: Each language by its own name.
_LANGUAGES = {Language.EN: "English", Language.FR: "français"}


def choice_word(language: Language, value: Enum) -> str:
    """How a report shows a choice of the canvas (a status, a kind, a stage's kind) in ``language``."""
    if isinstance(value, StageKind):
        return value.label(language)
    if isinstance(value, Language):
        return f"{_LANGUAGES[value]} ({value.value})"
    raw = str(value.value)
    return tr(language, _CHOICES[raw]) if raw in _CHOICES else word(language, raw)


class _Builder:
    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.lang = canvas.language
        self.index = canvas._ids()
        #: The brakes some ``in_place`` facilitator addresses: answered in place.
        self.answered = analysis._answered(canvas)
        #: The elements of each class, each id once (the first element of an id; a duplicate is a finding).
        self.kinds: dict[type[Any], list[Any]] = defaultdict(list)
        for element in canvas.elements():
            if self.index.get(element.id) is element:
                self.kinds[type(element)].append(element)
        #: The facilitators addressing each brake, and easing each stage.
        self.addressing: dict[str, list[Facilitator]] = defaultdict(list)
        self.easing: dict[str, list[Facilitator]] = defaultdict(list)
        for facilitator in self.of(Facilitator):
            for brake in facilitator.addresses:
                self.addressing[brake].append(facilitator)
            for stage in facilitator.stages:
                self.easing[stage].append(facilitator)

    @functools.cached_property
    def partner_dependency(self) -> list[analysis.Dependency]:
        """The analysis, run once for the sections that show it."""
        return analysis.partner_dependency(self.canvas)

    @functools.cached_property
    def persona_exposure(self) -> list[analysis.Exposure]:
        return analysis.persona_exposure(self.canvas)

    @functools.cached_property
    def priorities(self) -> list[analysis.Priority]:
        return analysis.priorities(self.canvas)

    def tr(self, message: str, **fields: object) -> str:
        return tr(self.lang, message, **fields)

    def word(self, value: str) -> str:
        return word(self.lang, value)

    def label(self, element_id: str | None) -> str:
        element = self.index.get(element_id) if element_id is not None else None
        return clean(element_label(element, self.lang)) if element is not None else clean(element_id or "–")

    def labels(self, ids: Iterable[str]) -> str:
        return "; ".join(self.label(i) for i in ids) or "–"

    def of(self, cls: type[Any]) -> list[Any]:
        return [e for kind, elements in self.kinds.items() if issubclass(kind, cls) for e in elements]

    def choice(self, value: Enum | None) -> str:
        return "–" if value is None else choice_word(self.lang, value)

    def texts(self, values: Iterable[str]) -> str:
        return "; ".join(clean(v) for v in values if v.strip()) or "–"


def _glance(b: _Builder, transitions: list[analysis.Transition]) -> Section:
    items: list[tuple[Inline, ...]] = []
    found = analysis.bottleneck(b.canvas)
    if found is not None:
        stage, following = b.label(found.stage), b.label(found.next)
        items.append(
            (
                Strong(b.tr("Bottleneck:")),
                " "
                + b.tr(
                    "{stage} → {next}, where brakes of severity {severity} have no answer in place ({brakes}).",
                    stage=stage,
                    next=following,
                    severity=found.unaddressed,
                    brakes=b.labels(x for x in found.brakes if x not in b.answered),
                ),
            )
        )
    else:
        # the most severity, ties to the worst feeling, then to the earliest stage
        heaviest = min(transitions, key=lambda t: (-t.severity, 3 if t.score is None else t.score), default=None)
        text = b.tr("Every brake has an answer in place.")
        if heaviest is not None and heaviest.severity:
            text += " " + b.tr(
                "The heaviest transition is {stage} → {next} (severity {severity}).",
                stage=b.label(heaviest.stage),
                next=b.label(heaviest.next),
                severity=heaviest.severity,
            )
        items.append((Strong(b.tr("Bottleneck:")), " " + text))
    exposures = b.persona_exposure
    if exposures:
        most = max(exposures, key=lambda e: (e.unaddressed_severity, e.severity))
        if most.unaddressed_severity:
            said = b.tr(
                "{persona} (brakes of severity {severity} in all, {open} without an answer in place).",
                persona=b.label(most.persona),
                severity=most.severity,
                open=most.unaddressed_severity,
            )
        else:
            said = b.tr(
                "{persona} (brakes of severity {severity} in all, each with an answer in place).",
                persona=b.label(most.persona),
                severity=most.severity,
            )
        items.append((Strong(b.tr("Most exposed persona:")), " " + said))
    ranked = b.priorities
    if ranked:
        items.append((Strong(b.tr("Build first:")), " " + b.label(ranked[0].id)))
    at_risk = [d for d in b.partner_dependency if d.stages_at_risk]
    for dependency in at_risk:
        items.append(
            (
                Strong(b.tr("Depends on a partner:")),
                " "
                + b.tr(
                    "without {partner}, {stages} would lose all support.",
                    partner=b.label(dependency.partner),
                    stages=b.labels(dependency.stages_at_risk),
                ),
            )
        )
    return Section("glance", b.tr("At a glance"), [Items(items)])


def _findings(b: _Builder) -> Section:
    findings = check(b.canvas)
    if not findings:
        return Section("findings", b.tr("Findings"), [Paragraph([b.tr("No finding: the canvas is complete.")])])
    rows = [(f.code, b.word(f.severity.value), clean(f.message)) for f in findings]
    table = Table(
        [b.tr("Rule"), b.tr("Severity"), b.tr("Message")], rows, flagged=[f.severity.value == "error" for f in findings]
    )
    rules = {r.code: r for r in all_rules()}
    codes = sorted({f.code for f in findings if f.code in rules})
    summaries = Items([(Strong(code), " – " + rules[code].summary_in(b.lang)) for code in codes])
    return Section("findings", b.tr("Findings"), [table, summaries])


def _answers(b: _Builder, brake: Brake) -> str:
    answers = b.addressing.get(brake.id, [])
    return "; ".join(f"{b.label(f.id)} ({b.word(f.status.value)})" for f in answers) or b.tr("nothing yet")


def _transitions(b: _Builder, transitions: list[analysis.Transition]) -> Section:
    blocks: list[Block] = []
    all_brakes: list[Brake] = b.of(Brake)
    for t in transitions:
        head = f"{b.label(t.stage)} → {b.label(t.next)}"
        facts = b.tr(
            "severity {severity}, without an answer in place {open}, mean feeling {score}",
            severity=t.severity,
            open=t.unaddressed,
            score=signed(t.score, b.lang),
        )
        blocks.append(Paragraph([Strong(head), f" ({facts})"]))
        met = set(t.brakes)
        brakes = sorted((x for x in all_brakes if x.id in met), key=lambda x: -x.severity)
        if brakes:
            rows = [(b.label(x.id), str(x.severity), _answers(b, x)) for x in brakes]
            table = Table(
                [b.tr("Brake"), b.tr("Severity"), b.tr("Answered by")],
                rows,
                numeric=(1,),
                flagged=[x.id not in b.answered for x in brakes],
            )
            blocks.append(table)
        eased = b.easing.get(t.stage, [])
        if eased:
            eases = "; ".join(f"{b.label(f.id)} ({b.word(f.status.value)})" for f in eased)
            blocks.append(Paragraph([b.tr("Eased by:") + " " + eases]))
    return Section("transitions", b.tr("Transitions"), blocks)


def _series(b: _Builder) -> list[tuple[str, str | None, tuple[float | None, ...]]]:
    """Each persona's mean score at each stage (and everyone's, for experiences of no persona).

    A persona's line is its own experiences only: personas are never averaged together.
    """
    stages = b.of(Stage)
    scores: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for e in b.of(Experience):
        scores[e.stage, e.persona].append(e.score)
    groups: list[tuple[str, str | None]] = [(b.label(p.id), p.id) for p in b.of(Persona)]
    if any(persona is None for _, persona in scores):
        groups.append((b.tr("Everyone"), None))
    series = []
    for name, persona in groups:
        points = tuple(
            sum(found) / len(found) if (found := scores.get((stage.id, persona))) else None for stage in stages
        )
        if any(p is not None for p in points):
            series.append((name, persona, points))
    return series


def _curve(b: _Builder, series: list[tuple[str, str | None, tuple[float | None, ...]]]) -> Section:
    if not series:
        return Section("curve", b.tr("Emotion curve"), [Paragraph([b.tr("No experience has been recorded yet.")])])
    labels = [b.label(s.id) for s in b.of(Stage)]
    caption = b.tr("How each persona feels at each stage, from −2 (very bad) to +2 (very good).")
    rows = [(name, *(signed(p, b.lang) for p in points)) for name, _, points in series]
    table = Table([b.tr("Persona"), *labels], rows, numeric=tuple(range(1, len(labels) + 1)))
    lines = [(name, points) for name, _, points in series]
    return Section("curve", b.tr("Emotion curve"), [Curve(labels, lines, caption), table])


def _metric_state(metric: Metric, b: _Builder) -> str:
    if metric.current is None or metric.target is None:
        return "–"
    up = metric.direction is MetricDirection.INCREASE
    reached = metric.current >= metric.target if up else metric.current <= metric.target
    return b.tr("reached") if reached else b.tr("to go: {gap}", gap=number(abs(metric.target - metric.current), b.lang))


def _metrics(b: _Builder) -> Section:
    metrics: list[Metric] = b.of(Metric)
    if not metrics:
        return Section("metrics", b.tr("Metrics"), [Paragraph([b.tr("No metric yet.")])])
    rows = [
        (
            b.label(m.id),
            b.label(m.stage),
            number(m.current, b.lang),
            number(m.target, b.lang),
            clean(m.unit),
            ("↑ " if m.direction is MetricDirection.INCREASE else "↓ ") + b.choice(m.direction),
            _metric_state(m, b),
            clean(m.source),
        )
        for m in metrics
    ]
    headers = [
        b.tr("Metric"),
        b.tr("Stage"),
        b.tr("Current"),
        b.tr("Target"),
        b.tr("Unit"),
        b.tr("Better"),
        b.tr("State"),
        b.tr("Source"),
    ]
    return Section("metrics", b.tr("Metrics"), [Table(headers, rows, numeric=(2, 3))])


def _exposure(b: _Builder) -> Section:
    exposures = b.persona_exposure
    if not exposures:
        return Section("exposure", b.tr("Personas' exposure"), [Paragraph([b.tr("No persona yet.")])])
    rows = [
        (b.label(e.persona), b.labels(e.brakes), str(e.severity), b.labels(e.unaddressed), str(e.unaddressed_severity))
        for e in exposures
    ]
    headers = [
        b.tr("Persona"),
        b.tr("Brakes met"),
        b.tr("Severity"),
        b.tr("Without an answer in place"),
        b.tr("Severity"),
    ]
    flagged = [bool(e.unaddressed) for e in exposures]
    return Section("exposure", b.tr("Personas' exposure"), [Table(headers, rows, numeric=(2, 4), flagged=flagged)])


def _backstage(b: _Builder) -> Section:
    blocks: list[Block] = []
    activities: list[Activity] = b.of(Activity)
    if activities:
        described = any(a.description.strip() for a in activities)
        rows = [
            (
                b.label(a.id),
                b.word(a.phase.value),
                b.labels(a.supports),
                b.labels(a.uses),
                b.label(a.partner) if a.partner else "–",
                *([clean(a.description)] if described else []),
            )
            for a in activities
        ]
        headers = [b.tr("Key activity"), b.tr("Phase"), b.tr("Supports"), b.tr("Uses"), b.tr("Partner")]
        if described:
            headers.append(b.tr("Description"))
        blocks.append(Table(headers, rows))
    resources: list[Resource] = b.of(Resource)
    if resources:
        described = any(r.description.strip() for r in resources)
        kinds = [
            (
                b.label(r.id),
                b.word(r.kind.value),
                b.label(r.partner) if r.partner else "–",
                *([clean(r.description)] if described else []),
            )
            for r in resources
        ]
        headers = [b.tr("Key resource"), b.tr("Kind"), b.tr("Partner")] + ([b.tr("Description")] if described else [])
        blocks.append(Table(headers, kinds))
    partners: list[Partner] = b.of(Partner)
    if partners:
        about = [(b.label(x.id), clean(x.description)) for x in partners]
        blocks.append(Table([b.tr("Key partner"), b.tr("Description")], about))
    dependencies = b.partner_dependency
    if dependencies:
        needs = [
            (
                b.label(d.partner),
                b.labels(d.activities),
                b.labels(d.resources),
                b.labels(d.stages_at_risk),
                b.labels(d.weakened),
            )
            for d in dependencies
        ]
        headers = [
            b.tr("Key partner"),
            b.tr("Performs"),
            b.tr("Provides"),
            b.tr("Stages at risk without it"),
            b.tr("Weakened"),
        ]
        blocks.append(Table(headers, needs, flagged=[bool(d.stages_at_risk) for d in dependencies]))
    if not blocks:
        blocks.append(Paragraph([b.tr("No key activity, resource or partner yet.")]))
    return Section("backstage", b.tr("Backstage"), blocks)


def _marks(b: _Builder, element: Facilitator | Contribution) -> str:
    """An answer's four marks (1 to 5, ``–`` when missing), as the priorities name them."""
    marks = (
        (b.tr("Wanted"), element.desirability),
        (b.tr("Feasible"), element.feasibility),
        (b.tr("Viable"), element.viability),
        (b.tr("Effort"), element.effort),
    )
    return ", ".join(f"{name} {'–' if mark is None else mark}" for name, mark in marks)


def _fact(name: str, value: str) -> tuple[Inline, ...]:
    return (Strong(name), " " + value)


def _contributions(b: _Builder) -> Section:
    contributions: list[Contribution] = b.of(Contribution)
    if not contributions:
        return Section("contributions", b.tr("Contributions"), [Paragraph([b.tr("No contribution yet.")])])
    blocks: list[Block] = []
    for status in ContributionStatus:
        chosen = [c for c in contributions if c.status is status]
        if not chosen:
            continue
        blocks.append(Heading(f"{b.word(status.value)} ({len(chosen)})"))
        for c in chosen:
            head: list[Inline] = [Strong(b.label(c.id))]
            if c.author:
                head.append(" — " + b.tr("proposed by {author}", author=b.label(c.author)))
            blocks.append(Paragraph(head))
            if c.description.strip():
                blocks.append(Paragraph([clean(c.description)]))
            facts: list[tuple[Inline, ...]] = []
            if c.supporters:
                facts.append(_fact(b.tr("Supported by:"), b.labels(c.supporters)))
            if c.stages:
                facts.append(_fact(b.tr("Stages:"), b.labels(c.stages)))
            if c.brakes:
                facts.append(_fact(b.tr("Brakes:"), b.labels(c.brakes)))
            if c.answer.strip():
                facts.append(_fact(_capital(b.tr("answer:")), clean(c.answer)))
            if c.realized_by:
                facts.append(_fact(b.tr("Realized by:"), b.label(c.realized_by)))
            if c.duplicate_of:
                facts.append(_fact(b.tr("Duplicate of:"), b.label(c.duplicate_of)))
            if any(m is not None for m in (c.desirability, c.feasibility, c.viability, c.effort)):
                facts.append(_fact(b.tr("Marks:"), _marks(b, c)))
            if c.evidence:
                facts.append(_fact(b.tr("Evidence:"), b.texts(c.evidence)))
            if facts:
                blocks.append(Items(facts))
    return Section("contributions", b.tr("Contributions"), blocks)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _shown(b: _Builder, spec: Spec, value: Any) -> str:
    """Any field's value as text, from its description (for an element type no section knows)."""
    kind = spec.kind
    if value is None:
        return "–"
    if kind in (Kind.ID, Kind.TEXT, Kind.LABEL):
        return clean(str(value))
    if kind is Kind.REF:
        return b.label(value)
    if kind is Kind.REFS:
        return b.labels(value)
    if kind is Kind.TEXTS:
        return b.texts(value)
    if kind is Kind.CODES:
        return ", ".join(value) or "–"
    if kind is Kind.CHOICE:
        return b.choice(value)
    if kind is Kind.INTEGER:
        return str(value)
    if kind is Kind.NUMBER:
        return number(value, b.lang)
    if kind is Kind.BOOLEAN:
        return b.tr("yes") if value else b.tr("no")
    if kind is Kind.ELEMENTS:
        return str(len(value))
    assert_never(kind)


def _others(b: _Builder, types: Sequence[ElementType[Any]]) -> list[Section]:
    """A section for each of ``types`` the canvas holds elements of: a table of their fields.

    The columns are the label, the id and the stage, then every other field that some element fills.
    """
    sections = []
    for element_type in types:
        elements = b.canvas.of_kind(element_type.cls)
        if not elements:
            continue
        fields = specs(element_type.cls)
        staged = any(f.name == "stage" and spec.kind is Kind.REF for f, spec in fields)
        shown = {"id", "stage", element_type.label}
        extra = [
            (f, spec)
            for f, spec in fields
            if f.name not in shown and any(getattr(e, f.name) != f.default for e in elements)
        ]
        headers = [
            _capital(b.tr(element_type.name)),
            b.tr("Id"),
            *([b.tr("Stage")] if staged else []),
            *(_capital(f.name.replace("_", " ")) for f, _ in extra),
        ]
        rows = [
            (
                clean(element_label(e, b.lang)),
                clean(e.id),
                *([b.label(e.stage)] if staged else []),
                *(_shown(b, spec, getattr(e, f.name)) for f, spec in extra),
            )
            for e in elements
        ]
        title = _capital(b.tr(element_type.list))
        sections.append(Section(f"list-{element_type.list}", title, [Table(headers, rows)]))
    return sections


def _usager(b: _Builder, u: Usager, *, persona: bool) -> tuple[Inline, ...]:
    facts = [b.choice(u.relationship)]
    if persona and u.persona:
        facts.append(b.tr("embodies {persona}", persona=b.label(u.persona)))
    if u.stage:
        facts.append(b.tr("now at {stage}", stage=b.label(u.stage)))
    if u.lead_user:
        facts.append(b.tr("lead user"))
    item: list[Inline] = [Strong(b.label(u.id)), " (" + ", ".join(facts) + ")"]
    if any(n.strip() for n in u.needs):
        item.append(" — " + b.tr("needs:") + " " + b.texts(u.needs))
    return tuple(item)


def _personas(b: _Builder, series: list[tuple[str, str | None, tuple[float | None, ...]]]) -> Section:
    personas: list[Persona] = b.of(Persona)
    usagers: list[Usager] = b.of(Usager)
    embodying: dict[str | None, list[Usager]] = defaultdict(list)
    for u in usagers:
        embodying[u.persona if u.persona in b.index else None].append(u)
    curves = {persona: points for _, persona, points in series}
    stages = [b.label(s.id) for s in b.of(Stage)]
    blocks: list[Block] = []
    for persona in personas:
        blocks.append(Heading(b.label(persona.id)))
        if persona.description.strip():
            blocks.append(Paragraph([clean(persona.description)]))
        if persona.digital_comfort is not None:
            blocks.append(
                Paragraph([Strong(b.tr("Ease with digital tools:")), " " + b.choice(persona.digital_comfort)])
            )
        for title, texts in ((b.tr("Goals"), persona.goals), (b.tr("Frustrations"), persona.frustrations)):
            if any(t.strip() for t in texts):
                blocks += [Paragraph([Strong(title)]), Items([(clean(t),) for t in texts if t.strip()])]
        points = curves.get(persona.id)
        if points is not None:
            caption = b.tr("How {persona} feels at each stage, from −2 to +2.", persona=b.label(persona.id))
            blocks.append(Curve(stages, [(b.label(persona.id), points)], caption, compact=True))
        if embodying.get(persona.id):
            blocks.append(Paragraph([Strong(b.tr("Usagers who embody this persona"))]))
            blocks.append(Items([_usager(b, u, persona=False) for u in embodying[persona.id]]))
    if not personas:
        blocks.append(Paragraph([b.tr("No persona yet.")]))
    if embodying.get(None):
        blocks.append(Heading(b.tr("Usagers without a persona")))
        blocks.append(Items([_usager(b, u, persona=True) for u in embodying[None]]))
    return Section("personas", b.tr("Personas and usagers"), blocks)


def _brake(b: _Builder, brake: Brake) -> tuple[Inline, ...]:
    facts = b.tr("{kind}, severity {severity}", kind=b.choice(brake.kind), severity=brake.severity)
    item: list[Inline] = [Strong(b.label(brake.id)), f" ({facts})"]
    if brake.description.strip():
        item.append(" — " + clean(brake.description))
    if brake.personas:
        item.append(" — " + b.tr("met by:") + " " + b.labels(brake.personas))
    if any(e.strip() for e in brake.evidence):
        item.append(" — " + b.tr("evidence:") + " " + b.texts(brake.evidence))
    item.append(" — " + b.tr("answered by:") + " " + _answers(b, brake))
    return tuple(item)


def _stages(b: _Builder) -> Section:
    stages: list[Stage] = b.of(Stage)
    felt: dict[str, list[Experience]] = defaultdict(list)
    for e in b.of(Experience):
        felt[e.stage].append(e)
    held: dict[str, list[Brake]] = defaultdict(list)
    for x in b.of(Brake):
        held[x.stage].append(x)
    blocks: list[Block] = []
    for n, stage in enumerate(stages, 1):
        blocks.append(Heading(f"{n}. {b.label(stage.id)}"))
        kind = b.choice(stage.kind)
        if kind != b.label(stage.id):
            blocks.append(Paragraph([Strong(b.tr("Kind of stage:")), " " + kind]))
        question = stage.kind.question(b.lang)
        blocks.append(Paragraph([Strong(b.tr("Question:")), " " + question]))
        if stage.description.strip() and stage.description.strip() != question:
            blocks.append(Paragraph([clean(stage.description)]))
        if any(t.strip() for t in stage.touchpoints):
            blocks.append(Paragraph([Strong(b.tr("Touchpoints:")), " " + b.texts(stage.touchpoints)]))
        for e in felt.get(stage.id, []):
            head: list[Inline] = [Strong(clean(element_label(e, b.lang)))]
            who = b.label(e.persona) if e.persona else b.tr("Everyone")
            head.append(" — " + who)
            if any(x.strip() for x in e.evidence):
                head.append(" — " + b.tr("evidence:") + " " + b.texts(e.evidence))
            blocks.append(Paragraph(head))
            if e.quote.strip():
                blocks.append(Quote(clean(e.quote), who))
        if held.get(stage.id):
            blocks.append(Paragraph([Strong(b.tr("Brakes before the next stage"))]))
            blocks.append(Items([_brake(b, x) for x in held[stage.id]]))
    if not stages:
        blocks.append(Paragraph([b.tr("No stage yet.")]))
    return Section("stages", b.tr("Stages"), blocks)


def _facilitators(b: _Builder) -> Section:
    facilitators: list[Facilitator] = b.of(Facilitator)
    if not facilitators:
        return Section("answers", b.tr("Facilitators"), [Paragraph([b.tr("No facilitator yet.")])])
    items: list[tuple[Inline, ...]] = []
    for f in facilitators:
        item: list[Inline] = [Strong(b.label(f.id)), f" ({b.choice(f.status)})"]
        if f.description.strip():
            item.append(" — " + clean(f.description))
        if f.addresses:
            item.append(" — " + b.tr("answers:") + " " + b.labels(f.addresses))
        if f.stages:
            item.append(" — " + b.tr("eases:") + " " + b.labels(f.stages))
        item.append(" — " + _marks(b, f))
        if any(e.strip() for e in f.evidence):
            item.append(" — " + b.tr("evidence:") + " " + b.texts(f.evidence))
        items.append(tuple(item))
    return Section("answers", b.tr("Facilitators"), [Items(items)])


def _outline(b: _Builder) -> Outline:
    """The drawing in words: the stages in order, the brakes before each next stage, what answers them."""
    held: dict[str, list[Brake]] = defaultdict(list)
    for x in b.of(Brake):
        held[x.stage].append(x)
    entries = []
    for stage in b.of(Stage):
        items: list[tuple[Inline, ...]] = []
        for x in held.get(stage.id, []):
            said = b.tr("brake, severity {severity}", severity=x.severity)
            items.append((Strong(b.label(x.id)), f" ({said}) — " + b.tr("answered by:") + " " + _answers(b, x)))
        eased = b.easing.get(stage.id, [])
        if eased:
            eases = "; ".join(f"{b.label(f.id)} ({b.word(f.status.value)})" for f in eased)
            items.append((b.tr("Eased by:") + " " + eases,))
        if not items:
            items.append((b.tr("No brake."),))
        entries.append(((b.label(stage.id),), tuple(items)))
    return Outline(entries)


def _index(b: _Builder, others: Sequence[ElementType[Any]]) -> Section:
    """Every element known by its id, with its tags and the rules it silences; and the canvas's own facts.

    The elements of ``others`` are left out: their own generic section shows all of that.
    """
    rows = []
    for element_type in (t for t in TYPE_OF.values() if t.cls in b.kinds and t not in others):
        for e in b.kinds[element_type.cls]:
            tags = "; ".join(clean(t) for t in getattr(e, "tags", ())) or "–"
            silenced = ", ".join(getattr(e, "suppress", ())) or "–"
            rows.append((clean(e.id), b.tr(element_type.name), clean(element_label(e, b.lang)), tags, silenced))
    about = b.tr("Language: {language}.", language=b.choice(b.canvas.language))
    if b.canvas.schema is not None:
        about += " " + b.tr("Document format: {schema}.", schema=clean(b.canvas.schema))
    blocks: list[Block] = [Paragraph([about])]
    if rows:
        headers = [b.tr("Id"), b.tr("Type"), b.tr("Name"), b.tr("Tags"), b.tr("Silenced rules")]
        blocks.append(Table(headers, rows))
    return Section("index", b.tr("Index of elements"), blocks)


def _priorities(b: _Builder) -> Section:
    ranked = b.priorities
    note = Paragraph(
        [b.tr("Score: desirability × feasibility × viability ÷ effort (each 1 to 5; a missing mark counts as 3).")]
    )
    if not ranked:
        return Section("priorities", b.tr("Priorities"), [Paragraph([b.tr("No assessed answer waits to be built.")])])
    rows = [
        (
            str(i),
            b.label(p.id),
            f"{b.tr(p.kind)}, {b.word(p.status)}",
            *(
                str(getattr(p, m)) + ("*" if m in p.missing else "")
                for m in ("desirability", "feasibility", "viability", "effort")
            ),
            number(p.score, b.lang),
            b.labels(p.brakes),
        )
        for i, p in enumerate(ranked, 1)
    ]
    headers = [
        "#",
        b.tr("Answer"),
        b.tr("What"),
        b.tr("Wanted"),
        b.tr("Feasible"),
        b.tr("Viable"),
        b.tr("Effort"),
        b.tr("Score"),
        b.tr("Brakes answered"),
    ]
    return Section("priorities", b.tr("Priorities"), [note, Table(headers, rows, numeric=(0, 3, 4, 5, 6, 7))])


def build(
    canvas: Canvas, *, drawing_note: str | None = None, showing: Showing = SHOWING, layout: str = "cycle"
) -> Report:
    """The report on ``canvas``; ``drawing_note`` says why the drawing is missing, when it is.

    ``layout`` names the drawing's layout (``cycle`` or ``lanes``), for its text alternative.

    ``showing`` says which element types have no section of their own: each of them gets a
    generic one, after the contributions.
    """
    b = _Builder(canvas)
    transitions = analysis.transitions(canvas)
    lang = b.lang
    summary = ", ".join(
        [
            trn(lang, "{n} stage", "{n} stages", len(canvas.stages)),
            trn(lang, "{n} brake", "{n} brakes", len(canvas.brakes)),
            trn(lang, "{n} facilitator", "{n} facilitators", len(canvas.facilitators)),
            trn(lang, "{n} persona", "{n} personas", len(canvas.personas)),
            trn(lang, "{n} contribution", "{n} contributions", len(canvas.contributions)),
        ]
    )
    alt = (
        b.tr("The canvas drawn as lanes of stages")
        if layout == "lanes"
        else b.tr("The canvas drawn as a cycle of stages")
    )
    drawing = Drawing(alt=alt, note=drawing_note or "", outline=_outline(b), outline_title=b.tr("The drawing in words"))
    series = _series(b)
    sections = [
        _glance(b, transitions),
        Section("drawing", b.tr("The canvas"), [drawing]),
        _findings(b),
        _personas(b, series),
        _stages(b),
        _transitions(b, transitions),
        _facilitators(b),
        _curve(b, series),
        _metrics(b),
        _exposure(b),
        _backstage(b),
        _contributions(b),
        *_others(b, showing.others()),
        _priorities(b),
        _index(b, showing.others()),
    ]
    return Report(clean(canvas.name), canvas.language, summary, clean(canvas.description), sections)
