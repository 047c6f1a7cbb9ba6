"""``usager fmt`` on files people write by hand: comments kept, defaults left out, short lists on one line."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import usager
from usager import Canvas, LoadError, dumps, loads
from usager.examples import repair_cafe
from usager.exporters._formats.handwritten import Comment, check_kept
from usager.exporters.toml import TomlExporter
from usager.exporters.yaml import YamlExporter

from .strategies import canvases
from .test_cli import run

DATA = Path(__file__).parent / "data"
YAML = YamlExporter()
TOML = TomlExporter()


def comments_of(text: str, name: str) -> list[str]:
    """The text of each comment of ``text``, a YAML or TOML file, in order."""
    exporter = YAML if name == "yaml" else TOML
    lines = text.split("\n")
    found = []
    for line in exporter.comments(text):
        row = lines[line - 1]
        # the comment is the line's last '#' that stands after a space or at the start (no test text holds ' #')
        start = 0 if row.lstrip().startswith("#") else row.index("  #") + 2
        found.append(row[start:].strip())
    return found


# ---------------------------------------------------------------- the hand-written canvases


@pytest.mark.parametrize(("file", "name"), [("bikeshare.usager.yaml", "yaml"), ("toolshed.usager.toml", "toml")])
def test_fmt_keeps_every_comment_of_a_hand_written_canvas(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, file: str, name: str
) -> None:
    """fmt rewrites a commented hand-written canvas: every comment kept, about as long, the same canvas."""
    original = (DATA / file).read_text(encoding="utf-8")
    target = tmp_path / file
    target.write_text(original, encoding="utf-8")
    assert run(capsys, "fmt", "--check", str(target))[:2] == (1, f"would reformat {target}\n")
    code, _, err = run(capsys, "fmt", str(target))
    assert (code, err) == (0, f"reformatted {target}\n1 file reformatted, 0 already canonical\n")
    written = target.read_text(encoding="utf-8")
    assert Counter(comments_of(written, name)) == Counter(comments_of(original, name))
    assert len(comments_of(original, name)) >= 12
    assert abs(written.count("\n") - original.count("\n")) <= original.count("\n") // 10
    assert usager.load(target) == loads(original, name)
    assert run(capsys, "fmt", "--check", str(target))[0] == 0  # fmt(fmt(x)) == fmt(x)
    assert target.read_text(encoding="utf-8") == written


def test_the_bike_share_canvas_is_written_as_people_write_it() -> None:
    """Defaults left out, short lists of ids on one line, small elements on one line, comments where they were."""
    written = YAML.reformat((DATA / "bikeshare.usager.yaml").read_bytes())
    lines = written.split("\n")
    assert "tags: []" not in written
    assert "suppress: []" not in written
    assert 'description: ""' not in written
    assert "language: en" not in written
    assert "    personas: [commuter, tourist]" in lines
    assert "    addresses: [no_bike, full_dock]" in lines
    assert "  - {id: discovery, kind: discovery}" in lines
    assert "  - {id: vans, label: Two electric vans, kind: physical, partner: logistics}" in lines
    assert "    severity: 3  # the first thing every commuter said" in lines
    # the comment above an element stays above it, at the element's indentation
    at = lines.index("  # Tourists come in summer; the tourist office asked to keep them apart.")
    assert lines[at + 1] == "  - id: tourist"
    # the file's opening comments stay at the top, apart; its closing comment at the end
    assert lines[:4] == [
        "# Vélo Commun: the city's bike-share service, as the team mapped it.",
        "# Workshop of 14 March with the operator, two riders and the tourist office.",
        "# Keep ids short and in English; labels may be in the team's words.",
        "",
    ]
    assert lines[-3:] == ["", "# End of canvas. Next workshop: June, with the city's cycling officer.", ""]


def test_the_toolshed_canvas_keeps_a_commented_default_and_its_array_comments() -> None:
    """A default key with a comment stays; a comment inside an array stays at its item; defaults go."""
    written = TOML.reformat((DATA / "toolshed.usager.toml").read_bytes())
    lines = written.split("\n")
    assert "severity = 2  # the default, written on purpose" in lines
    assert "tags = []" not in lines
    assert 'language = "en"' not in lines
    assert '  "Hang shelves without buying a drill",  # the most asked-for tool' in lines
    assert lines[lines.index("# Heard once; keep an eye on it.") + 1] == "[[brakes]]"


# ---------------------------------------------------------------- where a comment goes


def test_a_comment_follows_its_key_into_canonical_order() -> None:
    """Keys written in another order come out in the canonical one, each with its comments."""
    text = (
        "format: usager/2\nname: x\nbrakes:\n"
        "  - label: Late  # the label\n"
        "    # where it happens\n"
        "    stage: s\n"
        "    id: late  # the id\n"
        "stages:\n  - {id: s, kind: usage}\n"
    )
    assert YAML.reformat(text) == (
        "format: usager/2\nname: x\n\nstages:\n  - {id: s, kind: usage}\n\nbrakes:\n"
        "  - id: late  # the id\n"
        "    label: Late  # the label\n"
        "    # where it happens\n"
        "    stage: s\n"
    )


def test_comments_follow_their_elements_by_id() -> None:
    """The comments of two elements with the same id stay with each (which of the two they are)."""
    text = "format: usager/2\nname: x\npartners:\n  # first\n  - id: p\n    label: A\n"
    text += "  # second\n  - id: p\n    label: B\n"
    written = YAML.reformat(text)
    assert written == (
        "format: usager/2\nname: x\n\npartners:\n  # first\n  - {id: p, label: A}\n  # second\n  - {id: p, label: B}\n"
    )


def test_a_comment_in_a_list_keeps_the_list_a_line_per_item() -> None:
    """A list whose items have comments is not written on one line, which would have no place for them."""
    text = "format: usager/2\nname: x\npersonas:\n  - id: p\n    name: P\n    goals:\n      - a  # first\n      - b\n"
    assert YAML.reformat(text).endswith("    goals:\n      - a  # first\n      - b\n")


def test_a_comment_after_the_end_of_a_list_stays_with_the_list() -> None:
    """``]  # c`` on a line of its own speaks of the list it closes: the comment ends the list's key line."""
    text = "format: usager/2\nname: x\npartners: [\n  {id: a, label: A},\n  {id: b, label: B},\n]  # two\n"
    assert YAML.reformat(text) == (
        "format: usager/2\nname: x\n\npartners:  # two\n  - {id: a, label: A}\n  - {id: b, label: B}\n"
    )
    text = 'format = "usager/2"\nname = "x"\n\n[[personas]]\nid = "a"\nname = "A"\ngoals = [\n  "one",\n]  # one\n'
    assert TOML.reformat(text).endswith('goals = ["one"]  # one\n')


