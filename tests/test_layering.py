"""The dependency rules of DESIGN.md, enforced by walking every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "player"

#: which top-level parts of `player` each part may import (itself always allowed)
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "songid": set(),
    "config": {"errors"},
    "library": {"errors", "config", "songid"},
    "audio": {"errors", "config", "library"},
    "recommend": {"errors", "config", "library", "songid"},
    "social": {"errors", "config", "library", "songid"},
    "social.server": {"errors", "songid"},
    "ui": {"errors", "config", "audio", "library", "recommend", "social"},
    "app": {"*"},
    "cli": {"*"},
    "__init__": set(),
    "__main__": {"*"},
}

VLC_MODULES = {"player.audio.vlc_engine"}


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1] or parts
    return ".".join(parts)


def part_of(module: str) -> str:
    """The layer a `player.*` module belongs to."""
    parts = module.split(".")[1:]
    if not parts:
        return "__init__"
    if parts[:2] == ["social", "server"]:
        return "social.server"
    return parts[0]


def imports_of(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[str, int]] = []
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((name, node.lineno))
            found.extend((f"{name}.{alias.name}", node.lineno) for alias in node.names)
    return found


def violations_in(path: Path) -> list[str]:
    module = module_name(path)
    layer = part_of(module)
    allowed = ALLOWED.get(layer)
    problems = []
    for name, line in imports_of(path):
        where = f"{path.relative_to(ROOT)}:{line}"
        top = name.split(".")[0]
        if top == "PySide6" and layer != "ui":
            problems.append(f"{where}: PySide6 imported outside player/ui ({name})")
        if top == "vlc" and module not in VLC_MODULES:
            problems.append(f"{where}: vlc imported outside the libVLC engine module ({name})")
        if top != "player" or allowed is None or "*" in allowed:
            continue
        target = part_of(name)
        if target in ("__init__", layer) or (layer == "social" and target == "social.server"):
            continue
        if target not in allowed:
            problems.append(f"{where}: {layer} must not import {target} ({name})")
    return problems


def all_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_follows_the_dependency_rules() -> None:
    problems = [p for path in all_modules() for p in violations_in(path)]
    assert not problems, "\n".join(problems)


def test_every_layer_is_known() -> None:
    unknown = {part_of(module_name(p)) for p in all_modules()} - set(ALLOWED)
    assert not unknown, f"modules outside the layers of DESIGN.md: {unknown}"


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("player/library/bad.py", "import PySide6.QtCore\n", "PySide6 imported outside"),
        ("player/library/bad.py", "from player.ui import widgets\n", "library must not import ui"),
        (
            "player/recommend/bad.py",
            "from player.audio import engine\n",
            "recommend must not import audio",
        ),
        ("player/audio/bad.py", "import vlc\n", "vlc imported outside"),
        (
            "player/social/server/bad.py",
            "from player.library import db\n",
            "social.server must not import library",
        ),
        (
            "player/social/server/bad.py",
            "from player.social import client\n",
            "social.server must not import social",
        ),
        ("player/library/bad.py", "from ..ui import widgets\n", "library must not import ui"),
    ],
)
def test_the_checker_catches_violations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, source: str, expected: str
) -> None:
    fake_root = tmp_path
    target = fake_root / module
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", fake_root)
    problems = violations_in(target)
    assert any(expected in p for p in problems), problems


def test_allowed_imports_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "player/ui/ok.py"
    target.parent.mkdir(parents=True)
    target.write_text(
        "import PySide6\nfrom player.library import db\nfrom player.audio import queue\n"
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert violations_in(target) == []
