"""bench/recommend.py's quality part runs on a small generated corpus and reports every figure.

Three "soundtracks" of clearly different styles: audio similarity must find
a seed's own soundtrack far above the random baseline, with and without the
artist filter, and against the genre tags where two genres exist.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import mutagen.flac

from tests.audiogen import requires_ffmpeg
from tests.recommend.signals import style, write

ROOT = Path(__file__).resolve().parents[2]
STYLES = {"noisy": "ambient", "tonal": "classical", "percussive": ""}


def _corpus(root: Path) -> Path:
    for kind, genre in STYLES.items():
        for i in range(6):
            path = write(root / f"{kind}-soundtrack" / "music" / f"{i}.flac", style(kind, i, 3.0))
            tags = mutagen.flac.FLAC(path)
            tags["artist"] = f"{kind} composer {i % 2}"  # two composers per soundtrack
            if genre:
                tags["genre"] = genre
            tags.save()
    return root


@requires_ffmpeg
def test_quality_figures_on_a_generated_corpus(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "recommend.py"), "--runs", "1", "--tracks", "500",
         "--queries", "5", "--audio-seconds", "2", "--corpus", str(corpus), "--min-seconds", "1",
         "--jobs", "2", "--bootstrap", "50"],
        capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["corpus_tracks"] == 18 and result["corpus_soundtracks"] == 3
    assert result["corpus_seeds_scored"] == 18
    # of a seed's 17 others, 5 share its soundtrack; the artist filter takes away the
    # composer's 2 others, leaving the other composer's 3 among 15
    assert abs(result["unfiltered_random_precision"] - 5 / 17) < 1e-3
    assert abs(result["random_precision_at_5"] - 3 / 15) < 1e-3
    assert result["unfiltered_precision_at_5"] >= 0.6 > 2 * result["unfiltered_random_precision"]
    assert result["precision_at_5"] > 2 * result["random_precision_at_5"]
    assert result["precision_at_5_vs_random"] > 2
    assert result["genre_labels"] == {"ambient": 6, "classical": 6}
    assert result["genre_seeds_scored"] == 12
    assert result["genre_precision_at_5"] > 2 * result["genre_random_precision"]
    assert len(result["precision_at_5_ci95"]) == 2
    assert 0 <= result["never_in_a_top5_share"] < 1


@requires_ffmpeg
def test_stage_split_adds_up_to_the_whole_analysis() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "recommend.py"), "--stages", "--audio-seconds", "6"],
        capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    stages = json.loads(out.stdout)["analysis_stage_cpu_s_per_min"]
    parts = ("ffmpeg_decode", "resample", "decode_other", "mono", "features", "loudness")
    assert all(stages[name] > 0 for name in parts if name != "decode_other")
    # every stage is measured on its own, so the parts come close to the whole
    assert 0.6 * stages["whole"] < sum(stages[name] for name in parts) < 1.5 * stages["whole"]
