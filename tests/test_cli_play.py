"""`kindred play`, `kindred devices`: Kindred's output stage rendering generated audio into
WAV files, and playing to a private PulseAudio daemon's sink."""

from __future__ import annotations

import json
import math
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import numpy as np
import pytest

from player.audio.wavio import read_wav
from player.cli import main
from tests.audiogen import make_audio, requires_ffmpeg
from tests.netservers import IcecastServer, icecast_missing
from tests.processes import default_sigint
from tests.test_cli import run

pytestmark = [requires_ffmpeg]

TONE_RMS = 0.5 / math.sqrt(2)  # make_audio writes 0.5 * sin


@pytest.fixture(scope="module")
def tones(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    src = tmp_path_factory.mktemp("tones")
    return (
        make_audio(src / "one.flac", "flac", seconds=1.0, freq=440),
        make_audio(src / "two.flac", "flac", seconds=1.5, freq=997),
    )


def rendered(path: Path) -> tuple[float, float]:
    """Seconds and RMS level (linear, full scale 1.0) of a rendered WAV."""
    samples, rate = read_wav(path)
    return len(samples) / rate, float(np.sqrt(np.mean(np.square(samples))))


def db(ratio: float) -> float:
    return 20 * math.log10(ratio)


def kindred_lines(err: str) -> list[str]:
    """Kindred's own stderr lines (libVLC's ALSA noise on machines without sound is not ours)."""
    return [line for line in err.splitlines() if line.startswith("kindred:")]


def test_renders_a_playlist_and_a_file_back_to_back(
    tones: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, two = tones
    playlist = tmp_path / "list.m3u"
    playlist.write_text(f"#EXTM3U\n{one}\n", encoding="utf-8")
    out = tmp_path / "out.wav"
    code = main(["play", str(playlist), str(two), "--output", str(out), "--replaygain", "off"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.out.splitlines() == ["Rendering: one", "Rendering: two", f"Wrote {out}"]
    seconds, rms = rendered(out)
    assert seconds == pytest.approx(2.5, abs=0.05)
    assert db(rms / TONE_RMS) == pytest.approx(0.0, abs=0.2)


def test_volume_50_is_18_db_down(tones: tuple[Path, Path], tmp_path: Path) -> None:
    one, _ = tones
    full, half = tmp_path / "full.wav", tmp_path / "half.wav"
    for out, volume in ((full, "100"), (half, "50")):
        assert main(["play", str(one), "--output", str(out), "--replaygain", "off",
                     "--volume", volume]) == 0  # fmt: skip
    (_, loud), (seconds, quiet) = rendered(full), rendered(half)
    print(f"volume 50 vs 100: {db(quiet / loud):.2f} dB")
    assert seconds == pytest.approx(1.0, abs=0.05)
    assert db(quiet / loud) == pytest.approx(-18.06, abs=0.5)


def test_missing_and_corrupt_items_fail_clearly_and_the_good_one_renders(
    tones: tuple[Path, Path], tmp_path: Path
) -> None:
    one, _ = tones
    corrupt = tmp_path / "corrupt.flac"
    corrupt.write_bytes(os.urandom(20_000))
    missing = tmp_path / "missing.flac"
    out = tmp_path / "out.wav"
    result = run("play", str(missing), str(corrupt), str(one), "--output", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = kindred_lines(result.stderr)
    assert len(lines) == 2, result.stderr
    assert "missing.flac" in lines[0] and "not found" in lines[0]
    assert "corrupt.flac" in lines[1]
    assert "Rendering: one" in result.stdout
    seconds, rms = rendered(out)
    assert seconds == pytest.approx(1.0, abs=0.05)
    assert rms > 0.1


def test_unknown_equalizer_preset_lists_the_valid_ones(
    tones: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["play", str(tones[0]), "--output", str(tmp_path / "o.wav"), "--eq", "Nope"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Unknown equalizer preset 'Nope'" in err
    assert "Rock" in err and "Classical" in err


def test_devices_lists_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["devices"]) == 0
    assert main(["devices", "--json"]) == 0
    assert capsys.readouterr().out.strip()


def test_bad_replaygain_mode_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["play", "x.flac", "--replaygain", "loud"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'loud'" in capsys.readouterr().err


@pytest.fixture(scope="module")
def sound() -> Iterator[dict[str, str]]:
    """A sound card for `kindred play`: a private PulseAudio daemon's null sink."""
    from tests.pulse import PulseServer, pulse_missing

    if pulse_missing():
        pytest.skip(str(pulse_missing()))
    with PulseServer() as server:
        yield server.env


def test_ctrl_c_stops_cleanly(tmp_path: Path, sound: dict[str, str]) -> None:
    long = make_audio(tmp_path / "long.flac", "flac", seconds=30.0)
    proc = subprocess.Popen(
        [sys.executable, "-m", "player.cli", "play", str(long)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=sound,
        preexec_fn=default_sigint,  # stopped by SIGINT below, even when pytest ignores it
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "Playing: long"
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode in (0, 130), err
    assert "Traceback" not in err


NO_VLC = "import sys; sys.modules['vlc'] = None; from player.cli import main; "
NO_SOUND = (
    "import sys; sys.modules['vlc'] = None; sys.modules['sounddevice'] = None; "
    "from player.cli import main; "
)


@pytest.mark.parametrize("command", [["play", "x.flac"], ["devices"]])
def test_with_neither_portaudio_nor_libvlc_play_and_devices_say_what_to_install(
    command: list[str],
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", NO_SOUND + f"sys.exit(main({command!r}))"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("kindred: PortAudio is not installed: Kindred cannot play")
    assert "libportaudio2" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_libvlc_play_goes_through_the_output_stage(
    tones: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out.wav"
    result = subprocess.run(
        [sys.executable, "-c", NO_VLC + f"sys.exit(main(['play', {str(tones[0])!r}, "
         f"'--output', {str(out)!r}]))"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert rendered(out)[0] == pytest.approx(1.0, abs=0.01)


def test_without_a_way_to_play_the_app_still_starts_and_says_why() -> None:
    from tests.test_cli import OPEN_AND_CLOSE

    hide = "import sys; sys.modules['vlc'] = None; sys.modules['sounddevice'] = None\n"
    result = subprocess.run(
        [sys.executable, "-c", hide + OPEN_AND_CLOSE],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert "window closed 0" in result.stdout
    assert "PortAudio is not installed" in result.stderr  # and the window says so too


def test_renders_a_remote_playlist_and_reports_a_dead_url(
    tones: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.netservers import HttpTestServer

    one, _ = tones
    out = tmp_path / "out.wav"
    with HttpTestServer(one.parent) as server:
        playlists = server.add_playlists(one.name)
        dead = server.url("gone/station.pls")
        assert main(["radio", "add", "Local FM", playlists["m3u"]]) == 0
        args = [dead, playlists["pls"], "local fm"]  # a URL, and a saved station by name
        code = main(["play", *args, "--output", str(out), "--replaygain", "off"])
    captured = capsys.readouterr()
    assert code == 1
    assert kindred_lines(captured.err) == [
        f"kindred: Cannot play {dead}: not found on the server (404)"
    ]
    assert captured.out.count("Rendering: ") == 2
    assert "Rendering: Local FM" in captured.out
    seconds, rms = rendered(out)
    assert seconds == pytest.approx(2.0, abs=0.1)
    assert db(rms / TONE_RMS) == pytest.approx(0.0, abs=0.2)


def test_radio_stations_from_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "lib.db")
    assert main(["radio", "add", "Test FM", "http://radio.test/fm.pls", "--db", db]) == 0
    assert main(["radio", "add", "Again", "http://radio.test/fm.pls", "--db", db]) == 1
    assert main(["radio", "add", "Bad", "not-a-url", "--db", db]) == 1
    exported = tmp_path / "stations.m3u"
    assert main(["radio", "export", str(exported), "--db", db]) == 0
    capsys.readouterr()
    assert main(["radio", "list", "--json", "--db", db]) == 0
    [station] = json.loads(capsys.readouterr().out)
    assert (station["name"], station["url"]) == ("Test FM", "http://radio.test/fm.pls")
    assert main(["radio", "remove", str(station["id"]), "--db", db]) == 0
    assert main(["radio", "remove", str(station["id"]), "--db", db]) == 1
    assert main(["radio", "import", str(exported), "--db", db]) == 0
    capsys.readouterr()
    assert main(["radio", "list", "--db", db]) == 0
    assert "Test FM" in capsys.readouterr().out


def _lines_of(stream: IO[str]) -> queue.Queue[str]:
    """Lines of a child's output, read on a thread so the test can wait with a bound."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    return lines


@pytest.mark.skipif(icecast_missing() is not None, reason="icecast2 is not installed")
def test_plays_a_radio_station_and_shows_its_titles(sound: dict[str, str]) -> None:
    with IcecastServer() as radio:
        radio.set_title("First Song")
        proc = subprocess.Popen(
            [sys.executable, "-m", "player.cli", "play", radio.url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=sound,
            preexec_fn=default_sigint,  # stopped by SIGINT below, even when pytest ignores it
        )
        seen: list[str] = []
        try:
            assert proc.stdout is not None
            lines = _lines_of(proc.stdout)
            while "  now playing: Second Song" not in seen:
                seen.append(lines.get(timeout=60))
                if seen[-1] == "  now playing: First Song":
                    radio.set_title("Second Song")
        finally:
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=30)
    assert seen[0] == f"Playing: {radio.url}"
    assert "  now playing: First Song" in seen
    assert proc.returncode in (0, 130), err
    assert "Traceback" not in err


def test_a_sleep_timer_fades_the_music_out_and_ends_the_session(
    tmp_path: Path, sound: dict[str, str]
) -> None:
    long = make_audio(tmp_path / "long.flac", "flac", seconds=60.0)
    result = run("play", str(long), "--sleep", "0.05", env=sound)  # 3 s of a minute-long tone
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Playing: long", "Sleep timer: the music faded out."]
    assert not kindred_lines(result.stderr) and "Traceback" not in result.stderr


def test_sleep_timer_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    for bad in ("0", "-3", "nan", "2000", "soon"):
        with pytest.raises(SystemExit) as exit_info:
            main(["play", "x.flac", "--sleep", bad])
        assert exit_info.value.code == 2
        assert "--sleep" in capsys.readouterr().err
    assert main(["play", "x.flac", "--sleep", "30", "--output", "o.wav"]) == 1
    err = capsys.readouterr().err
    assert "--sleep and --output do not go together" in err
