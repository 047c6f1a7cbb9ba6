"""Example canvases, built in code: the family that the demo, the tests and the docs start from.

Three canvases, each small enough to read in one sitting:

- :func:`mediatheque`: a municipal media library, in French, the richest of the three. It is
  what ``usager demo`` builds, what ``examples/mediatheque.json`` holds, and what the drawings
  of the documentation show.
- :func:`repair_cafe`: a community repair café, in English or French, with the same ids in both
  languages. It is what ``usager new --example`` writes for a person to copy from: a few
  elements in every list, most keys used once somewhere, and no error or warning finding.
- :func:`complete`: the same café (in English) completed so that it trips no rule at all. Each
  rule's failing and passing examples (``Rule.bad`` and ``Rule.good``, and the rules page
  generated from them) change it, and tests start from it.

Each call builds a new canvas. Canvases are immutable: change one with
:meth:`~usager.Canvas.add`, :meth:`~usager.Canvas.replace`, :meth:`~usager.Canvas.remove` or
``attrs.evolve``, as the rules' examples and usager's own tests do.

```pycon
>>> import usager
>>> from usager.examples import complete, repair_cafe
>>> usager.check(complete())
[]
>>> [f.code for f in usager.check(repair_cafe("fr"))]
['U060', 'U060', 'U060', 'U060']
>>> canvas = complete().add(usager.Brake(id="no-parts", label="Spare parts are hard to find", stage="usage"))
>>> [str(f) for f in usager.check(canvas)]
["U020 warning: brake 'no-parts' (Spare parts are hard to find) has no facilitator addressing it"]

```
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

__all__ = ["complete", "mediatheque", "repair_cafe"]

_INTERVIEWS = "Entretiens à l'accueil et à domicile, mars 2026 (14 usagers)"

#: The emotion curve from the interviews: (persona, stage, score, emotion, quote).
_CURVE = (
    ("retraitee", "discovery", 1, "curieuse", "C'est ma voisine qui m'a dit qu'on pouvait emprunter des films."),
    ("retraitee", "first_experience", 1, "bien accueillie", "La dame du comptoir a pris le temps."),
    ("retraitee", "purchase", -1, "agacée", "Revenir avec une facture d'électricité, à mon âge !"),
    ("retraitee", "usage", -2, "perdue", "Je n'ose pas toucher à l'automate, j'ai peur de tout bloquer."),
    ("retraitee", "extended_usage", 2, "chez elle", "Le mardi, c'est mon rendez-vous."),
    ("retraitee", "prescription", 1, "fière", "J'y emmène mes petits-enfants."),
    ("parent", "discovery", -1, "surpris", "Je ne savais même pas que c'était gratuit."),
    ("parent", "first_experience", 1, "rassuré", "Le coin des enfants est vraiment bien fait."),
    ("parent", "purchase", 0, "pressé", ""),
    ("parent", "usage", 1, "efficace", "Je réserve dans le bus, je récupère en passant."),
    ("parent", "extended_usage", 1, "habitué", ""),
    ("parent", "prescription", 2, "enthousiaste", "J'en parle à tous les parents de l'école."),
)


def mediatheque() -> Canvas:
    """The engagement canvas of a municipal media library, in French (a public service: its people are usagers).

    Two personas with the people behind them, three brakes and four facilitators, the
    backstage, an emotion curve from interviews for each persona at every stage, metrics and
    contributions: the example ``usager demo`` builds and ``examples/mediatheque.json`` holds.
    """
    return Canvas.standard(
        "Médiathèque municipale",
        "fr",
        description="Faire de la médiathèque un lieu que chaque habitant découvre, adopte et recommande.",
    ).add(
        Persona(
            id="retraitee",
            name="Retraitée lectrice",
            description="Lit beaucoup, vient à pied, se méfie des écrans.",
            goals=["Emprunter des romans en gros caractères", "Rencontrer du monde"],
            frustrations=["Les automates de prêt", "Les horaires qui changent"],
            digital_comfort="low",
        ),
        Persona(
            id="parent",
            name="Parent actif",
            description="Deux enfants, peu de temps, réserve tout en ligne.",
            goals=["Trouver des albums pour les enfants", "Réserver depuis son téléphone"],
            frustrations=["Faire la queue au comptoir"],
            digital_comfort="high",
        ),
        Usager(id="jeanne", name="Jeanne", persona="retraitee", stage="extended_usage", needs=["Aide au comptoir"]),
        Usager(
            id="karim", name="Karim", persona="parent", stage="first_experience", relationship="member", lead_user=True
        ),
        Brake(
            id="ecrans",
            label="Peur de ne pas savoir utiliser le portail en ligne",
            stage="usage",
            kind="digital_skills",
            personas=["retraitee"],
            severity=3,
            evidence=[_INTERVIEWS],
            tags=["accessibilité"],
        ),
        Brake(
            id="inscription",
            label="L'inscription demande un justificatif de domicile",
            stage="purchase",
            kind="discontinuity",
            evidence=["Inscriptions abandonnées au comptoir, relevé de février 2026 : 23 sur 140"],
        ),
        Brake(
            id="inconnue",
            label="Les nouveaux habitants ignorent que la médiathèque est gratuite",
            stage="discovery",
            kind="thought",
            personas=["parent"],
        ),
        Facilitator(
            id="ateliers",
            label="Ateliers numériques du mardi",
            addresses=["ecrans"],
            stages=["usage"],
            tags=["équipe médiation"],
        ),
        Facilitator(
            id="resa-telephone",
            label="Réserver par téléphone auprès d'un bibliothécaire",
            addresses=["ecrans"],
            stages=["usage"],
            status="idea",
            desirability=4,
            feasibility=4,
            viability=3,
            effort=2,
        ),
        Facilitator(
            id="inscription-en-ligne",
            label="Inscription en ligne avec pièce envoyée plus tard",
            addresses=["inscription"],
        ),
        Facilitator(
            id="accueil-mairie",
            label="Carte offerte dans le livret d'accueil de la mairie",
            addresses=["inconnue"],
            stages=["discovery"],
            status="planned",
            desirability=4,
            feasibility=5,
            viability=4,
            effort=2,
        ),
        Activity(
            id="mediation",
            label="Médiation et accueil au comptoir",
            supports=["first_experience", "usage", "ateliers"],
            uses=["equipe", "catalogue"],
        ),
        Activity(
            id="animation",
            label="Clubs de lecture et heure du conte",
            supports=["extended_usage", "prescription"],
            uses=["equipe"],
        ),
        Activity(
            id="portail",
            label="Ouvrir le portail de réservation",
            phase="launch",
            supports=["purchase", "inscription-en-ligne"],
            uses=["catalogue"],
            partner="editeur-sigb",
        ),
        Activity(
            id="partenariat-mairie",
            label="Signer la convention avec le service d'accueil de la mairie",
            phase="launch",
            supports=["accueil-mairie", "discovery"],
            partner="mairie",
        ),
        Resource(id="equipe", label="Bibliothécaires et médiateurs", kind="human"),
        Resource(id="catalogue", label="Catalogue et fichier des lecteurs", kind="data", partner="editeur-sigb"),
        Partner(id="editeur-sigb", label="Éditeur du logiciel de bibliothèque"),
        Partner(id="mairie", label="Service d'accueil des nouveaux habitants"),
        *(
            Experience(
                id=f"ressenti-{persona}-{stage}".replace("_", "-"),
                stage=stage,
                persona=persona,
                score=score,
                emotion=emotion,
                quote=quote,
                evidence=[_INTERVIEWS],
            )
            for persona, stage, score, emotion, quote in _CURVE
        ),
        Metric(
            id="inscriptions-mois",
            label="Nouvelles inscriptions par mois",
            stage="purchase",
            unit="inscriptions",
            target=120,
            current=85,
            source="Logiciel de bibliothèque (SIGB)",
        ),
        Metric(
            id="inscriptions-en-ligne",
            label="Inscriptions en ligne menées à leur terme",
            stage="purchase",
            unit="%",
            target=80,
            current=62,
            source="Statistiques du portail",
        ),
        Metric(
            id="attente-comptoir",
            label="Attente moyenne au comptoir",
            stage="first_experience",
            unit="minutes",
            direction="decrease",
            target=5,
            current=11,
            source="Comptages de l'accueil, une semaine par trimestre",
        ),
        Metric(
            id="prets-mois",
            label="Prêts par mois",
            stage="extended_usage",
            unit="prêts",
            target=9000,
            current=7400,
            source="Logiciel de bibliothèque (SIGB)",
        ),
        Contribution(
            id="justificatif-plus-tard",
            title="S'inscrire en ligne et apporter le justificatif plus tard",
            description="Proposé au comptoir un samedi de rentrée, après vingt minutes de queue.",
            author="karim",
            stages=["purchase"],
            brakes=["inscription"],
            status="done",
            answer=(
                "C'est en place depuis janvier : la carte est active tout de suite, "
                "le justificatif vient au premier passage."
            ),
            realized_by="inscription-en-ligne",
            supporters=["jeanne"],
        ),
        Contribution(
            id="boite-retour-annexe",
            title="Une boîte de retour des livres à la mairie annexe",
            author="jeanne",
            stages=["extended_usage"],
            status="declined",
            answer=(
                "La mairie annexe n'a pas de local surveillé pour une boîte de retour ; "
                "les retours au bibliobus du mercredi sont possibles depuis mars."
            ),
        ),
        Contribution(
            id="samedi-parents-enfants",
            title="Un créneau de lecture parents-enfants le samedi matin",
            author="karim",
            stages=["extended_usage", "prescription"],
            status="accepted",
            desirability=5,
            feasibility=4,
            viability=4,
            effort=2,
            evidence=["Sondage de l'école Jules-Ferry : 31 familles intéressées"],
        ),
    )


#: Every text of the repair café, in each language (English, French), by a short name.
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


def repair_cafe(language: Language | str = "en") -> Canvas:
    """A community repair café, in ``language`` (``en`` or ``fr``): what ``usager new --example`` writes.

    A few elements in every list, most keys used once somewhere, so that a person writing a
    canvas by hand sees how each key is written. Both languages have the same ids and figures;
    only the texts differ. Its emotion curve has gaps (:func:`complete` fills them).
    """
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


def complete() -> Canvas:
    """The repair café in English, completed so that it trips no rule: the rules' reference canvas.

    :func:`repair_cafe` leaves four stages without an experience score (rule U060, a gap in the
    emotion curve); here each of them has one, so that the curve covers the whole cycle. Each
    rule's examples (``Rule.bad`` and ``Rule.good``) change this canvas, and tests start from it.
    """
    return repair_cafe("en").add(
        Experience(id="poster-seen", stage="discovery", persona="newcomer", score=0, emotion="curious"),
        Experience(id="signing-in", stage="purchase", score=1, emotion="at ease"),
        Experience(
            id="regular",
            stage="extended_usage",
            persona="tinkerer",
            score=2,
            emotion="proud",
            quote="This time I fixed the lamp myself.",
        ),
        Experience(id="telling-friends", stage="prescription", persona="tinkerer", score=1, emotion="keen"),
    )
