"""A realistic, consistent canvas of N elements, for the benchmarks."""

from __future__ import annotations

import random

from usager import (
    Activity,
    Brake,
    Canvas,
    Contribution,
    Experience,
    Facilitator,
    Metric,
    Partner,
    Persona,
    Resource,
    Stage,
    StageKind,
    Usager,
)

_WORDS = [
    "accueil",
    "inscription",
    "portail",
    "atelier",
    "prêt",
    "retour",
    "catalogue",
    "réservation",
    "médiation",
    "lecture",
    "club",
    "conte",
    "numérique",
    "horaires",
    "navette",
    "famille",
    "quartier",
    "bénévole",
    "partenaire",
    "école",
    "musée",
    "archives",
    "payment",
    "budget",
    "privacy",
    "trust",
    "onboarding",
    "reminder",
    "helpdesk",
    "tutorial",
    "community",
    "forum",
]
_TAGS = ["accessibilité", "équipe médiation", "numérique", "jeunesse", "quick win", "budget 2027"]
_EVIDENCE = [
    "Entretiens à l'accueil et à domicile, mars 2026 (14 usagers)",
    "Inscriptions abandonnées au comptoir, relevé de février 2026 : 23 sur 140",
    "Questionnaire en ligne, 312 réponses",
    "Observation au comptoir, deux samedis",
    "Statistiques du portail, premier trimestre",
]
#: Experience scores, weighted: most stages feel mildly good or bad.
_SCORES = [-2, -1, -1, 0, 1, 1, 2]
_EMOTIONS = ["curieux", "rassuré", "agacé", "perdu", "enthousiaste", "pressé", "fier", "méfiant", "chez soi"]
#: (unit, direction, typical current value) of the metrics.
_UNITS = [
    ("%", "increase", 60),
    ("inscriptions", "increase", 85),
    ("minutes", "decrease", 11),
    ("prêts", "increase", 7400),
]
_SOURCES = ["Logiciel de bibliothèque (SIGB)", "Statistiques du portail", "Comptages de l'accueil"]
#: Contribution statuses, weighted as a team that answers its usagers would have them.
_STATUSES = ["proposed"] * 6 + ["under_review"] * 3 + ["accepted"] * 3 + ["in_progress"] * 2 + ["done"] * 3
_STATUSES += ["declined"] * 2 + ["duplicate", "withdrawn"]
_FACILITATOR_STATUSES = ["in_place"] * 14 + ["planned"] * 3 + ["idea"] * 2 + ["retired"]


def _label(rng: random.Random, words: int = 5) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize()


