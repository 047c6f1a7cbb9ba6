"""The :class:`Canvas`: a whole user engagement canvas as one immutable value."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import attrs

from usager._fields import LABEL, TEXT, Kind, Spec, choice, described, elements, specs, to_tuple, v2
from usager.elements import (
    Activity,
    Brake,
    Contribution,
    Element,
    Experience,
    Facilitator,
    Language,
    Metric,
    Partner,
    Persona,
    Resource,
    Stage,
    StageKind,
    Usager,
    _language,
)
from usager.errors import ElementError, UnknownIdError

__all__ = ["ELEMENT_LISTS", "Canvas", "UnknownIdError", "element_kind", "element_label", "set_display"]

#: The canvas's element lists, in document order, with the class each holds.
ELEMENT_LISTS: tuple[tuple[str, type[Any]], ...] = (
    ("personas", Persona),
    ("usagers", Usager),
    ("stages", Stage),
    ("brakes", Brake),
    ("facilitators", Facilitator),
    ("activities", Activity),
    ("resources", Resource),
    ("partners", Partner),
    ("experiences", Experience),
    ("metrics", Metric),
    ("contributions", Contribution),
)
_LIST_OF: dict[type[Any], str] = {cls: name for name, cls in ELEMENT_LISTS}
_KIND_NAMES: dict[type[Any], str] = {cls: cls.__name__.lower() for _, cls in ELEMENT_LISTS}

T = TypeVar("T")


def element_kind(element: Element) -> str:
    """The element's type name in lower case (``"brake"``), as used on graph nodes."""
    return _KIND_NAMES[type(element)]


#: The field a person knows each element by: its first name, label or title.
_LABEL_FIELD: dict[type[Any], str | None] = {
    cls: next((f.name for f, s in specs(cls) if s.kind is Kind.LABEL), None) for _, cls in ELEMENT_LISTS
}


def element_label(element: Element, language: Language | str = Language.EN) -> str:
    """What a person calls ``element``: its name, label or title (a stage's label in ``language``).

    An experience, which has none, is called by its score and emotion (``+1 reassured``).
    """
    if isinstance(element, Stage):
        return element.display_label(language)
    field = _LABEL_FIELD[type(element)]
    if field is not None:
        return str(getattr(element, field))
    assert isinstance(element, Experience)
    return f"{element.score:+d} {element.emotion}".rstrip()


#: How a canvas shows itself in a notebook; set by :func:`set_display` (the exporters live above).
_display: Callable[[Canvas], dict[str, str]] | None = None


def set_display(display: Callable[[Canvas], dict[str, str]]) -> None:
    """Install the function that makes a canvas's notebook display (see :meth:`Canvas._repr_mimebundle_`).

    The drawing needs the exporters, which are built on this module; :mod:`usager`
    installs the display when it is imported, so that this module imports nothing above it.
    """
    global _display
    _display = display


# Named converters: mypy's attrs plugin reads each one's parameter type as what __init__ accepts.
def _personas(value: Iterable[Persona]) -> tuple[Persona, ...]:
    return to_tuple(value)


def _usagers(value: Iterable[Usager]) -> tuple[Usager, ...]:
    return to_tuple(value)


def _stages(value: Iterable[Stage]) -> tuple[Stage, ...]:
    return to_tuple(value)


def _brakes(value: Iterable[Brake]) -> tuple[Brake, ...]:
    return to_tuple(value)


def _facilitators(value: Iterable[Facilitator]) -> tuple[Facilitator, ...]:
    return to_tuple(value)


def _activities(value: Iterable[Activity]) -> tuple[Activity, ...]:
    return to_tuple(value)


def _resources(value: Iterable[Resource]) -> tuple[Resource, ...]:
    return to_tuple(value)


def _partners(value: Iterable[Partner]) -> tuple[Partner, ...]:
    return to_tuple(value)


