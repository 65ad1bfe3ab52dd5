"""The interface language: which translations exist and installing one on the app.

Translations are Qt Linguist files in ``resources/translations``: the team edits
``kindred_<code>.ts`` and ships the compiled ``kindred_<code>.qm`` beside it
(``resources/translations/update.py`` refreshes both). The languages offered
are the ``.qm`` files present, so adding a language needs no code change.
Qt's own ``qtbase`` translations are installed too, so standard dialog buttons
("Cancel", "Open") speak the same language as the rest of the window.

The language is chosen once at start-up, before any widget is built; ``""``
follows the system locale and falls back to English.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from player.ui.kit.theme import RESOURCES

log = logging.getLogger(__name__)

TRANSLATIONS = RESOURCES / "translations"
PREFIX = "kindred_"
FALLBACK = "en"
#: What each language calls itself (shown in Settings whatever the current language).
NATIVE_NAMES = {"en": "English", "zh_CN": "简体中文"}
#: The translators this module installed, so a later call (or a test) can take them off.
_installed: list[QTranslator] = []


def available_codes(folder: Path = TRANSLATIONS) -> list[str]:
    """The language codes that have a compiled ``.qm`` file, English first."""
    codes = sorted(p.stem[len(PREFIX) :] for p in folder.glob(f"{PREFIX}*.qm"))
    return sorted(codes, key=lambda code: (code != FALLBACK, code))


def available_languages(folder: Path = TRANSLATIONS) -> list[tuple[str, str]]:
    """``(code, name)`` pairs for a language chooser; ``""`` means the system's language."""
    choices = [("", QCoreApplication.translate("i18n", "System default"))]
    choices += [(code, NATIVE_NAMES.get(code, code)) for code in available_codes(folder)]
    return choices


def resolve(code: str, ui_languages: list[str] | None = None, folder: Path = TRANSLATIONS) -> str:
    """The available language that best serves *code* (``""``: the system's languages).

    An exact match wins, then the same language in another region (``zh_TW``
    or ``zh`` -> ``zh_CN``); anything else is English.
    """
    available = available_codes(folder)
    wanted = [code] if code else list(ui_languages or QLocale.system().uiLanguages())
    for candidate in wanted:
        norm = candidate.replace("-", "_")
        if norm in available:
            return norm
        language = norm.split("_", 1)[0]
        for have in available:
            if have.split("_", 1)[0] == language:
                return have
    return FALLBACK


def install_translator(app: QCoreApplication, code: str) -> str:
    """Install Kindred's (and Qt's) translations for *code* on *app*; return the code used.

    Replaces whatever an earlier call installed. An unknown code or a missing
    file is logged and leaves the interface in English; it never raises.
    """
    remove_translators(app)
    code = code if isinstance(code, str) else ""
    used = resolve(code)
    if code and used != code:
        log.info("no %r translation; using %r", code, used)
    ours = QTranslator(app)
    if ours.load(str(TRANSLATIONS / f"{PREFIX}{used}.qm")):
        app.installTranslator(ours)
        _installed.append(ours)
    else:
        log.warning("cannot load the %r translation from %s", used, TRANSLATIONS)
        used = FALLBACK
    QLocale.setDefault(_locale_for(used))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_own = QTranslator(app)
    if qt_own.load(QLocale(used), "qtbase", "_", qt_dir):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    return used


def _locale_for(code: str) -> QLocale:
    """Numbers and day names follow the language: the system's own locale when it
    speaks that language (keeping its region's formats), else the language's."""
    system = QLocale.system()
    if system.name().split("_", 1)[0] == code.split("_", 1)[0]:
        return system
    return QLocale(code)


def remove_translators(app: QCoreApplication) -> None:
    """Take the translators :func:`install_translator` added off *app* (back to English)."""
    QLocale.setDefault(QLocale.system())
    while _installed:
        translator = _installed.pop()
        app.removeTranslator(translator)
        translator.deleteLater()
