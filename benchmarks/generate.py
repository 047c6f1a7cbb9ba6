"""A realistic, consistent canvas of about N elements, for the benchmarks."""

from __future__ import annotations

import random

from usager import Activity, Brake, Canvas, Facilitator, Partner, Persona, Resource, Stage, StageKind, Usager

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


def _label(rng: random.Random, words: int = 5) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize()


def canvas_of(size: int, seed: int = 1) -> Canvas:
    """A consistent canvas of ``size`` elements: six standard stages then custom ones, and the rest in proportion."""
    rng = random.Random(seed)
    n = {
        "stages": max(6, size // 50),
        "personas": max(1, size // 20),
        "partners": max(1, size // 25),
        "resources": max(1, size // 12),
        "activities": max(2, size // 7),
        "facilitators": max(1, size // 5),
    }
    n["usagers"] = max(1, size // 6)
    n["brakes"] = max(1, size - sum(n.values()))
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
    usagers = [
        Usager(id=f"usager-{i}", name=_label(rng, 2), persona=persona_ids[i % len(persona_ids)],
               stage=rng.choice(stage_ids), needs=[_label(rng)])
        for i in range(n["usagers"])
    ]  # fmt: skip
    brakes = [
        Brake(id=f"brake-{i}", label=_label(rng), stage=stage_ids[i % len(stage_ids)], description=_label(rng, 10),
              kind=rng.choice(["trust", "privacy", "digital_skills", "discontinuity"]),
              personas=rng.sample(persona_ids, min(2, len(persona_ids))), severity=rng.randint(1, 3))
        for i in range(n["brakes"])
    ]  # fmt: skip
    facilitators = [
        Facilitator(id=f"facilitator-{i}", label=_label(rng), description=_label(rng, 8),
                    addresses=[brakes[j % len(brakes)].id for j in range(i * 2, i * 2 + 2)],
                    stages=[stage_ids[i % len(stage_ids)]])
        for i in range(n["facilitators"])
    ]  # fmt: skip
    brakes_left = [b.id for b in brakes[2 * len(facilitators) :]]
    if brakes_left:  # every brake addressed: one more facilitator takes the rest
        facilitators.append(Facilitator(id="facilitator-rest", label="Rest", addresses=brakes_left))
    partners = [Partner(id=f"partner-{i}", label=_label(rng, 3)) for i in range(n["partners"])]
    resources = [
        Resource(id=f"resource-{i}", label=_label(rng, 3), kind=rng.choice(["human", "data", "channel"]),
                 partner=partners[i % len(partners)].id)
        for i in range(n["resources"])
    ]  # fmt: skip
    supportable = stage_ids + [f.id for f in facilitators]
    activities = [
        Activity(id=f"activity-{i}", label=_label(rng), phase="launch" if i % 5 == 0 else "run",
                 supports=[supportable[j % len(supportable)] for j in range(i * 3, i * 3 + 3)],
                 uses=[resources[i % len(resources)].id], partner=partners[i % len(partners)].id)
        for i in range(n["activities"])
    ]  # fmt: skip
    return Canvas(
        name="Benchmark", description=_label(rng, 20), language="fr", personas=personas, usagers=usagers,
        stages=stages, brakes=brakes, facilitators=facilitators, activities=activities, resources=resources,
        partners=partners,
    )  # fmt: skip