def _experiences(value: Iterable[Experience]) -> tuple[Experience, ...]:
    return to_tuple(value)


def _metrics(value: Iterable[Metric]) -> tuple[Metric, ...]:
    return to_tuple(value)


def _contributions(value: Iterable[Contribution]) -> tuple[Contribution, ...]:
    return to_tuple(value)


#: The document's ``$schema``: the address of a JSON Schema, for editors (non-blank text or null).
_SCHEMA = Spec(Kind.LABEL, optional=True, key="$schema", since=2).metadata()


@attrs.frozen(kw_only=True, field_transformer=described)
class Canvas:
    """A user engagement canvas.

    It holds the cycle's stages, what holds users back and what helps them on,
    the people concerned, and the backstage.

    The order of ``stages`` is the cycle order; the last stage leads back to
    the first. ``schema`` is the document's ``$schema`` (the address of its
    JSON Schema, for editors), kept through a round trip. Every list accepts
    any iterable and is stored as a tuple, so two
    canvases with the same content compare equal. A canvas may be inconsistent
    (a dangling reference, a duplicated id): constructing it never checks
    that, :func:`usager.check` does.

    Editing returns a new canvas: :meth:`add`, :meth:`replace`, :meth:`remove`,
    and :func:`attrs.evolve` for the scalar fields.
    """

    name: str = attrs.field(metadata=LABEL)
    description: str = attrs.field(default="", metadata=TEXT)
    language: Language = attrs.field(default=Language.EN, converter=_language, metadata=choice(Language))
    personas: tuple[Persona, ...] = attrs.field(default=(), converter=_personas, metadata=elements(Persona))
    usagers: tuple[Usager, ...] = attrs.field(default=(), converter=_usagers, metadata=elements(Usager))
    stages: tuple[Stage, ...] = attrs.field(default=(), converter=_stages, metadata=elements(Stage))
    brakes: tuple[Brake, ...] = attrs.field(default=(), converter=_brakes, metadata=elements(Brake))
    facilitators: tuple[Facilitator, ...] = attrs.field(
        default=(), converter=_facilitators, metadata=elements(Facilitator)
    )
    activities: tuple[Activity, ...] = attrs.field(default=(), converter=_activities, metadata=elements(Activity))
    resources: tuple[Resource, ...] = attrs.field(default=(), converter=_resources, metadata=elements(Resource))
    partners: tuple[Partner, ...] = attrs.field(default=(), converter=_partners, metadata=elements(Partner))
    experiences: tuple[Experience, ...] = attrs.field(
        default=(), converter=_experiences, metadata=v2(elements(Experience))
    )
    metrics: tuple[Metric, ...] = attrs.field(default=(), converter=_metrics, metadata=v2(elements(Metric)))
    contributions: tuple[Contribution, ...] = attrs.field(
        default=(), converter=_contributions, metadata=v2(elements(Contribution))
    )
    schema: str | None = attrs.field(default=None, metadata=_SCHEMA)
    _index: dict[str, Element] | None = attrs.field(init=False, default=None, eq=False, hash=False, repr=False)

    @classmethod
    def standard(cls, name: str, language: Language | str = Language.EN, *, description: str = "") -> Canvas:
        """A canvas with the six standard stages in cycle order, labelled in ``language``.

        Each stage's id is its kind (``"discovery"``, ``"first_experience"``...).
        """
        lang = _language(language)
        stages = [Stage(id=k.value, kind=k, label=k.label(lang)) for k in StageKind.standard()]
        return cls(name=name, description=description, language=lang, stages=stages)

    def elements(self) -> Iterator[Element]:
        """Every element, list by list in document order."""
        for list_name, _ in ELEMENT_LISTS:
            yield from getattr(self, list_name)

    def _ids(self) -> dict[str, Element]:
        index = self._index
        if index is None:
            index = {}
            for element in self.elements():
                index.setdefault(element.id, element)
            object.__setattr__(self, "_index", index)
        return index

    def find(self, element_id: str) -> Element | None:
        """The element with ``element_id`` (the first one, if the id is duplicated), or ``None``."""
        return self._ids().get(element_id)

    def get(self, element_id: str) -> Element:
        """The element with ``element_id``; raises :class:`UnknownIdError` if there is none."""
        element = self._ids().get(element_id)
        if element is None:
            raise UnknownIdError(f"no element of canvas {self.name!r} has the id {element_id!r}")
        return element

    def __contains__(self, element_id: object) -> bool:
        """Whether an element has the id ``element_id``."""
        return isinstance(element_id, str) and element_id in self._ids()

    def __len__(self) -> int:
        """How many elements the canvas holds."""
        return sum(len(getattr(self, list_name)) for list_name, _ in ELEMENT_LISTS)

    def add(self, *elements: Element) -> Canvas:
        """A new canvas with ``elements`` appended to their lists.

        Raises :class:`~usager.errors.ElementError` when an id is already
        taken (in the canvas or among ``elements``) or an object is not an
        element.
        """
        taken = set(self._ids())
        lists: dict[str, Any] = {}
        for i, element in enumerate(elements):
            list_name = _LIST_OF.get(type(element))
            if list_name is None:
                raise ElementError("Canvas", f"add(#{i})", f"expected an element, found {type(element).__name__}")
            if element.id in taken:
                raise ElementError("Canvas", f"add(#{i})", f"the id {element.id!r} is already taken")
            taken.add(element.id)
            lists.setdefault(list_name, list(getattr(self, list_name))).append(element)
        return attrs.evolve(self, **lists)

    def replace(self, *elements: Element) -> Canvas:
        """A new canvas where each of ``elements`` takes the place of the element with its id.

        The element replaced must be of the same class. Raises
        :class:`UnknownIdError` when no element has the id.
        """
        lists: dict[str, Any] = {}
        for element in elements:
            old = self.get(element.id)
            if type(old) is not type(element):
                raise ElementError(
                    "Canvas",
                    "replace",
                    f"{element.id!r} is a {type(old).__name__}, it cannot be replaced by a {type(element).__name__}",
                )
            list_name = _LIST_OF[type(element)]
            items = lists.setdefault(list_name, list(getattr(self, list_name)))
            items[items.index(old)] = element
        return attrs.evolve(self, **lists)

    def remove(self, *element_ids: str) -> Canvas:
        """A new canvas without the elements with these ids.

        References to them are left as they are (``check`` then reports them
        as dangling, rule U002). Raises :class:`UnknownIdError` for an id no
        element has.
        """
        for element_id in element_ids:
            self.get(element_id)
        gone = set(element_ids)
        lists: dict[str, Any] = {
            list_name: [e for e in getattr(self, list_name) if e.id not in gone]
            for list_name, _ in ELEMENT_LISTS
            if any(e.id in gone for e in getattr(self, list_name))
        }
        return attrs.evolve(self, **lists)

    def summary(self) -> str:
        """One line saying what the canvas holds: ``Canvas 'x' (fr): 6 stages, 2 brakes...``."""
        counts = ", ".join(f"{len(getattr(self, n))} {n}" for n, _ in ELEMENT_LISTS if getattr(self, n))
        return f"Canvas {self.name!r} ({self.language.value}): {counts or 'empty'}"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """Notebook display: the drawing as SVG, with a one-line text summary.

        When the drawing cannot be made (Graphviz is missing, or the canvas has
        error findings), the text says why and the notebook shows text only.
        """
        if _display is None:
            # Reading and writing live above this module; importing them registers the display.
            importlib.import_module("usager._io")
        if _display is None:
            return {"text/plain": self.summary()}
        return _display(self)

    def stage_label(self, stage: Stage) -> str:
        """The label ``stage`` shows in this canvas's language."""
        return stage.display_label(self.language)