def test_a_key_with_a_comment_is_written_even_when_it_holds_its_default() -> None:
    """``tags: []  # none yet`` stays: the comment says something of it."""
    text = "format: usager/2\nname: x\npartners:\n  - id: p\n    label: P\n    tags: []  # none yet\n"
    assert YAML.reformat(text).endswith("  - id: p\n    label: P\n    tags: []  # none yet\n")


def test_a_trailing_comment_after_a_multi_line_toml_string_stays_after_it() -> None:
    """In TOML the end of a multi-line value is where its comment may stand, never inside the string."""
    text = 'format = "usager/2"\nname = "x"\ndescription = """\nTwo\nlines\n"""  # said the team\n'
    assert TOML.reformat(text) == text


def test_two_comments_at_the_end_of_one_line_keep_both() -> None:
    """An element and its first key written on one line: one comment ends it, the other goes above."""
    text = 'format = "usager/2"\nname = "x"\n\n[[partners]]  # the header\nid = "p"  # the id\nlabel = "P"\n'
    assert TOML.reformat(text) == (
        'format = "usager/2"\nname = "x"\n\n[[partners]]  # the header\nid = "p"  # the id\nlabel = "P"\n'
    )
    text = "format: usager/2\nname: x\npartners:\n  - {id: p, label: P}  # one\n"
    assert YAML.reformat(text).endswith("  - {id: p, label: P}  # one\n")


def test_a_comment_the_rewrite_lost_is_named_at_its_line() -> None:
    """The last guard: a rewrite that misses a comment is refused, naming the comment's line."""
    canvas = Canvas(name="x")
    comments = [Comment(3, "# kept", trailing=False), Comment(7, "# lost", trailing=True)]
    output = dumps(canvas, "yaml") + "# kept\n"
    with pytest.raises(LoadError) as caught:
        check_kept(comments, output, YAML.load, canvas, _full_line_comments, "c.yaml")
    assert str(caught.value) == "c.yaml:7:1: this comment could not be kept in the rewrite; the file is left as it is"


def test_a_rewrite_that_reads_back_otherwise_is_refused() -> None:
    """The other guard: a rewrite that would change the canvas is never written."""
    with pytest.raises(LoadError, match="would not read back to the same canvas; it is left as it is"):
        check_kept([], dumps(Canvas(name="y"), "yaml"), YAML.load, Canvas(name="x"), _full_line_comments, None)


def _full_line_comments(text: str) -> list[Comment]:
    return [Comment(n, line, trailing=False) for n, line in enumerate(text.split("\n"), 1) if line.startswith("#")]


# ---------------------------------------------------------------- the options of export


