"""Path identity and safe file names, with Windows rules proven on any OS."""

from __future__ import annotations

import os
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from player.library import paths
from player.library.paths import is_reserved_name, normalise, path_key, safe_file_name, same_path


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("C:\\Music\\A.flac", "c:\\music\\a.FLAC"),
        ("C:\\Music\\A.flac", "C:/Music/A.flac"),
        ("C:\\Music\\Album/01.flac", "c:/MUSIC\\album\\01.FLAC"),
        ("C:\\Music\\A.flac", "\\\\?\\C:\\Music\\A.flac"),
        ("C:\\Music\\A.flac", "\\\\?\\c:\\music\\a.flac"),
        ("C:\\Music\\A.flac", "C:\\Music\\.\\Rock\\..\\A.flac"),
        ("C:\\Music\\A.flac", "C:\\\\Music\\\\A.flac"),
        ("C:\\Music\\A.flac", "C:\\Music\\A.flac. "),
        ("\\\\nas\\share\\Music\\a.flac", "\\\\NAS\\Share\\music\\A.FLAC"),
        ("\\\\nas\\share\\Music\\a.flac", "//nas/share/Music/a.flac"),
        ("\\\\nas\\share\\Music\\a.flac", "\\\\?\\UNC\\nas\\share\\Music\\a.flac"),
        ("\\\\nas\\share\\Music\\a.flac", "\\\\?\\unc\\NAS\\share\\Music\\a.flac"),
        ("C:\\Música\\Émile.flac", "c:\\MÚSICA\\émile.FLAC"),
        ("C:\\Музыка\\Песня.flac", "c:\\музыка\\песня.flac"),
        ("C:\\音乐\\晴天.flac", "c:/音乐/晴天.FLAC"),
    ],
)
def test_windows_spellings_of_one_file_share_a_key(a: str, b: str) -> None:
    assert path_key(a, "nt") == path_key(b, "nt")
    assert same_path(a, b, "nt")
    assert not same_path(a, b, "posix") or a == b


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("C:\\Music\\a.flac", "D:\\Music\\a.flac"),
        ("C:\\Music\\a.flac", "C:\\Music\\a.flac\\b"),
        ("C:\\Music\\Straße.flac", "C:\\Music\\Strasse.flac"),  # NTFS: two names
        ("C:\\Music\\é.flac", "C:\\Music\\e\u0301.flac"),  # NTFS does not normalise
        ("\\\\nas\\share\\a.flac", "\\\\nas\\other\\a.flac"),
        ("\\\\nas\\share\\a.flac", "C:\\share\\a.flac"),
        ("C:\\Music\\a.flac", "\\\\?\\C:\\Music\\a.flac."),  # verbatim keeps the dot
    ],
)
def test_windows_keeps_different_files_apart(a: str, b: str) -> None:
    assert not same_path(a, b, "nt")


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("c:\\Music\\A.flac", "C:\\Music\\A.flac"),
        ("c:/Music/Album/01.flac", "C:\\Music\\Album\\01.flac"),
        ("\\\\?\\d:\\Music\\A.flac", "D:\\Music\\A.flac"),
        ("\\\\?\\UNC\\nas\\Share\\A.flac", "\\\\nas\\Share\\A.flac"),
        ("//nas/Share/x/../A.flac", "\\\\nas\\Share\\A.flac"),
        ("C:\\Music\\A.flac . .", "C:\\Music\\A.flac"),
        ("C:\\", "C:\\"),
        ("\\\\nas\\share\\", "\\\\nas\\share\\"),
    ],
)
def test_windows_spelling_keeps_case_and_upper_cases_the_drive(raw: str, stored: str) -> None:
    assert normalise(raw, "nt") == stored


def test_posix_paths_are_their_own_identity() -> None:
    assert path_key("/Music/A.flac", "posix") == "/Music/A.flac"
    assert not same_path("/Music/A.flac", "/music/a.flac", "posix")
    assert normalise("/Music/a\\b.flac", "posix") == "/Music/a\\b.flac"
    undecodable = os.fsdecode(b"/m/\xff.flac")
    assert path_key(undecodable, "posix") == undecodable


def test_default_flavour_is_the_running_os() -> None:
    assert paths.current_flavour() == ("nt" if os.name == "nt" else "posix")
    assert path_key("/a/B") == ("/a/B" if os.name != "nt" else path_key("/a/B", "nt"))


