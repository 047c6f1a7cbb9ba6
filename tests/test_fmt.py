"""The command line for people who write canvases by hand: ``usager fmt`` and ``usager new --example``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import usager
from usager import Language, Severity, check, dumps, load
from usager.cli import main
from usager.examples import repair_cafe

from .test_cli import run


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".toml", ".json", ".csv"])
def test_new_example_writes_the_format_of_the_suffix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    """new --example -o FILE writes the example in the format the suffix names, and it reads back."""
    target = tmp_path / f"mine{suffix}"
    code, out, err = run(capsys, "new", "--example", "-o", str(target))
    assert (code, out) == (0, "")
    assert err == f"wrote {target}\nEdit it, then check it: usager check {target}\n"
    assert target.read_bytes() == dumps(repair_cafe("en"), usager.exporters.name_for_path(target)).encode("utf-8")
    assert load(target) == repair_cafe("en")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_example_is_complete_and_has_no_error(language: str) -> None:
    """The example has elements in every list and no error finding, in both languages."""
    canvas = repair_cafe(language)
    assert canvas.language is Language(language)
    assert all(len(getattr(canvas, name)) >= 1 for name, _ in usager.canvas.ELEMENT_LISTS)
    assert [f for f in check(canvas) if f.severity is Severity.ERROR] == []


def test_the_french_example_speaks_french(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--language fr writes the French example, and says what to do next in French."""
    target = tmp_path / "mine.toml"
    code, _, err = run(capsys, "new", "--example", "--language", "fr", "-o", str(target))
    assert code == 0
    assert load(target).description.startswith("Des voisins réparent")
    assert f"Modifiez-le, puis vérifiez-le : usager check {target}" in err


def test_new_example_without_output_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    """Without -o, the example is printed as JSON."""
    code, out, _ = run(capsys, "new", "--example", "--name", "Mine")
    assert code == 0
    assert usager.loads(out, "json").name == "Mine"


def test_new_example_refuses_to_replace_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An existing file is kept unless --force is given."""
    target = tmp_path / "mine.yaml"
    target.write_text("mine", encoding="utf-8")
    code, _, err = run(capsys, "new", "--example", "-o", str(target))
    assert code == 2
    assert err == f"usager: error: {target} exists already; use --force to replace it\n"
    assert target.read_text(encoding="utf-8") == "mine"


def test_new_example_refuses_a_format_it_cannot_read_back(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An example is a file to edit: a drawing suffix is refused with the suffixes that work."""
    code, _, err = run(capsys, "new", "--example", "-o", str(tmp_path / "mine.svg"))
    assert code == 2
    assert err.startswith(f"usager: error: {tmp_path / 'mine.svg'}: write the example as a canvas usager reads back: ")
    assert ".yaml" in err
    assert not (tmp_path / "mine.svg").exists()


def test_a_hand_mistake_in_the_example_is_named_at_its_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Done as a person would: the example, a typo in a key, and check names the line, the column and the fix."""
    target = tmp_path / "mine.yaml"
    run(capsys, "new", "--example", "-o", str(target))
    text = target.read_text(encoding="utf-8")
    line = text.split("\n").index("    label: Repair jargon scares newcomers") + 1
    target.write_text(text.replace("    label: Repair jargon", "    lable: Repair jargon"), encoding="utf-8")
    code, _, err = run(capsys, "check", str(target))
    assert code == 2
    assert err.splitlines()[0] == (
        f"usager: error: {target}:{line}:5: brake 'jargon', $.brakes[0].lable: unknown key 'lable' "
        "(did you mean 'label'?); the keys here are: id, label, stage, description, kind, personas, severity, "
        "evidence, tags, suppress"
    )


#: The options of each format's writer that give the text fmt writes.
FMT_OPTIONS: dict[str, dict[str, str]] = {
    "yaml": {"defaults": "omit", "layout": "compact"},
    "toml": {"defaults": "omit"},
}


def formatted(canvas: usager.Canvas, name: str) -> str:
    """The text fmt writes for ``canvas`` in the format ``name`` (a file without comments)."""
    return dumps(canvas, name, **FMT_OPTIONS.get(name, {}))


@pytest.fixture
def untidy(tmp_path: Path) -> dict[str, Path]:
    """The example as JSON, YAML and TOML, each written by hand in a way of its own (not canonical)."""
    canvas = repair_cafe("en")
    paths = {}
    for suffix, text in [
        (".json", dumps(canvas, "json", indent=4)),
        (".yaml", dumps(canvas, "yaml").replace("name: Repair café", "name:    'Repair café'")),
        (".toml", dumps(canvas, "toml").replace('format = "usager/2"', "format   =   'usager/2'")),
    ]:
        paths[suffix] = tmp_path / f"untidy{suffix}"
        paths[suffix].write_text(text, encoding="utf-8")
    return paths


def test_fmt_rewrites_each_file_canonically(capsys: pytest.CaptureFixture[str], untidy: dict[str, Path]) -> None:
    """fmt rewrites every file in place as the canonical text of its format."""
    code, out, err = run(capsys, "fmt", *map(str, untidy.values()))
    assert (code, out) == (0, "")
    assert err.splitlines()[-1] == "3 files reformatted, 0 already canonical"
    for path in untidy.values():
        assert path.read_text(encoding="utf-8") == formatted(repair_cafe("en"), usager.exporters.name_for_path(path))


def test_fmt_leaves_canonical_files_alone(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A canonical file is not rewritten: its modification time stays."""
    target = tmp_path / "mine.yaml"
    target.write_text(formatted(repair_cafe("en"), "yaml"), encoding="utf-8")
    os.utime(target, (1_000_000, 1_000_000))
    code, _, err = run(capsys, "fmt", str(target))
    assert (code, err) == (0, "0 files reformatted, 1 already canonical\n")
    assert target.stat().st_mtime == 1_000_000


