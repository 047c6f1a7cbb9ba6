"""A built-in example canvas: a municipal media library, in French."""

from __future__ import annotations

from usager.canvas import Canvas
from usager.elements import Activity, Brake, Facilitator, Partner, Persona, Resource, Usager

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
        Usager(id="karim", name="Karim", persona="parent", stage="first_experience", relationship="member"),
        Brake(
            id="ecrans",
            label="Peur de ne pas savoir utiliser le portail en ligne",
            stage="usage",
            kind="digital_skills",
            personas=["retraitee"],
            severity=3,
        ),
        Brake(
            id="inscription",
            label="L'inscription demande un justificatif de domicile",
            stage="purchase",
            kind="discontinuity",
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
    )
