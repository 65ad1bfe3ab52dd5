"""Two halves of one sine wave, played one after the other through real libVLC.

The first half is played with the second preloaded; the paced renderer
records when every buffer arrives. The rendered samples must join into the
original wave (nothing lost, repeated or clicked at the seam), and the
hand-over time libVLC needs between them is measured (printed, not judged:
it depends on the machine).
"""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import numpy as np
import pytest

from player.audio.gapless import measure_gap, measure_gap_ms
from tests.audiogen import requires_ffmpeg

pytestmark = [requires_ffmpeg]
libvlc = pytest.importorskip("player.audio.vlc_engine")
if not libvlc.libvlc_available():
    pytest.skip("libVLC is not installed (CI installs VLC)", allow_module_level=True)

RATE = 44100
FREQ = 441.0  # 100 samples a period: frame 26,460 is a rising zero crossing


def write_flac(path: Path, frames: np.ndarray) -> Path:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "s16le", "-ar", str(RATE), "-ac", "2",
         "-i", "-", "-c:a", "flac", str(path)],
        input=frames.astype("<i2").tobytes(), check=True, timeout=60,
    )  # fmt: skip
    return path


@pytest.fixture(scope="module")
def halves(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, np.ndarray]:
    folder = tmp_path_factory.mktemp("gapless")
    n = round(RATE * 1.2)
    wave = np.round(0.5 * 32767 * np.sin(2 * np.pi * FREQ * np.arange(n) / RATE))
    stereo = np.stack([wave, wave], axis=1).astype(np.int16)
    split = 26_500
    assert stereo[split, 0] == 0 and stereo[split + 1, 0] > 0
    first = write_flac(folder / "part1.flac", stereo[:split])
    second = write_flac(folder / "part2.flac", stereo[split:])
    return first, second, stereo.astype(np.float64) / 32768


def test_halves_join_into_the_original_wave(halves: tuple[Path, Path, np.ndarray]) -> None:
    first, second, original = halves
    result = measure_gap(first, second)
    rendered = result.samples
    assert result.seam_frame == 26_500
    assert len(rendered) == len(original)
    deviation = float(np.abs(rendered - original).max()) * 32768
    around_seam = rendered[26_500 - 50 : 26_500 + 50, 0]
    assert np.abs(np.diff(around_seam)).max() < 0.05  # no jump at the seam
    print(
        f"hand-over {result.handover_ms:.1f} ms, silence {result.silence_ms:.1f} ms, "
        f"max deviation {deviation} LSB"
    )
    assert deviation <= 1
    assert math.isfinite(result.handover_ms) and result.handover_ms >= 0
    assert result.silence_ms >= 0


def test_gap_figure_for_the_benchmark(halves: tuple[Path, Path, np.ndarray]) -> None:
    first, second, _ = halves
    runs = [measure_gap_ms(first, second) for _ in range(3)]
    print(f"hand-over times (ms): {[round(r, 1) for r in runs]}, median {sorted(runs)[1]:.1f}")
    assert all(math.isfinite(r) and r >= 0 for r in runs)