@pytest.mark.parametrize(
    ("base", "entry", "resolved"),
    [
        ("D:\\Lists", "Music\\Album/01.flac", "D:\\Lists\\Music\\Album\\01.flac"),
        ("D:\\Lists", "..\\Music\\01.flac", "D:\\Music\\01.flac"),
        ("D:\\Lists", "\\Music\\01.flac", "D:\\Music\\01.flac"),
        ("D:\\Lists", "c:/Music/01.flac", "C:\\Music\\01.flac"),
        ("D:\\Lists", "\\\\nas\\share\\01.flac", "\\\\nas\\share\\01.flac"),
        ("D:\\Lists", "\\\\?\\E:\\Music\\01.flac", "E:\\Music\\01.flac"),
        ("\\\\nas\\share\\Lists", "..\\Music\\01.flac", "\\\\nas\\share\\Music\\01.flac"),
    ],
)
def test_join_on_windows(base: str, entry: str, resolved: str) -> None:
    assert paths.join(base, entry, "nt") == resolved


# ---- safe file names ---------------------------------------------------------------------
_DEVICES = ["CON", "PRN", "AUX", "NUL", *(f"{p}{n}" for p in ("COM", "LPT") for n in range(10))]


def windows_refuses(name: str) -> str:
    """Windows' rules, written out independently of the code under test."""
    if name in ("", ".", ".."):
        return "empty"
    if any(c in '<>:"/\\|?*' or ord(c) < 32 for c in name):
        return "character"
    if name.endswith((".", " ")):
        return "trailing dot or space"
    base = name.split(".")[0].rstrip(" ").upper()
    if base in _DEVICES or base in ("COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"):
        return "device"
    if len(name.encode("utf-16-le")) // 2 > 255 or len(name.encode("utf-8")) > 255:
        return "too long"
    return ""


@pytest.mark.parametrize("device", [*_DEVICES, "com¹", "Lpt²", "conin$"])
@pytest.mark.parametrize("shape", ["{}", "{}.txt", "{} .flac", "{}.tar.gz", " {} ", "{}."])
def test_device_names_are_never_produced(device: str, shape: str) -> None:
    name = safe_file_name(shape.format(device), ".m3u8")
    assert windows_refuses(name) == "" and paths.refusal(name) == ""
    assert name.upper().startswith(device.upper())  # still recognisable
    assert not is_reserved_name(name)
    assert is_reserved_name(shape.format(device).strip())


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Road Trip", "Road Trip.m3u8"),
        ("AC/DC: Live?", "AC-DC- Live-.m3u8"),
        ('a<b>c:"d"/e\\f|g?h*i', "a-b-c--d--e-f-g-h-i.m3u8"),
        ("tab\there\nnewline\x00nul", "tab-here-newline-nul.m3u8"),
        ("Best of...", "Best of.m3u8"),
        ("  spaced  ", "spaced.m3u8"),
        ("...", "playlist.m3u8"),
        ("", "playlist.m3u8"),
        ("CON", "CON_.m3u8"),
        ("nul.live", "nul_.live.m3u8"),
        ("Console", "Console.m3u8"),
        ("COM10", "COM10.m3u8"),
        ("晴天 / 周杰伦", "晴天 - 周杰伦.m3u8"),
    ],
)
def test_safe_file_name(text: str, name: str) -> None:
    assert safe_file_name(text, ".m3u8") == name
    assert windows_refuses(name) == ""


def test_long_names_are_cut_on_a_character_boundary() -> None:
    name = safe_file_name("晴" * 200, ".xspf")
    assert len(name.encode("utf-8")) <= 255 and name.endswith("晴.xspf")
    assert windows_refuses(name) == ""
    cut = safe_file_name("a" * 250 + ". b", ".m3u")
    assert windows_refuses(cut) == "" and cut.endswith("a.m3u")


def test_undecodable_tag_bytes_become_writable() -> None:
    name = safe_file_name(os.fsdecode(b"caf\xe9"), ".m3u")
    name.encode("utf-8")  # would raise on a lone surrogate
    assert name.startswith("caf") and windows_refuses(name) == ""


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["", ".m3u", ".m3u8", ".pls", ".xspf"]))
def test_no_tag_text_gives_a_name_windows_refuses(text: str, suffix: str) -> None:
    name = safe_file_name(text, suffix)
    assert windows_refuses(name) == "", (text, name)
    assert name.endswith(suffix)
    assert unicodedata.normalize("NFC", name)  # a real string, never empty
