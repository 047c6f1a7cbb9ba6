"""A small complete canvas to copy from (``usager new --example``), in English or French.

A community repair café: a few elements of every list, each field used once
somewhere, and no error finding, so that a person writing a canvas by hand
sees how each key is written.
"""

from __future__ import annotations

import attrs

from usager.canvas import Canvas
from usager.elements import (
    Activity,
    Brake,
    Contribution,
    Experience,
    Facilitator,
    Language,
    Metric,
    Partner,
    Persona,
    Resource,
    Usager,
)

__all__ = ["starter"]

#: Every text of the example, in each language, by a short name.
_TEXTS: dict[str, tuple[str, str]] = {
    "name": ("Repair café", "Repair café"),
    "description": (
        "Neighbours fix their objects together once a week.\nVolunteers lend tools and know-how.",
        "Des voisins réparent ensemble leurs objets, une fois par semaine.\n"
        "Des bénévoles prêtent outils et savoir-faire.",
    ),
    "tinkerer": ("Careful tinkerer", "Bricoleuse prudente"),
    "tinkerer.description": ("Repairs small things, wants to learn more.", "Répare de petites choses, veut apprendre."),
    "tinkerer.goal": ("Fix the toaster rather than buy one", "Réparer le grille-pain plutôt que d'en racheter un"),
    "tinkerer.frustration": ("Not having the right tool", "Ne pas avoir le bon outil"),
    "newcomer": ("Curious newcomer", "Nouveau venu curieux"),
    "newcomer.goal": ("Meet the neighbours", "Rencontrer ses voisins"),
    "sam": ("Sam", "Samia"),
    "sam.need": ("A soldering iron", "Un fer à souder"),
    "lee": ("Lee", "Léo"),
    "discovery.touchpoint": ("Poster at the bakery", "Affiche à la boulangerie"),
    "jargon": ("Repair jargon scares newcomers", "Le jargon de la réparation intimide"),
    "jargon.description": (
        "'Multimeter', 'continuity': words nobody explained.",
        "« Multimètre », « continuité » : des mots jamais expliqués.",
    ),
    "queue": ("Long wait at the benches", "Longue attente aux établis"),
    "welcome": ("A volunteer welcomes each visitor", "Un bénévole accueille chaque visiteur"),
    "booking": ("Book a bench online", "Réserver un établi en ligne"),
    "evidence": ("Feedback cards, spring session", "Cartes de retour, session de printemps"),
    "rota": ("Volunteer rota", "Planning des bénévoles"),
    "opening": ("Opening party", "Fête d'ouverture"),
    "volunteers": ("Volunteers", "Bénévoles"),
    "tools": ("Tool library", "Outillothèque"),
    "store": ("Hardware store", "Quincaillerie du quartier"),
    "store.description": ("Lends tools and gives spare parts.", "Prête des outils et donne des pièces."),
    "relieved": ("relieved", "soulagé"),
    "relieved.quote": ("Someone showed me where to start.", "Quelqu'un m'a montré par où commencer."),
    "impatient": ("impatient", "impatiente"),
    "returning": ("Visitors who come back within a month", "Visiteurs revenus dans le mois"),
    "returning.unit": ("visitors", "visiteurs"),
    "returning.source": ("Sign-in sheet", "Feuille de présence"),
    "sms": ("Text me when a bench is free", "Un SMS quand un établi se libère"),
    "sms.description": ("So I can wait at home.", "Pour attendre chez soi."),
}


def _text(key: str, language: Language) -> str:
    english, french = _TEXTS[key]
    return french if language is Language.FR else english


def starter(language: Language | str = "en") -> Canvas:
    """The example canvas: a community repair café, in ``language`` (``en`` or ``fr``)."""
    lang = Language(language)

    def t(key: str) -> str:
        return _text(key, lang)

    canvas = Canvas.standard(t("name"), lang, description=t("description"))
    stages = [attrs.evolve(s, description=s.kind.question(lang)) for s in canvas.stages]
    stages[0] = attrs.evolve(stages[0], touchpoints=(t("discovery.touchpoint"),))
    return attrs.evolve(canvas, stages=stages).add(
        Persona(
            id="tinkerer",
            name=t("tinkerer"),
            description=t("tinkerer.description"),
            goals=[t("tinkerer.goal")],
            frustrations=[t("tinkerer.frustration")],
            digital_comfort="medium",
        ),
        Persona(id="newcomer", name=t("newcomer"), goals=[t("newcomer.goal")], digital_comfort="low"),
        Usager(
            id="sam", name=t("sam"), persona="tinkerer", stage="extended_usage", needs=[t("sam.need")], lead_user=True
        ),
        Usager(id="lee", name=t("lee"), persona="newcomer", stage="first_experience"),
        Brake(
            id="jargon",
            label=t("jargon"),
            stage="first_experience",
            description=t("jargon.description"),
            kind="digital_skills",
            personas=["newcomer"],
            severity=2,
            evidence=[t("evidence")],
        ),
        Brake(id="queue", label=t("queue"), stage="usage", kind="physical", severity=3, tags=["spring-2026"]),
        Facilitator(
            id="welcome",
            label=t("welcome"),
            addresses=["jargon"],
            stages=["first_experience"],
            status="in_place",
        ),
        Facilitator(
            id="booking",
            label=t("booking"),
            addresses=["queue"],
            status="in_place",
            desirability=4,
            feasibility=3,
            viability=4,
            effort=2,
            evidence=[t("evidence")],
        ),
        Activity(
            id="rota",
            label=t("rota"),
            phase="run",
            supports=["first_experience", "usage", "extended_usage", "prescription", "welcome"],
            uses=["volunteers", "tools"],
        ),
        Activity(id="opening", label=t("opening"), phase="launch", supports=["discovery", "purchase"], partner="store"),
        Resource(id="volunteers", label=t("volunteers"), kind="human"),
        Resource(id="tools", label=t("tools"), kind="physical", partner="store"),
        Partner(id="store", label=t("store"), description=t("store.description")),
        Experience(
            id="first-visit",
            stage="first_experience",
            persona="newcomer",
            score=1,
            emotion=t("relieved"),
            quote=t("relieved.quote"),
        ),
        Experience(id="waiting", stage="usage", score=-1, emotion=t("impatient")),
        Metric(
            id="returning",
            label=t("returning"),
            stage="extended_usage",
            unit=t("returning.unit"),
            direction="increase",
            target=40,
            current=25,
            source=t("returning.source"),
        ),
        Contribution(
            id="sms",
            title=t("sms"),
            description=t("sms.description"),
            author="sam",
            stages=["usage"],
            brakes=["queue"],
            status="proposed",
            supporters=["lee"],
            desirability=5,
            feasibility=3,
            viability=3,
            effort=2,
        ),
    )
