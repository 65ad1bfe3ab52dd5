"""No POSIX-only code outside a branch that has a portable alternative.

Walks the syntax tree of every module under ``player/`` and reports, as
``file:line: what``, each use of:

* the POSIX-only modules ``fcntl``, ``termios``, ``pwd``, ``grp``, ``resource``
  (any import of them, at the top or inside a function);
* ``os.fork``, ``os.getuid``, ``os.geteuid``, ``os.setsid``, ``os.killpg`` and
  ``signal.SIGKILL``, ``SIGHUP``, ``SIGUSR1``, ``SIGUSR2`` (as attributes, as
  ``from os import fork``, or as ``getattr(os, "getuid")`` without a default);
* file paths written with ``/``: an absolute POSIX path in a string
  (``"/tmp"``, ``"/home/..."``, ``f"/var/{x}"``), a string concatenation that
  appends or prepends ``"/"`` (``folder + "/"``, ``"a" + "/" + b``), and an
  f-string that joins a path-like value with ``/`` (``f"{folder}/x"``; the
  value's name says dir, path, folder, file, home or root).

A use is allowed where it is guarded:

* inside either branch of an ``if`` (or ``x if ... else y``) whose test looks
  at the platform: ``sys.platform``, ``os.name``, ``platform.system()``, a
  comparison of anything with a platform name (``"win32"``, ``"darwin"``,
  ``"linux"``, ``"nt"``, ``"posix"``), or ``hasattr(os | signal, ...)``;
* after an early ``if <platform test>: return/raise`` in the same block;
* in the ``try`` body of a ``try/except ImportError`` (the fallback is the
  handler);
* in a function of the module that is only called from guarded places.

A line may also carry ``# portable: <why>`` where a ``/`` is not an OS path
separator at all (a playlist format's own syntax); the reason stays beside it.
"""

from __future__ import annotations

import ast
import itertools
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLAYER = ROOT / "player"

POSIX_MODULES = {"fcntl", "termios", "pwd", "grp", "resource"}
POSIX_ATTRS = {
    "os": {"fork", "getuid", "geteuid", "setsid", "killpg"},
    "signal": {"SIGKILL", "SIGHUP", "SIGUSR1", "SIGUSR2"},
}
PLATFORM_NAMES = {"win32", "cygwin", "darwin", "linux", "nt", "posix", "windows"}
ABSOLUTE_POSIX = re.compile(
    r"^/(tmp|var|usr|etc|home|opt|dev|proc|run|srv|mnt|media|private|root|"
    r"Users|Applications|Library|Volumes|System)(/|$)"
)
#: on a line, says why a "/" there is not an OS path (a playlist's own syntax, say)
WAIVER = "# portable:"
PATHLIKE = re.compile(r"(dir|path|folder|file|home|root)", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.what}"


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return _dotted(node.func) + "()"
    return ""


def is_platform_test(test: ast.AST) -> bool:
    """Whether an ``if`` test looks at the platform."""
    for node in ast.walk(test):
        name = _dotted(node)
        if name in {"sys.platform", "os.name", "platform.system()", "platform.system"}:
            return True
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.lower() in PLATFORM_NAMES
        ):
            return True
        if (
            isinstance(node, ast.Call)
            and _dotted(node.func) == "hasattr"
            and node.args
            and _dotted(node.args[0]) in POSIX_ATTRS
        ):
            return True
    return False


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    kinds = handler.type
    names = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds]
    return any(_dotted(n) in {"ImportError", "ModuleNotFoundError"} for n in names if n)


def _exits(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[-1], (ast.Return, ast.Raise))


class _Guards(ast.NodeVisitor):
    """Marks every node that lies in a guarded region (``guarded``)."""

    def __init__(self) -> None:
        self.guarded: set[int] = set()
        self.depth = 0

    def _mark(self, nodes: list[ast.AST] | ast.AST) -> None:
        for top in nodes if isinstance(nodes, list) else [nodes]:
            for node in ast.walk(top):
                self.guarded.add(id(node))

    def _block(self, body: list[ast.stmt]) -> None:
        for index, stmt in enumerate(body):
            if isinstance(stmt, ast.If) and is_platform_test(stmt.test) and _exits(stmt.body):
                self._mark(body[index:])  # early return: the rest is one platform's
                break

    def generic_visit(self, node: ast.AST) -> None:
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                self._block(block)
        if isinstance(node, (ast.If, ast.IfExp)) and is_platform_test(node.test):
            self._mark([node.body, node.orelse] if isinstance(node, ast.IfExp) else node.body)
            if isinstance(node, ast.If):
                self._mark(node.orelse)
        if isinstance(node, ast.Try) and any(_catches_import_error(h) for h in node.handlers):
            self._mark(node.body)
        super().generic_visit(node)


