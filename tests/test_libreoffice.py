"""Canvas CSV files opened and saved again by the real LibreOffice Calc load back equal.

Each round trip imports a canvas CSV the way the docs say (UTF-8, comma, "Detect special
numbers" on: the import that rewrites the most) and saves it again as CSV, in an English
LibreOffice (saving with commas) and a French one (saving with semicolons and decimal
commas). LibreOffice starts slowly, so every file goes through one ``soffice`` call per
language, each with a fresh profile.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from usager import Brake, Canvas, Experience, Metric, Persona, Stage, Usager, dumps, loads
from usager.examples import mediatheque
from usager.exporters.csv import COLUMNS

# Each test waits on a real LibreOffice; USAGER_TESTS=thorough (and so CI) runs them.
pytestmark = pytest.mark.slow

#: Text a spreadsheet likes to rewrite: numbers, amounts, percentages, dates, times, booleans, spaces.
TRICKY = [
    "007", "1.10", "50%", "1e5", "1.0e-3", "12.", ".5", "00", "1,5", "1 000", "(5)", "€12", "$5", "12 €",
    "TRUE", "false", "VRAI", "2024-01-02", "01/02/2024", "1/2", "12:30", "Jan 2", "2-Jan", "3 févr.",
    " leading", "trailing ", "  both  ", "multi\nline", "=1+1", "-5", "+33 6 12 34 56", "'quoted",
]  # fmt: skip


def tricky() -> Canvas:
    """A canvas whose ids, texts and numbers are the cells a spreadsheet would rewrite."""
    return Canvas(
        name="007",
        description="1.10",
        language="fr",
        personas=[Persona(id="1e5", name="50%", goals=TRICKY)],
        stages=[Stage(id="007", kind="usage", label="2024-01-02"), Stage(id="1.10", kind="purchase")],
        brakes=[
            Brake(id=f"b{n}", label=text if text.strip() else "x", stage="007", description=text, evidence=[text])
            for n, text in enumerate(TRICKY)
        ],
        usagers=[Usager(id="12", name="TRUE", persona="1e5", stage="1.10", lead_user=True)],
        experiences=[Experience(id="e", stage="007", score=-2, emotion="00")],
        metrics=[
            Metric(id=f"m{n}", label="M", stage="1.10", target=value, current=-value)
            for n, value in enumerate([1.5, 0.1 + 0.2, 1e-05, 1e20, 12345678901234567891, 3, 100.0])
        ],
    )


CANVASES = {"tricky": tricky, "example": mediatheque}
#: Import options (LibreOffice's CSV filter tokens): separator, quote, UTF-8, first line, no column
#: formats, locale, "quoted field as text" off, "detect special numbers" on.
IMPORT = {"en": "44,34,76,1,,1033,false,true", "fr": "44,34,76,1,,1036,false,true"}
#: Export options: English LibreOffice saves with commas, French with semicolons; UTF-8.
EXPORT = {"en": "44,34,76,1", "fr": "59,34,76,1"}
#: The language of LibreOffice itself, which also writes the numbers it saves (1,00E-05 in French).
LOCALES = {"en": "en-US", "fr": "fr-FR"}
_SETTING = '<prop oor:name="{name}" oor:op="fuse"><value>{{locale}}</value></prop>'
LOCALE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry">\n'
    + "".join(
        f'<item oor:path="/org.openoffice.Setup/L10N">{_SETTING.format(name=name)}</item>\n'
        for name in ("ooLocale", "ooSetupSystemLocale")
    )
    + "</oor:items>\n"
)


def require_soffice() -> str:
    """The path of ``soffice``; without it, skip locally and fail in CI (where it must be installed)."""
    path = shutil.which("soffice")
    if path is None:
        message = "LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def calc_round_trip(soffice: str, folder: Path, language: str, files: list[Path]) -> Path:
    """Open ``files`` in Calc with the ``language`` import options and save them as CSV again; the output folder."""
    out = folder / f"saved-{language}"
    profile = folder / f"profile-{language}"  # a fresh profile: nothing of the machine's settings
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(LOCALE.format(locale=LOCALES[language]))
    filter_name = "Text - txt - csv (StarCalc)"
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        f"--infilter={filter_name}:{IMPORT[language]}",
        "--convert-to",
        f"csv:{filter_name}:{EXPORT[language]}",
        "--outdir",
        str(out),
        *map(str, files),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    return out


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each canvas, and a raw table of the tricky texts, saved back by Calc: ``{"en-tricky": path, ...}``."""
    soffice = require_soffice()
    folder = tmp_path_factory.mktemp("calc")
    result: dict[str, Path] = {}
    for language in IMPORT:
        source = folder / f"source-{language}"
        source.mkdir()
        files = []
        for name, make in CANVASES.items():
            path = source / f"{language}-{name}.csv"
            path.write_text(dumps(make(), "csv"), encoding="utf-8", newline="")
            files.append(path)
        raw = source / f"{language}-raw.csv"  # the same texts, unprotected
        with raw.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([["text"], *([t] for t in TRICKY)])
        files.append(raw)
        out = calc_round_trip(soffice, folder, language, files)
        result.update({path.stem: out / path.name for path in files})
    return result


@pytest.mark.parametrize("name", list(CANVASES))
def test_an_english_calc_round_trip_loads_back_equal(saved: dict[str, Path], name: str) -> None:
    """Opened in an English Calc and saved as CSV, the canvas loads back equal."""
    assert loads(saved[f"en-{name}"].read_bytes(), "csv") == CANVASES[name]()


@pytest.mark.parametrize("name", list(CANVASES))
def test_a_french_calc_round_trip_saved_with_semicolons_loads_back_equal(saved: dict[str, Path], name: str) -> None:
    """Opened in a French LibreOffice and saved with ';' separators, the canvas loads back equal."""
    text = saved[f"fr-{name}"].read_bytes()
    assert text.splitlines()[0].count(b";") == len(COLUMNS) - 1
    assert loads(text, "csv") == CANVASES[name]()


def test_calc_rewrites_the_same_texts_left_unprotected(saved: dict[str, Path]) -> None:
    """Without the writer's quote, Calc turns '007' into 7, '1.10' into 1.1 and '1e5' into 1.00E+05."""
    with saved["en-raw"].open(encoding="utf-8", newline="") as handle:
        cells = [row[0] for row in csv.reader(handle)]
    assert [cells[1 + TRICKY.index(t)] for t in ("007", "1.10", "1e5")] == ["7", "1.1", "1.00E+05"]


def test_the_french_calc_writes_numbers_its_own_way(saved: dict[str, Path]) -> None:
    """The French round trip is one: unprotected, '1e5' comes back from it as 1,00E+05."""
    with saved["fr-raw"].open(encoding="utf-8", newline="") as handle:
        cells = [row[0] for row in csv.reader(handle, delimiter=";")]
    assert cells[1 + TRICKY.index("1e5")] == "1,00E+05"
