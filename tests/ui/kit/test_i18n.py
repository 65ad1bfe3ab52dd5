"""Translations: the committed files are current and complete, and the window speaks them.

The window tests install a translator on the shared QApplication and remove it
afterwards, so every other test keeps the English interface.
"""

from __future__ import annotations

import ast
import importlib.util
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from player.config import Paths, Settings
from player.ui.kit import i18n

UPDATE_SCRIPT = i18n.TRANSLATIONS / "update.py"


def _update_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kindred_translations_update", UPDATE_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def app() -> Iterator[QApplication]:
    """The themed application; whatever translator a test installs is removed after it."""
    from player.ui.main import application

    instance = application()
    yield instance
    i18n.remove_translators(instance)


def _nav_texts(window) -> list[str]:
    nav = window.nav
    texts = []
    for i in range(nav.topLevelItemCount()):
        section = nav.topLevelItem(i)
        texts.append(section.text(0))
        texts += [section.child(j).text(0) for j in range(section.childCount())]
    return texts


def _tab_titles(window) -> list[str]:
    return [window.side.tabText(i) for i in range(window.side.count())]


# ---- the files ---------------------------------------------------------------------------------
def test_available_languages_come_from_the_compiled_files() -> None:
    assert i18n.available_languages() == [
        ("", "System default"),
        ("en", "English"),
        ("zh_CN", "简体中文"),
    ]


@pytest.mark.parametrize("code", ["en", "zh_CN"])
def test_committed_qm_matches_its_ts(tmp_path: Path, code: str) -> None:
    update = _update_module()
    fresh = tmp_path / f"kindred_{code}.qm"
    update.lrelease(update.ts_file(code), fresh)
    committed = update.qm_file(code)
    assert fresh.read_bytes() == committed.read_bytes(), (
        f"{committed.name} is older than its .ts: run resources/translations/update.py"
    )


def test_every_string_in_the_code_has_a_chinese_translation(tmp_path: Path) -> None:
    """lupdate over today's code into a copy of the .ts: nothing may be left unfinished."""
    update = _update_module()
    scratch = tmp_path / "kindred_zh_CN.ts"
    shutil.copy(update.ts_file("zh_CN"), scratch)
    update.lupdate("zh_CN", scratch)
    missing = update.unfinished(scratch)
    assert missing == [], (
        f"{len(missing)} strings lack a zh_CN translation (run resources/translations/update.py "
        f"and translate them): {missing[:10]}"
    )


def test_english_plurals_are_complete(tmp_path: Path) -> None:
    update = _update_module()
    scratch = tmp_path / "kindred_en.ts"
    shutil.copy(update.ts_file("en"), scratch)
    update.lupdate("en", scratch)
    assert update.unfinished(scratch) == []


def test_strings_marked_in_tables_are_translated(app: QApplication) -> None:
    """Texts defined once in tables (columns, shortcuts, navigation) translate where shown."""
    from player.ui.foryou.analysis import AnalysisStatus
    from player.ui.kit.scanstatus import ScanStatus
    from player.ui.pages.nav import LIBRARY
    from player.ui.tracks.columns import COLUMNS
    from player.ui.window.shortcuts import SHORTCUTS

    translator = QTranslator()
    assert translator.load(str(i18n.TRANSLATIONS / "kindred_zh_CN.qm"))
    wanted = [("Columns", c.title) for c in COLUMNS if c.title != "#"]
    wanted += [("Shortcuts", text) for _, _, text in SHORTCUTS]
    wanted += [("Navigation", text) for _, text, _ in LIBRARY]
    wanted += [("TaskStatus", text) for text in (*ScanStatus.WORDING, *AnalysisStatus.WORDING)]
    missing = [(ctx, text) for ctx, text in wanted if not translator.translate(ctx, text)]
    assert missing == []


