"""The :class:`Canvas`: a whole user engagement canvas as one immutable value."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import attrs

from usager import _refs
from usager._fields import LABEL, TEXT, Kind, Spec, about, choice, described, elements, specs, to_tuple, v2
from usager._text import id_problem
from usager.elements import (
    Activity,
    Brake,
    Contribution,
    Element,
    Experience,
    Facilitator,
    Language,
    LanguageName,
    Metric,
    Partner,
    Persona,
    Resource,
    Stage,
    StageKind,
    Usager,
    _language,
)
from usager.errors import ElementError, UnknownIdError, shown

if TYPE_CHECKING:  # for annotations only: the suggester is imported when a suggestion is looked for
    from usager._suggest import Names

__all__ = [
    "ELEMENT_LISTS",
    "ELEMENT_TYPES",
    "TYPE_NAMED",
    "TYPE_OF",
    "Canvas",
    "ElementType",
    "UnknownIdError",
    "element_kind",
    "element_label",
    "element_names",
]

T = TypeVar("T")
#: An element class, for :meth:`Canvas.get`'s ``kind``.
E = TypeVar(
    "E", Persona, Usager, Stage, Brake, Facilitator, Activity, Resource, Partner, Experience, Metric, Contribution
)


def _check_id(method: str, value: object) -> None:
    """Refuse what is not an id, saying what to write instead."""
    if isinstance(value, str):
        return
    if isinstance(value, (list, tuple, set, frozenset)):
        raise TypeError(f"{method}() takes ids as separate arguments: write {method}(*ids), not {method}(ids)")
    if type(value) in _LIST_OF:
        raise TypeError(f"{method}() takes ids, not elements: write {method}(element.id)")
    raise TypeError(f"{method}() takes ids (strings), not {type(value).__name__}")


def _id_of(method: str, value: object) -> str:
    """The id of ``value``, an element or an id."""
    if type(value) in _LIST_OF:
        return value.id  # type: ignore[attr-defined, no-any-return]
    _check_id(method, value)
    return value  # type: ignore[return-value]


def element_kind(element: Element) -> str:
    """The element's type name in lower case (``"brake"``), as used on graph nodes."""
    return TYPE_OF[type(element)].name


def element_label(element: Element, language: Language | LanguageName = Language.EN) -> str:
    """What a person calls ``element``: its name, label or title (a stage's label in ``language``).

    An experience, which has none, is called by its score and emotion (``+1 reassured``); an
    element of another type without one, by its id.
    """
    if isinstance(element, Stage):
        return element.display_label(language)
    field = TYPE_OF[type(element)].label
    if field is not None:
        return str(getattr(element, field))
    if isinstance(element, Experience):
        return f"{element.score:+d} {element.emotion}".rstrip()
    return str(element.id)  # an element type without a name, label or title is known by its id


def element_names(index: Mapping[str, Element], language: Language) -> Names:
    """The ids and names of the elements of ``index`` (by id), indexed once to suggest an id.

    Each element is known by its id and by what a person calls it (:func:`element_label` in
    ``language``); a stage also by its kind and the kind's name in every language (``Purchase``,
    ``Achat``). The suggestions of :meth:`Canvas.get` and of rule U002 come from it.
    """
    from usager._suggest import Names  # only for a suggestion: importing usager stays light

    names = Names()
    for element_id, element in index.items():
        extra: tuple[str, ...] = ()
        if isinstance(element, Stage):
            extra = (element.kind.value, *(element.kind.label(lang) for lang in Language))
        names.add(element_kind(element), element_id, element_label(element, language), *extra)
    return names


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
_SCHEMA = Spec(
    Kind.LABEL,
    optional=True,
    key="$schema",
    since=2,
    doc="The address of the JSON Schema that editors check this file against (kept as it is).",
).metadata()