def _guarded_functions(tree: ast.Module, guarded: set[int]) -> set[int]:
    """Function bodies of *tree* whose every call in the module is in a guarded place."""
    functions = {
        n.name: n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    calls: dict[str, list[ast.Call]] = {name: [] for name in functions}
    references: dict[str, int] = {name: 0 for name in functions}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in calls:
            calls[node.func.id].append(node)
        if isinstance(node, ast.Name) and node.id in references:
            references[node.id] += 1
    changed = True
    while changed:
        changed = False
        for name, function in functions.items():
            if id(function.body[0]) in guarded or not calls[name]:
                continue
            if references[name] != len(calls[name]):
                continue  # passed around as a value: its callers are unknown
            if all(id(call) in guarded for call in calls[name]):
                for node in ast.walk(function):
                    if node is not function:
                        guarded.add(id(node))
                changed = True
    return guarded


def _docstrings(tree: ast.Module) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _is_slash_piece(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and (node.value.startswith("/") or node.value.endswith("/"))
    )


def _added(node: ast.AST) -> list[ast.AST]:
    """The pieces of ``a + b + c`` (any nesting), left to right."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _added(node.left) + _added(node.right)
    return [node]


def _is_url(node: ast.AST) -> bool:
    """A piece of a URL rather than of a file path (by its name or its scheme)."""
    if isinstance(node, ast.Constant):
        return "://" in str(node.value)
    name = _dotted(node).lower()
    return any(word in name for word in ("url", "uri", "route", "endpoint", "api"))


def _findings_in(tree: ast.Module) -> list[tuple[ast.AST, str]]:
    found: list[tuple[ast.AST, str]] = []
    docstrings = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in POSIX_MODULES:
                    found.append((node, f"imports the POSIX-only module {alias.name}"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] in POSIX_MODULES:
                found.append((node, f"imports the POSIX-only module {node.module}"))
            for alias in node.names:
                if alias.name in POSIX_ATTRS.get(node.module, ()):
                    found.append((node, f"imports {node.module}.{alias.name} (POSIX only)"))
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.attr in POSIX_ATTRS.get(node.value.id, ()):
                found.append((node, f"uses {node.value.id}.{node.attr} (POSIX only)"))
        elif isinstance(node, ast.Call) and _dotted(node.func) == "getattr":
            args = node.args
            if (
                len(args) == 2
                and isinstance(args[1], ast.Constant)
                and args[1].value in POSIX_ATTRS.get(_dotted(args[0]), ())
            ):
                found.append((node, f"uses {_dotted(args[0])}.{args[1].value} (POSIX only)"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings and ABSOLUTE_POSIX.match(node.value):
                found.append((node, f"hard-codes the POSIX path {node.value!r}"))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            pieces = _added(node)
            if (
                any(_is_slash_piece(p) for p in pieces)
                and not all(isinstance(p, ast.Constant) for p in pieces)
                and not any(_is_url(p) for p in pieces)
            ):
                found.append((node, "builds a path by adding '/' to a string"))
        elif isinstance(node, ast.JoinedStr):
            values = node.values
            for before, after in itertools.pairwise(values):
                if (
                    isinstance(before, ast.FormattedValue)
                    and isinstance(after, ast.Constant)
                    and str(after.value).startswith("/")
                    and PATHLIKE.search(_dotted(before.value).split(".")[-1])
                    and "url" not in _dotted(before.value).lower()
                ):
                    found.append(
                        (
                            node,
                            f"joins a path with '/' in an f-string ({{{_dotted(before.value)}}}/...)",
                        )
                    )
    return found


def check_source(source: str, file: str = "<snippet>") -> list[Finding]:
    """The unguarded POSIX-only uses in one module's source, by line."""
    tree = ast.parse(source)
    waived = {n for n, line in enumerate(source.splitlines(), start=1) if WAIVER in line}
    guards = _Guards()
    guards.visit(tree)
    guarded = _guarded_functions(tree, guards.guarded)
    findings = {
        Finding(file, getattr(node, "lineno", 0), what)
        for node, what in _findings_in(tree)
        if id(node) not in guarded and getattr(node, "lineno", 0) not in waived
    }
    return sorted(findings, key=lambda f: (f.file, f.line, f.what))


def check_tree(root: Path = PLAYER) -> list[Finding]:
    findings: list[Finding] = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        findings += check_source(path.read_text(encoding="utf-8"), relative)
    return findings


# ---- the real tree ----------------------------------------------------------------------
def test_player_has_no_unguarded_posix_only_code() -> None:
    findings = check_tree()
    assert not findings, "POSIX-only code outside a platform branch:\n" + "\n".join(
        map(str, findings)
    )


# ---- the checker itself -----------------------------------------------------------------
def _lines(source: str) -> list[tuple[int, str]]:
    return [(f.line, f.what) for f in check_source(textwrap.dedent(source), "planted.py")]


BAD = {
    "import fcntl\n": "fcntl",
    "import resource as r\n": "resource",
    "from pwd import getpwuid\n": "pwd",
    "def f():\n    import termios\n": "termios",
    "import grp.x\n": "grp",
    "import os\nos.fork()\n": "os.fork",
    "import os\nuid = os.getuid()\n": "os.getuid",
    "import os\nos.geteuid()\n": "os.geteuid",
    "import os\nos.setsid()\n": "os.setsid",
    "import os\nos.killpg(1, 15)\n": "os.killpg",
    "from os import fork\n": "os.fork",
    "import os\ngetattr(os, 'getuid')()\n": "os.getuid",
    "import signal\nsignal.SIGKILL\n": "signal.SIGKILL",
    "import signal\nsignal.SIGHUP\n": "signal.SIGHUP",
    "import signal\nsignal.SIGUSR1\n": "signal.SIGUSR1",
    "import signal\nsignal.SIGUSR2\n": "signal.SIGUSR2",
    "from signal import SIGKILL\n": "signal.SIGKILL",
    "base = '/tmp'\n": "'/tmp'",
    "p = open('/home/me/.kindred')\n": "'/home/me/.kindred'",
    "def f(dir):\n    return f'{dir}/x'\n": "f-string",
    "def f(folder):\n    return folder + '/'\n": "'/'",
    "def f(b):\n    return 'a' + '/' + b\n": "'/'",
    "def f(x):\n    return f'/var/{x}'\n": "'/var/'",
}


@pytest.mark.parametrize("source", list(BAD))
def test_checker_finds_a_planted_example(source: str) -> None:
    found = _lines(source)
    assert found, f"not caught: {source!r}"
    assert any(BAD[source] in what for _, what in found), found


def test_checker_reports_file_and_line() -> None:
    source = "import os\n\n\nx = 1\nos.fork()\n"
    assert [str(f) for f in check_source(source, "player/x.py")] == [
        "player/x.py:5: uses os.fork (POSIX only)"
    ]


GOOD = [
    # platform branches, either side
    "import sys, os\nif sys.platform != 'win32':\n    os.fork()\nelse:\n    pass\n",
    "import os\nif os.name == 'posix':\n    import fcntl\n",
    "import sys, os\nif sys.platform == 'win32':\n    pass\nelse:\n    os.setsid()\n",
    "import sys, signal\nSIG = signal.SIGKILL if sys.platform != 'win32' else signal.SIGTERM\n",
    "def f(platform):\n    if platform == 'darwin':\n        return '/Applications/VLC.app'\n",
    "import os\nif hasattr(os, 'getuid'):\n    os.getuid()\n",
    # early return
    "import sys, os\ndef f():\n    if sys.platform == 'win32':\n        return 0\n    return os.getuid()\n",
    # an ImportError fallback
    "try:\n    import fcntl\nexcept ImportError:\n    fcntl = None\n",
    # a function only called from a platform branch
    "import os, sys\ndef lock():\n    import fcntl\nif sys.platform != 'win32':\n    lock()\n",
    # getattr with a portable default
    "import os\nuid = getattr(os, 'getuid', lambda: 0)()\n",
    # not paths: URLs, display text, docstrings, portable spellings
    "def f(song_id):\n    return f'/songs/{song_id}/comments'\n",
    "def f(done, total):\n    return f'{done}/{total}'\n",
    "def f(url):\n    return url + '/api'\n",
    "def f():\n    '''Writes to /tmp/x.'''\n",
    "import os, tempfile, signal\nd = tempfile.gettempdir()\nos.kill(1, signal.SIGTERM)\n",
    # a "/" that belongs to a file format, said so on its line
    "def f(entry):\n    return './' + entry  # portable: M3U syntax\n",
]


@pytest.mark.parametrize("source", GOOD)
def test_checker_lets_guarded_and_portable_code_pass(source: str) -> None:
    assert _lines(source) == []


def test_a_function_called_from_anywhere_unguarded_is_still_found() -> None:
    source = """
    import os, sys
    def detach():
        os.setsid()
    if sys.platform != 'win32':
        detach()
    detach()
    """
    assert _lines(source) == [(4, "uses os.setsid (POSIX only)")]
