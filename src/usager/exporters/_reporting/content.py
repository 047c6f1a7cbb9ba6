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

from collections.abc import Iterable, Sequence
from typing import Any

from usager import analysis
from usager._check import check
from usager._fields import Kind, specs
from usager._i18n import tr, trn, word
from usager.canvas import Canvas, ElementType, element_label
from usager.elements import (
    Activity,
    Brake,
    Contribution,
    ContributionStatus,
    Experience,
    Facilitator,
    Metric,
    MetricDirection,
    Partner,
    Persona,
    Resource,
    Stage,
    Usager,
)
from usager.exporters._reporting.blocks import (
    Block,
    Curve,
    Drawing,
    Inline,
    Items,
    Paragraph,
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

__all__ = ["SHOWING", "Showing", "build"]


#: Where the report shows each element type; any other has a generic section (``_others``).
SHOWING = Showing(
    own={
        Persona: "exposure",
        Stage: "transitions",
        Brake: "transitions",
        Facilitator: "transitions",
        Activity: "backstage",
        Resource: "backstage",
        Partner: "backstage",
        Metric: "metrics",
        Contribution: "contributions",
    },
    not_shown={
        Usager: "usagers are real people: the report names one only as the author of a contribution",
        Experience: "not listed one by one: the emotion curve shows their mean score at each stage, for each persona",
    },
)


class _Builder:
    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.lang = canvas.language
        self.index = canvas._ids()
        #: The brakes some ``in_place`` facilitator addresses: answered in place.
        self.answered = analysis._answered(canvas)

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
        return [e for e in self.canvas.elements() if isinstance(e, cls) and self.index[e.id] is e]


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
    exposures = analysis.persona_exposure(b.canvas)
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
    ranked = analysis.priorities(b.canvas)
    if ranked:
        items.append((Strong(b.tr("Build first:")), " " + b.label(ranked[0].id)))
    at_risk = [d for d in analysis.partner_dependency(b.canvas) if d.stages_at_risk]
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
    answers = [f for f in b.of(Facilitator) if brake.id in f.addresses]
    return "; ".join(f"{b.label(f.id)} ({b.word(f.status.value)})" for f in answers) or b.tr("nothing yet")


def _transitions(b: _Builder, transitions: list[analysis.Transition]) -> Section:
    blocks: list[Block] = []
    for t in transitions:
        head = f"{b.label(t.stage)} → {b.label(t.next)}"
        facts = b.tr(
            "severity {severity}, without an answer in place {open}, mean feeling {score}",
            severity=t.severity,
            open=t.unaddressed,
            score=signed(t.score, b.lang),
        )
        blocks.append(Paragraph([Strong(head), f" ({facts})"]))
        brakes = sorted((x for x in b.of(Brake) if x.id in t.brakes), key=lambda x: -x.severity)
        if brakes:
            rows = [(b.label(x.id), str(x.severity), _answers(b, x)) for x in brakes]
            table = Table(
                [b.tr("Brake"), b.tr("Severity"), b.tr("Answered by")],
                rows,
                numeric=(1,),
                flagged=[x.id not in b.answered for x in brakes],
            )
            blocks.append(table)
        eased = [f for f in b.of(Facilitator) if t.stage in f.stages]
        if eased:
            eases = "; ".join(f"{b.label(f.id)} ({b.word(f.status.value)})" for f in eased)
            blocks.append(Paragraph([b.tr("Eased by:") + " " + eases]))
    return Section("transitions", b.tr("Transitions"), blocks)


def _curve(b: _Builder) -> Section:
    stages = b.of(Stage)
    experiences: list[Experience] = b.of(Experience)
    series: list[tuple[str, tuple[float | None, ...]]] = []
    groups: list[tuple[str, str | None]] = [(b.label(p.id), p.id) for p in b.of(Persona)]
    if any(e.persona is None for e in experiences):
        groups.append((b.tr("Everyone"), None))
    for name, persona in groups:
        points = []
        for stage in stages:
            scores = [e.score for e in experiences if e.stage == stage.id and e.persona == persona]
            points.append(sum(scores) / len(scores) if scores else None)
        if any(p is not None for p in points):
            series.append((name, tuple(points)))
    if not series:
        return Section("curve", b.tr("Emotion curve"), [Paragraph([b.tr("No experience has been recorded yet.")])])
    labels = [b.label(s.id) for s in stages]
    caption = b.tr("How each persona feels at each stage, from −2 (very bad) to +2 (very good).")
    rows = [(name, *(signed(p, b.lang) for p in points)) for name, points in series]
    table = Table([b.tr("Persona"), *labels], rows, numeric=tuple(range(1, len(labels) + 1)))
    return Section("curve", b.tr("Emotion curve"), [Curve(labels, series, caption), table])


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
            "↑" if m.direction is MetricDirection.INCREASE else "↓",
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
    exposures = analysis.persona_exposure(b.canvas)
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
        rows = [
            (
                b.label(a.id),
                b.word(a.phase.value),
                b.labels(a.supports),
                b.labels(a.uses),
                b.label(a.partner) if a.partner else "–",
            )
            for a in activities
        ]
        headers = [b.tr("Key activity"), b.tr("Phase"), b.tr("Supports"), b.tr("Uses"), b.tr("Partner")]
        blocks.append(Table(headers, rows))
    resources: list[Resource] = b.of(Resource)
    if resources:
        kinds = [(b.label(r.id), b.word(r.kind.value), b.label(r.partner) if r.partner else "–") for r in resources]
        blocks.append(Table([b.tr("Key resource"), b.tr("Kind"), b.tr("Partner")], kinds))
    dependencies = analysis.partner_dependency(b.canvas)
    if dependencies:
        rows = [
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
        blocks.append(Table(headers, rows, flagged=[bool(d.stages_at_risk) for d in dependencies]))
    if not blocks:
        blocks.append(Paragraph([b.tr("No key activity, resource or partner yet.")]))
    return Section("backstage", b.tr("Backstage"), blocks)


def _contributions(b: _Builder) -> Section:
    contributions: list[Contribution] = b.of(Contribution)
    if not contributions:
        return Section("contributions", b.tr("Contributions"), [Paragraph([b.tr("No contribution yet.")])])
    blocks: list[Block] = []
    for status in ContributionStatus:
        chosen = [c for c in contributions if c.status is status]
        if not chosen:
            continue
        blocks.append(Paragraph([Strong(f"{b.word(status.value)} ({len(chosen)})")]))
        items: list[tuple[Inline, ...]] = []
        for c in chosen:
            item: list[Inline] = [b.label(c.id)]
            if c.author:
                item.append(" — " + b.label(c.author))
            if c.answer.strip():
                item.append(" — " + b.tr("answer:") + " " + clean(c.answer))
            items.append(tuple(item))
        blocks.append(Items(items))
    return Section("contributions", b.tr("Contributions"), blocks)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _others(b: _Builder, types: Sequence[ElementType[Any]]) -> list[Section]:
    """A section for each of ``types`` the canvas holds elements of: their labels and ids, and stages."""
    sections = []
    for element_type in types:
        elements = b.canvas.of_kind(element_type.cls)
        if not elements:
            continue
        staged = any(f.name == "stage" and spec.kind is Kind.REF for f, spec in specs(element_type.cls))
        headers = [_capital(b.tr(element_type.name)), b.tr("Id")] + ([b.tr("Stage")] if staged else [])
        rows = [
            (clean(element_label(e, b.lang)), clean(e.id), *([b.label(e.stage)] if staged else [])) for e in elements
        ]
        title = _capital(b.tr(element_type.list))
        sections.append(Section(f"list-{element_type.list}", title, [Table(headers, rows)]))
    return sections


def _priorities(b: _Builder) -> Section:
    ranked = analysis.priorities(b.canvas)
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


def build(canvas: Canvas, *, drawing_note: str | None = None, showing: Showing = SHOWING) -> Report:
    """The report on ``canvas``; ``drawing_note`` says why the drawing is missing, when it is.

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
    drawing = Drawing(alt=b.tr("The canvas drawn as a cycle of stages"), note=drawing_note or "")
    sections = [
        _glance(b, transitions),
        Section("drawing", b.tr("The canvas"), [drawing]),
        _findings(b),
        _transitions(b, transitions),
        _curve(b),
        _metrics(b),
        _exposure(b),
        _backstage(b),
        _contributions(b),
        *_others(b, showing.others()),
        _priorities(b),
    ]
    return Report(clean(canvas.name), canvas.language, summary, clean(canvas.description), sections)