def _string(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def test_translated_texts_are_literals_lupdate_can_see() -> None:
    """``tr``/``translate`` take literal texts; a variable is only allowed in a context
    whose texts are marked with QT_TRANSLATE_NOOP (tables of columns, shortcuts ...).

    Covers every module of the window.
    """
    ui = Path(i18n.__file__).parents[1]
    trees = {
        str(path.relative_to(ui)): ast.parse(path.read_text(encoding="utf-8"))
        for path in ui.rglob("*.py")
    }
    marked: set[str] = set()
    calls: list[tuple[str, int, ast.Call]] = []
    for name, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called == "QT_TRANSLATE_NOOP" and node.args and _string(node.args[0]):
                marked.add(node.args[0].value)  # type: ignore[attr-defined]
            elif called in ("tr", "translate") and isinstance(func, ast.Attribute):
                calls.append((name, node.lineno, node))
    hidden = []
    for name, line, call in calls:
        func = call.func
        assert isinstance(func, ast.Attribute)
        if func.attr == "tr" and call.args and not _string(call.args[0]):
            hidden.append(f"{name}:{line}")
        elif func.attr == "translate" and len(call.args) >= 2:
            context, text = call.args[0], call.args[1]
            literal = _string(context) and (
                _string(text) or context.value in marked  # type: ignore[attr-defined]
            )
            if not literal:
                hidden.append(f"{name}:{line}")
    assert hidden == [], f"texts lupdate cannot find (write the literal in the call): {hidden}"


# ---- choosing the language ---------------------------------------------------------------------
def test_system_languages_resolve_to_the_nearest_translation() -> None:
    assert i18n.resolve("", ["zh-Hans-CN", "en-US"]) == "zh_CN"
    assert i18n.resolve("", ["zh-TW"]) == "zh_CN"
    assert i18n.resolve("", ["de-DE", "fr-FR"]) == "en"
    assert i18n.resolve("", ["en-GB"]) == "en"
    assert i18n.resolve("zh_CN", ["en-US"]) == "zh_CN"


def test_unknown_language_falls_back_to_english(app: QApplication) -> None:
    assert i18n.install_translator(app, "xx_YY") == "en"
    assert i18n.install_translator(app, None) in ("en", "zh_CN")  # type: ignore[arg-type]
    assert QCoreApplication.translate("MainWindow", "Queue") == "Queue"


def test_language_setting_is_saved(kindred_home: Path) -> None:
    paths = Paths.resolve()
    assert Settings().language == ""
    settings = Settings(language="zh_CN")
    settings.save(paths)
    assert Settings.load(paths).language == "zh_CN"


# ---- the window --------------------------------------------------------------------------------
def test_window_in_chinese(app: QApplication, open_window) -> None:
    assert i18n.install_translator(app, "zh_CN") == "zh_CN"
    window, _engine = open_window()
    nav = _nav_texts(window)
    for text in ("音乐库", "艺人", "专辑", "歌曲", "歌单", "电台", "为你推荐"):
        assert text in nav
    assert _tab_titles(window)[:3] == ["队列", "歌词", "评论"]
    assert window.now_playing.title.text() == "暂无播放"
    assert window.pages["welcome"].title.text() == "欢迎使用 Kindred"
    # Qt's own strings follow: standard buttons
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.buttons()[0].text() == "取消"


def test_window_in_english(app: QApplication, open_window) -> None:
    assert i18n.install_translator(app, "en") == "en"
    window, _engine = open_window()
    nav = _nav_texts(window)
    for text in ("Artists", "Albums", "Tracks", "Radio stations", "For You"):
        assert text in nav
    assert _tab_titles(window)[:3] == ["Queue", "Lyrics", "Comments"]
    assert window.now_playing.title.text() == "Nothing playing"
    assert QCoreApplication.translate("QueuePanel", "%Ln tracks", "", 1) == "1 track"
    assert QCoreApplication.translate("QueuePanel", "%Ln tracks", "", 3) == "3 tracks"


def test_start_up_uses_the_language_from_the_settings(kindred_home: Path) -> None:
    """``kindred`` installs the chosen translation before it builds the window."""
    import subprocess
    import sys

    Settings(language="zh_CN").save(Paths.resolve())
    script = (
        "import sys; sys.modules['vlc'] = None\n"
        "import player.app as app\n"
        "import player.ui.main as main\n"
        "real = main.build_window\n"
        "def spy(*args, **kwargs):\n"
        "    window = real(*args, **kwargs)\n"
        "    print('TAB', window.side.tabText(0), flush=True)\n"
        "    return window\n"
        "main.build_window = spy\n"
        "sys.exit(app.run_window(quit_after_ms=300))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "TAB 队列" in result.stdout