def _counts(size: int) -> dict[str, int]:
    """How many elements of each kind a canvas of ``size`` holds; brakes take what the others leave."""
    n = {
        "stages": max(6, size // 50),
        "personas": max(1, size // 20),
        "partners": max(1, size // 25),
        "resources": max(1, size // 12),
        "activities": max(2, size // 9),
        "facilitators": max(1, size // 8),
        "usagers": max(1, size // 8),
        "experiences": max(1, size // 12),
        "metrics": max(1, size // 25),
        "contributions": max(1, size // 15),
    }
    n["brakes"] = max(1, size - sum(n.values()))
    return n


def canvas_of(size: int, seed: int = 1) -> Canvas:
    """A consistent canvas of ``size`` elements (a few more under 19: each list keeps a minimum).

    Six standard stages then custom ones, and every other list in proportion; every reference
    resolves and every brake is addressed, so ``usager.check`` finds no error nor warning (and,
    from 72 elements on, when every stage has an experience score, nothing at all). Facilitators
    have statuses, those not yet in place an assessment; usagers propose contributions, some
    done, declined or duplicates, with the answer or link each needs; some elements carry tags,
    evidence and suppressions.
    """
    rng = random.Random(seed)
    n = _counts(size)
    stages = [Stage(id=k.value, kind=k, label=k.label("fr")) for k in StageKind.standard()]
    stages += [
        Stage(id=f"stage-{i}", kind="custom", label=_label(rng, 3), touchpoints=[_label(rng, 2)])
        for i in range(n["stages"] - 6)
    ]
    stage_ids = [s.id for s in stages]
    personas = [
        Persona(id=f"persona-{i}", name=_label(rng, 2), description=_label(rng, 12), goals=[_label(rng), _label(rng)],
                frustrations=[_label(rng)], digital_comfort=rng.choice(["low", "medium", "high"]))
        for i in range(n["personas"])
    ]  # fmt: skip
    persona_ids = [p.id for p in personas]
    # Contributions come from usagers; about half of their authors are lead users.
    authors = [(k * 7) % n["usagers"] for k in range(n["contributions"])]
    leads = {a for a in authors if a % 2 == 0}
    usagers = [
        Usager(id=f"usager-{i}", name=_label(rng, 2), persona=persona_ids[i % len(persona_ids)],
               relationship=rng.choice(["user", "user", "customer", "member"]), stage=rng.choice(stage_ids),
               needs=[_label(rng)], lead_user=i in leads)
        for i in range(n["usagers"])
    ]  # fmt: skip
    usager_ids = [u.id for u in usagers]
    brakes = [
        Brake(id=f"brake-{i}", label=_label(rng), stage=stage_ids[i % len(stage_ids)], description=_label(rng, 10),
              kind=rng.choice(["trust", "privacy", "digital_skills", "discontinuity"]),
              personas=rng.sample(persona_ids, min(2, len(persona_ids))), severity=rng.randint(1, 3),
              evidence=[rng.choice(_EVIDENCE)] if rng.random() < 0.4 else [],
              tags=[rng.choice(_TAGS)] if rng.random() < 0.3 else [])
        for i in range(n["brakes"])
    ]  # fmt: skip
    # Every brake is addressed, and every facilitator addresses one or two: facilitator i takes
    # brakes 2i and 2i+1, the brakes starting over when there are fewer, the facilitators when more.
    addressed: list[list[Brake]] = [[] for _ in range(n["facilitators"])]
    for j in range(max(len(brakes), 2 * n["facilitators"])):
        brake, answers = brakes[j % len(brakes)], addressed[(j // 2) % n["facilitators"]]
        if brake not in answers:
            answers.append(brake)
    facilitators = []
    for i, answers in enumerate(addressed):
        # A blocking brake needs an answer in place; otherwise some answers are still ideas or plans.
        status = "in_place" if any(b.severity == 3 for b in answers) else rng.choice(_FACILITATOR_STATUSES)
        assessed = status in ("idea", "planned") or rng.random() < 0.1
        scores = [rng.randint(1, 5) for _ in range(4)] if assessed else [None] * 4
        facilitators.append(
            Facilitator(id=f"facilitator-{i}", label=_label(rng), description=_label(rng, 8),
                        addresses=[b.id for b in answers], stages=[answers[0].stage], status=status,
                        desirability=scores[0], feasibility=scores[1], viability=scores[2], effort=scores[3],
                        evidence=[rng.choice(_EVIDENCE)] if assessed and rng.random() < 0.5 else [],
                        tags=[rng.choice(_TAGS)] if rng.random() < 0.2 else [])
        )  # fmt: skip
    partners = [Partner(id=f"partner-{i}", label=_label(rng, 3)) for i in range(n["partners"])]
    resources = [
        Resource(id=f"resource-{i}", label=_label(rng, 3), kind=rng.choice(["human", "data", "channel"]),
                 partner=partners[i % len(partners)].id, suppress=["U032"] if i % 10 == 9 else [])
        for i in range(n["resources"])
    ]  # fmt: skip
    supportable = stage_ids + [f.id for f in facilitators]
    activities = [
        Activity(id=f"activity-{i}", label=_label(rng), phase="launch" if i % 5 == 0 else "run",
                 supports=[supportable[j % len(supportable)] for j in range(i * 3, i * 3 + 3)],
                 uses=[resources[i % len(resources)].id], partner=partners[i % len(partners)].id)
        for i in range(n["activities"])
    ]  # fmt: skip
    # The emotion curve: persona by persona, a score at each stage in turn (every stage gets one).
    experiences = [
        Experience(id=f"experience-{k}", stage=stage_ids[k % len(stage_ids)], score=rng.choice(_SCORES),
                   persona=persona_ids[(k // len(stage_ids)) % len(persona_ids)] if k % 9 else None,
                   emotion=rng.choice(_EMOTIONS), quote=_label(rng, 8) if rng.random() < 0.6 else "",
                   evidence=[rng.choice(_EVIDENCE)], tags=[rng.choice(_TAGS)] if rng.random() < 0.1 else [])
        for k in range(n["experiences"])
    ]  # fmt: skip
    metrics = []
    for k in range(n["metrics"]):
        unit, direction, typical = _UNITS[k % len(_UNITS)]
        current = round(typical * rng.uniform(0.5, 1.5), 1) if k % 3 else typical
        target = round(typical * (1.2 if direction == "increase" else 0.6)) if k % 4 else None
        metrics.append(
            Metric(id=f"metric-{k}", label=_label(rng, 4), stage=stage_ids[k % len(stage_ids)], unit=unit,
                   direction=direction, target=target, current=current, source=rng.choice(_SOURCES),
                   tags=[rng.choice(_TAGS)] if rng.random() < 0.2 else [])
        )  # fmt: skip
    realizers = [f.id for f in facilitators if f.status == "in_place"] + [a.id for a in activities]
    contributions = []
    for k, author in enumerate(authors):
        status = rng.choice(_STATUSES) if k else "proposed"
        weighed = status in ("under_review", "accepted", "in_progress")
        scores = [rng.randint(1, 5) for _ in range(4)] if weighed else [None] * 4
        brake = brakes[(k * 3) % len(brakes)]
        contributions.append(
            Contribution(id=f"contribution-{k}", title=_label(rng, 6), description=_label(rng, 12),
                         author=usager_ids[author], stages=[brake.stage], brakes=[brake.id] if k % 3 else [],
                         status=status, answer=_label(rng, 10) if status in ("declined", "done", "accepted") else "",
                         realized_by=rng.choice(realizers) if status == "done" else None,
                         duplicate_of=f"contribution-{rng.randrange(k)}" if status == "duplicate" else None,
                         supporters=rng.sample(usager_ids, min(rng.randint(0, 3), len(usager_ids))),
                         desirability=scores[0], feasibility=scores[1], viability=scores[2], effort=scores[3],
                         evidence=[rng.choice(_EVIDENCE)] if weighed and rng.random() < 0.5 else [],
                         tags=[rng.choice(_TAGS)] if rng.random() < 0.2 else [])
        )  # fmt: skip
    return Canvas(
        name="Benchmark", description=_label(rng, 20), language="fr", personas=personas, usagers=usagers,
        stages=stages, brakes=brakes, facilitators=facilitators, activities=activities, resources=resources,
        partners=partners, experiences=experiences, metrics=metrics, contributions=contributions,
    )  # fmt: skip