def test_the_export_options_are_checked() -> None:
    """An option the exporter does not take, or a value it does not allow, is refused with the choices."""
    canvas = Canvas(name="x")
    with pytest.raises(usager.errors.OptionError, match="takes one of 'keep', 'omit', not 'none'"):
        dumps(canvas, "yaml", defaults="none")
    with pytest.raises(usager.errors.OptionError, match="the toml exporter takes no option 'layout'"):
        dumps(canvas, "toml", layout="compact")


def test_export_keeps_every_key_unless_asked(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """usager export -f yaml writes every key; -O defaults=omit -O layout=compact writes what fmt writes."""
    source = usager.dump(repair_cafe("en"), tmp_path / "c.json")
    code, out, _ = run(capsys, "export", str(source), "--to", "yaml")
    assert code == 0
    assert "    tags: []" in out
    code, out, _ = run(capsys, "export", str(source), "--to", "yaml", "-O", "defaults=omit", "-O", "layout=compact")
    assert code == 0
    assert "tags: []" not in out
    assert out == YAML.reformat(dumps(repair_cafe("en"), "yaml"))


@given(canvases(), st.sampled_from(["keep", "omit"]), st.sampled_from(["block", "compact"]))
def test_any_canvas_reads_back_from_every_yaml_layout(canvas: Canvas, defaults: str, layout: str) -> None:
    """Whichever options, the YAML text reads back to the same canvas."""
    assert loads(dumps(canvas, "yaml", defaults=defaults, layout=layout), "yaml") == canvas


@given(canvases(), st.sampled_from(["keep", "omit"]))
def test_any_canvas_reads_back_from_toml_without_its_defaults(canvas: Canvas, defaults: str) -> None:
    """Whichever option, the TOML text reads back to the same canvas."""
    assert loads(dumps(canvas, "toml", defaults=defaults), "toml") == canvas


# ---------------------------------------------------------------- any canvas, any comments

#: What a comment may say: printable text, no line break (and no ' #', which would start another comment).
COMMENT_TEXT = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"), exclude_characters="#\u2028\u2029\x85"),
    max_size=12,
).map(lambda text: ("# " + re.sub(r"\s+", " ", text).strip()).rstrip())


def _key_paths(canvas: Canvas) -> list[tuple[str | int, ...]]:
    """The path of each key and element of the canvas's document."""
    document = usager.to_dict(canvas)
    paths: list[tuple[str | int, ...]] = []
    for key, value in document.items():
        paths.append((key,))
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for n, element in enumerate(value):
                paths += [(key, n), *((key, n, k) for k in element)]
    return paths


@st.composite
def commented(draw: st.DrawFn, name: str) -> tuple[Canvas, str, list[str]]:
    """A canvas, its text in ``name`` with comments put above and at the end of some of its keys' lines, and those."""
    canvas = draw(canvases())
    compact = {"yaml": {"defaults": "omit", "layout": "compact"}, "toml": {"defaults": "omit"}}[name]
    text = dumps(canvas, name, **draw(st.sampled_from([{}, compact])))  # every key, or the keys fmt writes
    exporter = YAML if name == "yaml" else TOML
    locate = exporter.locator(text)
    lines = {locate(path, True)[0] for path in _key_paths(canvas) if locate(path, True) is not None}  # type: ignore[index]
    rows = text.split("\n")
    chosen = draw(st.lists(st.sampled_from(sorted(lines)), max_size=6)) if lines else []
    above: dict[int, list[str]] = {}
    after: dict[int, str] = {}
    for line in chosen:
        comment = draw(COMMENT_TEXT)
        if draw(st.booleans()) and line not in after and '"""' not in rows[line - 1]:
            after[line] = comment
        else:
            above.setdefault(line, []).append(comment)
    out = []
    for n, row in enumerate(rows, 1):
        out += above.get(n, [])
        out.append(f"{row}  {after[n]}" if n in after else row)
    return canvas, "\n".join(out), [*after.values(), *(c for cs in above.values() for c in cs)]


@pytest.mark.parametrize("name", ["yaml", "toml"])
@given(data=st.data())
def test_fmt_of_any_commented_canvas_keeps_the_canvas_and_every_comment(name: str, data: st.DataObject) -> None:
    """Any canvas with comments at any of its keys: the rewrite reads back to it, holds each comment, and is stable."""
    canvas, text, comments = data.draw(commented(name))
    exporter = YAML if name == "yaml" else TOML
    written = exporter.reformat(text)
    assert loads(written, name) == canvas
    rows = [row.rstrip() for row in written.split("\n")]
    for comment, count in Counter(comments).items():
        assert sum(row.endswith(comment) for row in rows) >= count, comment
    assert exporter.reformat(written) == written
