"""The dependency rules of DESIGN.md, enforced by walking every module's imports.

The rules, one test each on the real tree:

* the layers: which top-level part of `player` may import which, PySide6 only in
  `player/ui`, `vlc` only in the libVLC engine module, `social/server` isolated;
* the UI package order: kit < tracks < pages, playback < playlists, foryou,
  comments < desktop < settings < window (`ui/main.py` and `ui/__init__.py` sit
  above them all); a module imports its own package or strictly lower ones;
* `.conn` (a database connection) is touched only in `library/store/` and
  `social/server/`, and SQL is written only in the library and the modules that
  own the other tables (`recommend/store`, `recommend/feedback`,
  `social/outbox`, `social/songs`, the comment server);
* no import cycle between modules of `player`, counting every import: at the
  top, inside functions and under `if TYPE_CHECKING:`.

Every import is resolved to the module it loads: relative imports against their
package, `from pkg import name` to the submodule `pkg.name` when there is one
(else to `pkg`, its `__init__`). Importing `a.b.c` is counted as importing
`a.b.c` only, not the `__init__` of `a` and `a.b` that Python runs first.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

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

#: the rank of each package of `player/ui`; a module may import its own package
#: or one of strictly lower rank
UI_RANKS: dict[str, int] = {
    "kit": 0,
    "tracks": 1,
    "pages": 2,
    "playback": 2,
    "playlists": 3,
    "foryou": 3,
    "comments": 3,
    "desktop": 4,
    "settings": 5,
    "window": 6,
}
#: `player/ui/main.py` and `player/ui/__init__.py`: above every package
UI_TOP_RANK = max(UI_RANKS.values()) + 1

#: where code may touch a database connection (`something.conn`)
CONN_ALLOWED = ("player.library.store", "player.social.server")

#: where SQL text may be written: the library (the store and the library's own
#: domains), the modules that own the recommender's and the comments' tables,
#: and the comment server
SQL_ALLOWED = (
    "player.library",
    "player.recommend.store",
    "player.recommend.feedback",
    "player.social.outbox",
    "player.social.songs",
    "player.social.server",
)
#: a string that starts like a SQL statement: an upper-case keyword, or a
#: lower-case statement with its second word ("select ... from", "insert into")
SQL_START = re.compile(
    r"\s*(?:(?:SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|WITH|PRAGMA)\s+\S"
    r"|(?i:select\s.*\bfrom\s|insert\s+into\s|update\s+\w+\s+set\s|delete\s+from\s"
    r"|create\s+(?:table|index|view|trigger)\s))",
    re.DOTALL,
)


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1] or parts
    return ".".join(parts)


def is_module(name: str, root: Path = ROOT) -> bool:
    """Whether `name` is a module (a `.py` file or a package) under `root`."""
    base = root.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def part_of(module: str) -> str:
    """The layer a `player.*` module belongs to."""
    parts = module.split(".")[1:]
    if not parts:
        return "__init__"
    if parts[:2] == ["social", "server"]:
        return "social.server"
    return parts[0]


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imports_of(path: Path, root: Path = ROOT) -> list[tuple[str, int]]:
    """Every name an import statement of `path` mentions, with its line.

    `from m import a` gives both `m` and `m.a`, which is what the layer rules
    need (a name's top-level part is all they look at).
    """
    found: list[tuple[str, int]] = []
    for node, base in _import_nodes(path, root):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        else:
            found.append((base, node.lineno))
            found.extend((f"{base}.{alias.name}", node.lineno) for alias in node.names)
    return found


def targets_of(path: Path, root: Path = ROOT) -> list[tuple[str, int]]:
    """The modules the imports of `path` load, with the line of each import.

    `from m import a` loads `m.a` when that is a module, else `m` (its
    `__init__`); `import m.a` loads `m.a`.
    """
    found: list[tuple[str, int]] = []
    for node, base in _import_nodes(path, root):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
            continue
        for alias in node.names:
            sub = f"{base}.{alias.name}"
            found.append((sub if is_module(sub, root) else base, node.lineno))
    return found


def _import_nodes(path: Path, root: Path) -> Iterable[tuple[ast.Import | ast.ImportFrom, str]]:
    """Each import statement anywhere in `path` and, for `from`, its absolute module."""
    package = module_name(path, root)
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            yield node, ""
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            yield node, name


def where(path: Path, line: int, root: Path = ROOT) -> str:
    return f"{path.relative_to(root)}:{line}"


# -- rule 1: layers, PySide6, vlc ---------------------------------------------------


def violations_in(path: Path, root: Path = ROOT) -> list[str]:
    """Breaches of the layer rules (and of the PySide6 and vlc rules) in `path`."""
    module = module_name(path, root)
    layer = part_of(module)
    allowed = ALLOWED.get(layer)
    problems = []
    for name, line in imports_of(path, root):
        at = where(path, line, root)
        top = name.split(".")[0]
        if top == "PySide6" and layer != "ui":
            problems.append(f"{at}: PySide6 imported outside player/ui ({name})")
        if top == "vlc" and module not in VLC_MODULES:
            problems.append(f"{at}: vlc imported outside the libVLC engine module ({name})")
        if top != "player" or allowed is None or "*" in allowed:
            continue
        target = part_of(name)
        if target in ("__init__", layer) or (layer == "social" and target == "social.server"):
            continue
        if target not in allowed:
            problems.append(f"{at}: {layer} must not import {target} ({name})")
    return problems


# -- rule 2: the UI package order -----------------------------------------------------


def ui_package(module: str) -> str | None:
    """The `player/ui` package of `module` ("" for main and the `__init__`), or None."""
    parts = module.split(".")
    if parts[:2] != ["player", "ui"]:
        return None
    if len(parts) == 2 or parts[2] == "main":
        return ""
    return parts[2]


def ui_rank(package: str) -> int | None:
    return UI_TOP_RANK if package == "" else UI_RANKS.get(package)


def ui_order_violations(path: Path, root: Path = ROOT) -> list[str]:
    """Breaches of the UI package order in `path` (nothing outside `player/ui`)."""
    module = module_name(path, root)
    own = ui_package(module)
    if own is None:
        return []
    rel = path.relative_to(root)
    if own and (own not in UI_RANKS or path.parent == root / "player" / "ui"):
        return [f"{rel}: unknown UI package {own!r} (not in the order of tests/test_layering.py)"]
    rank = ui_rank(own)
    assert rank is not None
    problems = []
    for target, line in targets_of(path, root):
        other = ui_package(target)
        if other is None or other == own:
            continue
        other_rank = ui_rank(other)
        at = where(path, line, root)
        if other_rank is None:
            problems.append(f"{at}: unknown UI package {other!r} imported ({target})")
        elif other_rank >= rank:
            relation = "the same rank as" if other_rank == rank else "above"
            problems.append(
                f"{at}: ui.{own} must not import ui.{other or 'main'}, "
                f"which is {relation} it ({target})"
            )
    return problems


# -- rule 3: connections and SQL only in the store ------------------------------------


def inside(module: str, homes: Iterable[str]) -> bool:
    """Whether `module` is one of `homes` or inside one of those packages."""
    return any(module == home or module.startswith(home + ".") for home in homes)


def conn_violations(path: Path, root: Path = ROOT) -> list[str]:
    """Every `.conn` in `path` unless it is in `library/store` or `social/server`."""
    if inside(module_name(path, root), CONN_ALLOWED):
        return []
    lines = sorted(
        node.lineno
        for node in ast.walk(parse(path))
        if isinstance(node, ast.Attribute) and node.attr == "conn"
    )
    return [
        f"{where(path, line, root)}: .conn outside player/library/store and player/social/server"
        for line in lines
    ]


def sql_violations(path: Path, root: Path = ROOT) -> list[str]:
    """Every SQL statement written in `path` outside the modules that own tables."""
    if inside(module_name(path, root), SQL_ALLOWED):
        return []
    lines = sorted(
        {
            node.lineno
            for node in ast.walk(parse(path))
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and SQL_START.match(node.value)
        }
    )
    return [
        f"{where(path, line, root)}: SQL outside the store and the tables' owners" for line in lines
    ]


# -- rule 4: no import cycles ---------------------------------------------------------


def import_graph(root: Path = ROOT) -> dict[str, dict[str, str]]:
    """module -> {imported module -> where the first such import is}, `player` only."""
    paths = {module_name(p, root): p for p in modules_under(root)}
    graph: dict[str, dict[str, str]] = {}
    for module, path in paths.items():
        edges = graph.setdefault(module, {})
        for target, line in targets_of(path, root):
            if target in paths and target != module:
                edges.setdefault(target, where(path, line, root))
    return graph


def strongly_connected(graph: dict[str, dict[str, str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def shortest_path(graph: dict[str, dict[str, str]], start: str, goal: str, within: set[str]):
    """The shortest chain of imports from `start` to `goal` inside `within`."""
    previous: dict[str, str] = {start: start}
    frontier = [start]
    while frontier and goal not in previous:
        following = []
        for node in frontier:
            for child in sorted(graph[node]):
                if child in within and child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    path = [goal]
    while path[-1] != start:
        path.append(previous[path[-1]])
    return path[::-1]


def import_cycles(root: Path = ROOT) -> list[str]:
    """Each import cycle in `player`, as a chain `a -(file:line)-> b -> ... -> a`.

    For every strongly connected component, enough cycles are listed that each
    import between its members appears in one of them.
    """
    graph = import_graph(root)
    cycles = []
    for component in strongly_connected(graph):
        if len(component) < 2:
            continue
        members = set(component)
        covered: set[tuple[str, str]] = set()
        for source in component:
            for target in sorted(graph[source]):
                if target not in members or (source, target) in covered:
                    continue
                chain = [source, *shortest_path(graph, target, source, members)]
                covered.update(itertools.pairwise(chain))
                links = [chain[0]]
                for a, b in itertools.pairwise(chain):
                    links.append(f" -({graph[a][b]})-> {b}")
                cycles.append("".join(links))
    return cycles


# -- the tree -------------------------------------------------------------------------


def modules_under(root: Path = ROOT) -> list[Path]:
    return sorted((root / "player").rglob("*.py"))


def all_problems(root: Path) -> list[str]:
    """Every breach of every rule under `root` (the checker's own tests use this)."""
    per_file = [
        problem
        for path in modules_under(root)
        for check in (violations_in, ui_order_violations, conn_violations, sql_violations)
        for problem in check(path, root)
    ]
    return per_file + import_cycles(root)


def test_every_module_follows_the_dependency_rules() -> None:
    problems = [p for path in modules_under() for p in violations_in(path)]
    assert not problems, "\n".join(problems)


def test_every_layer_is_known() -> None:
    unknown = {part_of(module_name(p)) for p in modules_under()} - set(ALLOWED)
    assert not unknown, f"modules outside the layers of DESIGN.md: {unknown}"


def test_ui_package_order() -> None:
    problems = [p for path in modules_under() for p in ui_order_violations(path)]
    assert not problems, "\n".join(problems)


def test_conn_only_in_the_store() -> None:
    problems = [p for path in modules_under() for p in conn_violations(path)]
    assert not problems, f"{len(problems)} uses of .conn:\n" + "\n".join(problems)


def test_sql_only_where_its_tables_live() -> None:
    problems = [p for path in modules_under() for p in sql_violations(path)]
    assert not problems, f"{len(problems)} SQL statements:\n" + "\n".join(problems)


def test_no_import_cycles() -> None:
    cycles = import_cycles()
    assert not cycles, f"{len(cycles)} import cycles:\n" + "\n".join(cycles)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"player/library/bad.py": "import PySide6.QtCore\n"}, "PySide6 imported outside"),
        (
            {"player/library/bad.py": "from player.ui import widgets\n"},
            "library must not import ui",
        ),
        (
            {"player/recommend/bad.py": "from player.audio import engine\n"},
            "recommend must not import audio",
        ),
        ({"player/audio/bad.py": "import vlc\n"}, "vlc imported outside"),
        (
            {"player/social/server/bad.py": "from player.library import db\n"},
            "social.server must not import library",
        ),
        (
            {"player/social/server/bad.py": "from player.social import client\n"},
            "social.server must not import social",
        ),
        ({"player/library/bad.py": "from ..ui import widgets\n"}, "library must not import ui"),
        # the UI package order
        (
            {
                "player/ui/kit/bad.py": "from player.ui.tracks import model\n",
                "player/ui/tracks/model.py": "",
            },
            "ui.kit must not import ui.tracks, which is above it",
        ),
        (
            {
                "player/ui/pages/bad.py": "from ..playback.queue import QueuePanel\n",
                "player/ui/playback/queue.py": "",
            },
            "ui.pages must not import ui.playback, which is the same rank as it",
        ),
        (
            {"player/ui/foryou/bad.py": "import player.ui.comments.panel\n"},
            "ui.foryou must not import ui.comments, which is the same rank as it",
        ),
        (
            {"player/ui/window/bad.py": "from player.ui import main\n", "player/ui/main.py": ""},
            "ui.window must not import ui.main, which is above it",
        ),
        ({"player/ui/gadgets/thing.py": "x = 1\n"}, "unknown UI package 'gadgets'"),
        ({"player/ui/loose.py": "x = 1\n"}, "unknown UI package 'loose'"),
        (
            {"player/ui/kit/bad.py": "from player.ui.gadgets import thing\n"},
            "unknown UI package 'gadgets' imported",
        ),
        # connections only in the store
        (
            {"player/ui/kit/bad.py": "def f(db):\n    return db.conn.execute('select 1')\n"},
            "player/ui/kit/bad.py:2: .conn outside",
        ),
        (
            {"player/library/bad.py": "rows = library.conn\n"},
            "player/library/bad.py:1: .conn outside",
        ),
        # SQL only where its tables live
        (
            {
                "player/ui/tracks/bad.py": "def f(db):\n    return db.query('SELECT id FROM tracks')\n"
            },
            "player/ui/tracks/bad.py:2: SQL outside",
        ),
        (
            {"player/cli/bad.py": 'ROWS = """\n  select count(*) from plays"""\n'},
            "player/cli/bad.py:1: SQL outside",
        ),
        (
            {"player/recommend/shelves.py": "Q = f'UPDATE tracks SET x = {1}'\n"},
            "player/recommend/shelves.py:1: SQL outside",
        ),
        # import cycles
        (
            {
                "player/audio/a.py": "from player.audio import b\n",
                "player/audio/b.py": "import player.audio.a\n",
            },
            "player.audio.a -(player/audio/a.py:1)-> player.audio.b "
            "-(player/audio/b.py:1)-> player.audio.a",
        ),
        (
            {
                "player/audio/a.py": "from . import b\n",
                "player/audio/b.py": "def f():\n    from .a import thing\n    return thing\n",
            },
            "player.audio.a -(player/audio/a.py:1)-> player.audio.b "
            "-(player/audio/b.py:2)-> player.audio.a",
        ),
        (
            {
                "player/audio/a.py": "from player.audio.b import B\n",
                "player/audio/b.py": (
                    "from typing import TYPE_CHECKING\n"
                    "if TYPE_CHECKING:\n"
                    "    from player.audio.a import A\n"
                ),
            },
            "player.audio.a -(player/audio/a.py:1)-> player.audio.b "
            "-(player/audio/b.py:3)-> player.audio.a",
        ),
        (
            {
                "player/audio/a.py": "from player.audio.b import B\n",
                "player/audio/b.py": "from player.audio.c import C\n",
                "player/audio/c.py": "from player.audio.a import A\n",
            },
            "player.audio.a -(player/audio/a.py:1)-> player.audio.b "
            "-(player/audio/b.py:1)-> player.audio.c -(player/audio/c.py:1)-> player.audio.a",
        ),
        (
            {
                "player/cli/__init__.py": "from player.cli import demo\nEXIT = 1\n",
                "player/cli/demo.py": "from player.cli import EXIT\n",
            },
            "player.cli -(player/cli/__init__.py:1)-> player.cli.demo "
            "-(player/cli/demo.py:1)-> player.cli",
        ),
    ],
)
def test_the_checker_catches_violations(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    for name, source in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source, encoding="utf-8")
    problems = all_problems(tmp_path)
    assert any(expected in p for p in problems), problems