def test_fmt_check_lists_what_would_change_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], untidy: dict[str, Path], tmp_path: Path
) -> None:
    """--check exits 1 listing the files that would change, and leaves every file as it was."""
    tidy = tmp_path / "tidy.yaml"
    tidy.write_text(formatted(repair_cafe("en"), "yaml"), encoding="utf-8")
    before = {path: path.read_bytes() for path in [*untidy.values(), tidy]}
    code, out, err = run(capsys, "fmt", "--check", str(tidy), *map(str, untidy.values()))
    assert code == 1
    assert out == "".join(f"would reformat {path}\n" for path in untidy.values())
    assert err == "3 files would be reformatted, 1 already canonical\n"
    assert {path: path.read_bytes() for path in before} == before


def test_fmt_check_passes_on_canonical_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--check exits 0 when every file is canonical."""
    tidy = tmp_path / "tidy.toml"
    tidy.write_text(formatted(repair_cafe("fr"), "toml"), encoding="utf-8")
    assert run(capsys, "fmt", "--check", str(tidy))[0] == 0


def test_fmt_reports_each_unreadable_file_on_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An unreadable file is one 'usager: error:' line and exit 2; the other files are still formatted."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: usager/2\nname: x\nstages: [\n", encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(dumps(repair_cafe("en"), "json", indent=4), encoding="utf-8")
    code, _, err = run(capsys, "fmt", str(bad), str(tmp_path / "missing.toml"), str(good))
    assert code == 2
    lines = err.splitlines()
    assert lines[0].startswith(f"usager: error: {bad}:4:1: not valid YAML")
    assert lines[1] == f"usager: error: {tmp_path / 'missing.toml'}: no such file"
    assert lines[2:] == [f"reformatted {good}", "1 file reformatted, 0 already canonical; 2 could not be formatted"]
    assert good.read_text(encoding="utf-8") == dumps(repair_cafe("en"), "json")


def test_fmt_keeps_the_comments_of_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A file with comments is rewritten with them: the one above the first key stays at the top."""
    target = tmp_path / "mine.yaml"
    text = "# the workshop of May\n" + dumps(repair_cafe("en"), "yaml").replace(
        "name: Repair café", "name:   Repair café"
    )
    target.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "fmt", str(target))
    assert (code, err) == (0, f"reformatted {target}\n1 file reformatted, 0 already canonical\n")
    assert target.read_text(encoding="utf-8") == "# the workshop of May\n" + formatted(repair_cafe("en"), "yaml")


def test_fmt_refuses_the_comments_of_a_format_that_cannot_keep_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A format that finds comments but cannot rewrite with them (a plugin's) keeps the file; the error names the lines.

    The YAML exporter's loading and comment finding, without its ``reformat``, stand for such a format.
    """
    yaml = usager.exporters.get("yaml")

    class Plain:
        name, suffixes, media_type, binary = yaml.name, yaml.suffixes, yaml.media_type, yaml.binary
        export = yaml.export
        load = yaml.load  # type: ignore[attr-defined]
        comments = yaml.comments  # type: ignore[attr-defined]

    get = usager.exporters.get
    assert isinstance(Plain(), usager.exporters.Commenting)
    assert not isinstance(Plain(), usager.exporters.Reformatting)
    target = tmp_path / "mine.yaml"
    text = "# the workshop of May\n" + dumps(repair_cafe("en"), "yaml").replace("name: Repair", "name:  Repair")
    target.write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(usager.exporters, "get", lambda name: Plain() if name == "yaml" else get(name))
        code, _, err = run(capsys, "fmt", str(target))
    assert code == 2
    assert err.splitlines()[0] == (
        f"usager: error: {target}:1: the file has comments (line 1), which a rewrite would drop; "
        "move what they say into the canvas's descriptions, or remove them"
    )
    assert target.read_text(encoding="utf-8") == text


def test_fmt_refuses_a_format_it_cannot_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A drawing is no canvas to format: one error line, exit 2."""
    target = tmp_path / "mine.dot"
    target.write_text("digraph {}", encoding="utf-8")
    code, _, err = run(capsys, "fmt", str(target))
    assert code == 2
    assert err.splitlines()[0].startswith(f"usager: error: {target}: fmt rewrites the formats usager reads back")


def test_fmt_keeps_the_file_mode(capsys: pytest.CaptureFixture[str], untidy: dict[str, Path]) -> None:
    """The rewritten file keeps its permissions (the atomic write replaces it in place)."""
    path = untidy[".yaml"]
    path.chmod(0o640)
    assert main(["fmt", str(path)]) == 0
    assert path.stat().st_mode & 0o777 == 0o640


def test_fmt_keeps_the_schema_comment_it_writes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The yaml-language-server comment that the writer makes from $schema is written once, not twice."""
    target = tmp_path / "mine.yaml"
    canvas = usager.Canvas(name="n", schema="usager.schema.json")
    target.write_text(dumps(canvas, "yaml").replace("name: n", "name:    n"), encoding="utf-8")
    assert main(["fmt", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == formatted(canvas, "yaml")
    assert formatted(canvas, "yaml").count("# yaml-language-server") == 1


def test_fmt_keeps_a_schema_comment_without_its_key(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A schema comment with no $schema key is a comment like another: it is kept where it stands."""
    target = tmp_path / "mine.yaml"
    target.write_text("# yaml-language-server: $schema=s.json\n" + dumps(repair_cafe("en"), "yaml"), encoding="utf-8")
    assert run(capsys, "fmt", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=s.json\n" + formatted(repair_cafe("en"), "yaml")
    )
