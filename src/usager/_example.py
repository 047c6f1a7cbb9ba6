"""A built-in example canvas: a municipal media library, in French."""

from __future__ import annotations

from usager.canvas import Canvas
from usager.elements import (
    Activity,
    Brake,
    Contribution,
    Experience,
    Facilitator,
    Metric,
    Partner,
    Persona,
    Resource,
    Usager,
)

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

__all__ = ["mediatheque"]


def mediatheque() -> Canvas:
    """The engagement canvas of a municipal media library (a public service: its people are usagers)."""
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