def test_allowed_code_passes(tmp_path: Path) -> None:
    files = {
        "player/__init__.py": "",
        "player/ui/__init__.py": "",
        "player/ui/main.py": "from player.ui.window import main_window\n",
        "player/ui/kit/__init__.py": "",
        "player/ui/kit/theme.py": "import PySide6\n",
        "player/ui/kit/tasks.py": "from . import theme\n",
        "player/ui/tracks/__init__.py": "",
        "player/ui/tracks/model.py": (
            "from player.library import db\nfrom player.audio import queue\n"
            "from player.ui.kit import tasks, theme\n"
        ),
        "player/ui/pages/__init__.py": "",
        "player/ui/pages/albums.py": "from player.ui.tracks.model import Model\n",
        "player/ui/playback/__init__.py": "",
        "player/ui/playback/bar.py": "from ..tracks import model\n",
        "player/ui/window/__init__.py": "",
        "player/ui/window/main_window.py": (
            "from player.ui.pages import albums\nfrom player.ui.playback import bar\n"
        ),
        "player/library/__init__.py": "",
        "player/library/db.py": "",
        "player/library/store/__init__.py": "",
        "player/library/store/connection.py": "def rows(db):\n    return db.conn.execute('x')\n",
        "player/social/server/storage.py": "def rows(app):\n    return app.conn\n",
        "player/library/playlists.py": "def names(db):\n    return db.query('SELECT name FROM x')\n",
        "player/recommend/store.py": "SQL = 'SELECT path FROM analysis'\n",
        "player/ui/kit/words.py": "HINT = 'Select a folder to scan'\n",
        "player/audio/__init__.py": "",
        "player/audio/queue.py": (
            "from typing import TYPE_CHECKING\nfrom player.library import db\n"
            "if TYPE_CHECKING:\n    from player.library.db import LibraryDB\n"
        ),
        "player/cli/__init__.py": "from player.cli import demo\n",
        "player/cli/demo.py": "from player.cli.common import EXIT\n",
        "player/cli/common.py": "EXIT = 1\n",
    }
    for name, source in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source, encoding="utf-8")
    assert all_problems(tmp_path) == []
