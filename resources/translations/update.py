"""Refresh Kindred's translations after UI strings change.

    uv run python resources/translations/update.py

Runs ``pyside6-lupdate`` over ``player/ui/**/*.py`` into every ``kindred_<code>.ts``
here (existing translations are kept; strings that left the code are dropped),
then ``pyside6-lrelease`` into the ``.qm`` files the app loads, and prints how
many messages each language still lacks. English source strings are the
English text, so ``kindred_en.ts`` only carries the plural forms ("%n tracks").
New strings arrive as ``type="unfinished"``: translate them in Qt Linguist
(``pyside6-linguist``) or any editor, then run this again.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "zh_CN")


def tool(name: str) -> str:
    """The path of a Qt tool shipped with PySide6 (next to this Python, else on PATH)."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: run this with the project's environment (uv run)")
    return found


def sources(root: Path = ROOT) -> list[str]:
    """The files lupdate reads, relative to *root* (stable order, stable output)."""
    return sorted(str(p.relative_to(root)) for p in (root / "player" / "ui").rglob("*.py"))


def ts_file(code: str, folder: Path = HERE) -> Path:
    return folder / f"kindred_{code}.ts"


def qm_file(code: str, folder: Path = HERE) -> Path:
    return folder / f"kindred_{code}.qm"


def lupdate(code: str, ts: Path, root: Path = ROOT) -> None:
    """Merge the strings in the code into *ts* (created when missing)."""
    args = [tool("pyside6-lupdate"), *sources(root), "-ts", str(ts)]
    args += ["-source-language", SOURCE_LANGUAGE, "-target-language", code]
    args += ["-no-obsolete", "-locations", "none", "-silent"]
    if code == SOURCE_LANGUAGE:
        args.append("-pluralonly")
    subprocess.run(args, cwd=root, check=True)


def lrelease(ts: Path, qm: Path) -> None:
    """Compile *ts* into *qm*."""
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def unfinished(ts: Path) -> list[tuple[str, str]]:
    """``(context, source)`` of every message in *ts* that still lacks a translation."""
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") == "unfinished":
                missing.append((name, message.findtext("source", "")))
    return missing


def main() -> int:
    for code in LANGUAGES:
        lupdate(code, ts_file(code))
        lrelease(ts_file(code), qm_file(code))
    for code in LANGUAGES:
        missing = unfinished(ts_file(code))
        print(f"{code}: {len(missing)} unfinished")
        for context, source in missing:
            print(f"  {context}: {source!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