@attrs.frozen(kw_only=True, field_transformer=described, repr=False)
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

    name: str = attrs.field(metadata=about("The canvas's name: the service it maps.", LABEL))
    description: str = attrs.field(default="", metadata=about("More about the canvas, in free text.", TEXT))
    language: Language = attrs.field(
        default=Language.EN,
        converter=_language,
        metadata=about("The canvas's language: it picks default stage labels and questions.", choice(Language)),
    )
    personas: tuple[Persona, ...] = attrs.field(
        default=(),
        converter=_personas,
        metadata=about(
            "The typical users, made concrete: their goals, frustrations and ease with technology.", elements(Persona)
        ),
    )
    usagers: tuple[Usager, ...] = attrs.field(
        default=(),
        converter=_usagers,
        metadata=about(
            "The real people who use the service, the persona each embodies and where each is now.", elements(Usager)
        ),
    )
    stages: tuple[Stage, ...] = attrs.field(
        default=(),
        converter=_stages,
        metadata=about(
            "The stages of the user's cycle, in cycle order; the last leads back to the first.", elements(Stage)
        ),
    )
    brakes: tuple[Brake, ...] = attrs.field(
        default=(),
        converter=_brakes,
        metadata=about("What holds users back at each stage, on the way to the next one.", elements(Brake)),
    )
    facilitators: tuple[Facilitator, ...] = attrs.field(
        default=(),
        converter=_facilitators,
        metadata=about(
            "What helps users on from one stage to the next: the answers to the brakes.", elements(Facilitator)
        ),
    )
    activities: tuple[Activity, ...] = attrs.field(
        default=(),
        converter=_activities,
        metadata=about("What the team must do to keep the cycle running, or to launch it.", elements(Activity)),
    )
    resources: tuple[Resource, ...] = attrs.field(
        default=(),
        converter=_resources,
        metadata=about("What the cycle needs or already has: people, data, a brand, a channel.", elements(Resource)),
    )
    partners: tuple[Partner, ...] = attrs.field(
        default=(),
        converter=_partners,
        metadata=about("Others, not competitors, who bring activities or resources.", elements(Partner)),
    )
    experiences: tuple[Experience, ...] = attrs.field(
        default=(),
        converter=_experiences,
        metadata=about("How users feel at each stage, from -2 to +2: the emotion curve.", v2(elements(Experience))),
    )
    metrics: tuple[Metric, ...] = attrs.field(
        default=(),
        converter=_metrics,
        metadata=about("The numbers that tell whether each stage works.", v2(elements(Metric))),
    )
    contributions: tuple[Contribution, ...] = attrs.field(
        default=(),
        converter=_contributions,
        metadata=about(
            "Improvements that usagers themselves propose, and what became of them.", v2(elements(Contribution))
        ),
    )
    schema: str | None = attrs.field(default=None, metadata=_SCHEMA)
    _index: dict[str, Element] | None = attrs.field(init=False, default=None, eq=False, hash=False, repr=False)

    @classmethod
    def standard(cls, name: str, language: Language | LanguageName = Language.EN, *, description: str = "") -> Canvas:
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

    def of_kind(self, kind: type[E]) -> tuple[E, ...]:
        """The elements of the class ``kind``, in document order: ``canvas.of_kind(Brake)`` is a tuple of Brake.

        Type checkers know the element class; a class that is no element type raises ``TypeError``.
        """
        element_type = TYPE_OF.get(kind)
        if element_type is None:
            raise TypeError(f"of_kind() takes an element class such as Brake, not {kind!r}")
        return getattr(self, element_type.list)  # type: ignore[no-any-return]

    def find(self, element_id: str) -> Element | None:
        """The element with ``element_id`` (the first one, if the id is duplicated), or ``None``."""
        return self._ids().get(element_id)

    @overload
    def get(self, element_id: str) -> Element: ...
    @overload
    def get(self, element_id: str, kind: type[E]) -> E: ...
    def get(self, element_id: str, kind: type[Any] | None = None) -> Any:
        """The element with ``element_id``; raises :class:`UnknownIdError` if there is none.

        With ``kind`` (an element class), the element must be of that class, and type
        checkers know it: ``canvas.get("fear", Brake)`` is a :class:`Brake`, or raises
        :class:`UnknownIdError` saying what the id names instead. For an id no element has, the
        message suggests the id most likely meant, as rule U002 does (``no element of canvas
        'Shop' has the id 'helmt'; did you mean 'helmet' (Helmet)?``).
        """
        _check_id("get", element_id)
        if kind is not None and kind not in _LIST_OF:
            raise TypeError(f"get() takes an element class such as Brake as its kind, not {kind!r}")
        element = self._ids().get(element_id)
        if element is None:
            hint = self._did_you_mean(element_id, kind)
            raise UnknownIdError(f"no element of canvas {self.name!r} has the id {element_id!r}{hint}")
        if kind is not None and type(element) is not kind:
            raise UnknownIdError(
                f"{element_id!r} is a {type(element).__name__} of canvas {self.name!r}, not a {kind.__name__}"
            )
        return element

    def _did_you_mean(self, element_id: str, kind: type[Any] | None) -> str:
        """``; did you mean 'helmet' (Helmet)?`` for the element (of ``kind``) ``element_id`` most likely means."""
        from usager._suggest import did_you_mean  # only for a message: importing usager stays light

        kinds = [TYPE_OF[kind].name] if kind is not None else [t.name for t in ELEMENT_TYPES]
        found = element_names(self._ids(), self.language).suggest(element_id, kinds)
        return did_you_mean(*found) if found is not None else ""

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
                hint = ": write add(*elements), not add(elements)" if isinstance(element, (list, tuple)) else ""
                raise ElementError("Canvas", f"add(#{i})", f"expected an element, found {type(element).__name__}{hint}")
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

    def remove(self, *element_ids: str, cascade: bool = False) -> Canvas:
        """A new canvas without the elements with these ids.

        By default references to them are left as they are (``check`` then reports them as
        dangling, rule U002). With ``cascade=True`` no reference is left dangling: the ids are
        dropped from every list that names them, an optional reference to them becomes
        ``None``, and an element that cannot stand without one of them (a brake held at a
        removed stage, an experience or a metric of it) is removed too, and so on. Raises
        :class:`UnknownIdError` for an id no element has, and :class:`TypeError` for what is
        not an id (``remove(["a", "b"])``: write ``remove("a", "b")`` or ``remove(*ids)``).
        """
        for element_id in element_ids:
            _check_id("remove", element_id)
            self.get(element_id)
        gone = set(element_ids)
        if cascade:
            grown = True
            while grown:
                more = {e.id for e in self.elements() if e.id not in gone and _refs.needs(e, gone)}
                grown = bool(more)
                gone |= more
        lists: dict[str, Any] = {}
        for list_name, _ in ELEMENT_LISTS:
            items = getattr(self, list_name)
            kept = [e for e in items if e.id not in gone]
            if cascade:
                kept = [_refs.without(e, gone) for e in kept]
            if len(kept) != len(items) or any(a is not b for a, b in zip(kept, items, strict=True)):
                lists[list_name] = kept
        return attrs.evolve(self, **lists)

    def rename(self, old: str, new: str) -> Canvas:
        """A new canvas where the element ``old`` is called ``new``, in every reference to it too.

        Raises :class:`UnknownIdError` when no element has the id ``old``, and
        :class:`~usager.errors.ElementError` when ``new`` is not a valid id or is taken.
        """
        _check_id("rename", old)
        _check_id("rename", new)
        self.get(old)
        problem = id_problem(new)
        if problem:
            raise ElementError("Canvas", "rename", f"{new!r} cannot be an id: {problem}")
        if new != old and new in self:
            raise ElementError("Canvas", "rename", f"the id {new!r} is already taken")
        lists: dict[str, Any] = {}
        for list_name, _ in ELEMENT_LISTS:
            items = getattr(self, list_name)
            changed = [_refs.renamed(e, old, new) for e in items]
            if any(a is not b for a, b in zip(changed, items, strict=True)):
                lists[list_name] = changed
        return attrs.evolve(self, **lists)

    # ------------------------------------------------------------ queries

    def brakes_at(self, stage: str | Stage) -> tuple[Brake, ...]:
        """The brakes held at ``stage`` (a stage or its id), in document order."""
        stage_id = _id_of("brakes_at", stage)
        return tuple(b for b in self.brakes if b.stage == stage_id)

    def facilitators_for(self, brake: str | Brake) -> tuple[Facilitator, ...]:
        """The facilitators that address ``brake`` (a brake or its id), in document order."""
        brake_id = _id_of("facilitators_for", brake)
        return tuple(f for f in self.facilitators if brake_id in f.addresses)

    def contributions_for(self, element: str | Element) -> tuple[Contribution, ...]:
        """The contributions that name ``element`` (an element or its id), in document order.

        A contribution names an element as its author or a supporter (an usager), a stage or
        brake it concerns, what realized it, or the contribution it duplicates.
        """
        element_id = _id_of("contributions_for", element)
        return tuple(c for c in self.contributions if any(v == element_id for _, v in _refs.ids_named(c)))

    def summary(self) -> str:
        """One line saying what the canvas holds: ``Canvas 'x' (fr): 6 stages, 2 brakes...``."""
        counts = ", ".join(
            f"{len(items)} {t.list if len(items) != 1 else t.name}"
            for t in ELEMENT_TYPES
            if (items := getattr(self, t.list))
        )
        return f"Canvas {shown(self.name)} ({self.language.value}): {counts or 'empty'}"

    def __repr__(self) -> str:
        """``<Canvas 'x' (fr): 6 stages, 2 brakes>``: short, whatever the canvas holds."""
        return f"<{self.summary()}>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """Notebook display: the drawing as SVG, with a one-line text summary.

        When the drawing cannot be made (Graphviz is missing, or the canvas has
        error findings), the text says why and the notebook shows text only.
        """
        # A deferred import, declared in the import contracts (pyproject.toml): the drawing needs
        # the exporters, which stand above this module, and only a notebook asks for it.
        from usager._io import notebook_bundle

        return notebook_bundle(self)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """Pydantic v2: validate a field of type ``Canvas`` as :func:`usager.from_dict` does.

        Every problem becomes a line of pydantic's ``ValidationError`` at its location; a
        canvas serialises as its document (:func:`usager.to_dict`). pydantic is imported only
        when pydantic calls this.
        """
        # A deferred import, declared in the import contracts (pyproject.toml): the document
        # reader stands above this module, and only pydantic asks for it.
        from usager._embed import pydantic_core_schema

        return pydantic_core_schema(cls, source, handler)

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        """Pydantic v2: the JSON Schema is usager's (``usager schema``), one definition named ``Canvas``.

        Every field of type ``Canvas`` refers to that definition (in FastAPI's OpenAPI document,
        ``#/components/schemas/Canvas``); the element definitions are inlined in it.
        """
        from usager._embed import pydantic_json_schema  # deferred, as above

        return pydantic_json_schema(cls, core_schema, handler)

    def stage_label(self, stage: Stage) -> str:
        """The label ``stage`` shows in this canvas's language."""
        return stage.display_label(self.language)


@attrs.frozen
class ElementType(Generic[T]):
    """One element type of the canvas, with its list: everything that names it or reaches it.

    Each is derived once from the :class:`Canvas` field that holds the list (an
    ``elements(cls)`` description), so that a new element type needs its class, its list on
    the canvas and the translations of its name, and every reader, writer, drawing and
    report finds it here.
    """

    #: The canvas field and document key of the list (``"brakes"``).
    list: str
    #: The element type's name (``"brake"``): the CSV ``type`` column, the graph's node kind,
    #: the diff's ``type``, and the word (translated) that messages and reports name it by.
    name: str
    #: The element class.
    cls: type[T]
    #: The field a person knows each element by (its name, label or title); None when it has
    #: none (an experience is called by its score and emotion).
    label: str | None
    #: The version of the document format (``usager/N``) that brought the list.
    since: int


def _element_types() -> tuple[ElementType[Any], ...]:
    types: list[ElementType[Any]] = []
    for field, spec in specs(Canvas):
        if spec.kind is not Kind.ELEMENTS:
            continue
        cls = spec.element
        assert cls is not None
        label = next((f.name for f, s in specs(cls) if s.kind is Kind.LABEL), None)
        types.append(ElementType(list=field.name, name=cls.__name__.lower(), cls=cls, label=label, since=spec.since))
    return tuple(types)


#: The canvas's element types, in document order.
ELEMENT_TYPES: tuple[ElementType[Any], ...] = _element_types()
#: Each element type by its class.
TYPE_OF: dict[type[Any], ElementType[Any]] = {t.cls: t for t in ELEMENT_TYPES}
#: Each element type by its name (``"brake"``).
TYPE_NAMED: dict[str, ElementType[Any]] = {t.name: t for t in ELEMENT_TYPES}
#: The canvas's element lists, in document order, with the class each holds (from :data:`ELEMENT_TYPES`).
ELEMENT_LISTS: tuple[tuple[str, type[Any]], ...] = tuple((t.list, t.cls) for t in ELEMENT_TYPES)
_LIST_OF: dict[type[Any], str] = {t.cls: t.list for t in ELEMENT_TYPES}
