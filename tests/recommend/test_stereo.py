"""The stereo image: mono, wide and anti-phase signals are told apart."""

from __future__ import annotations

import numpy as np
import pytest

from player.recommend import stereo
from player.recommend.features import GROUPS, compute

RATE = 22050


def _noise(seed: int, seconds: float = 5.0) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 0.1, int(RATE * seconds)).astype(np.float32)


def test_mono_sits_on_the_floor() -> None:
    x = _noise(1)
    for channels in (x[None, :], np.vstack([x, x])):
        mean, spread, p10, p90, corr, total = stereo.image(channels)
        assert mean == p10 == p90 == total == stereo.FLOOR_DB
        assert spread == 0.0
        assert corr == pytest.approx(1.0)


def test_independent_channels_are_wide() -> None:
    mean, _, _, _, corr, total = stereo.image(np.vstack([_noise(1), _noise(2)]))
    assert abs(corr) < 0.05
    assert mean == pytest.approx(0.0, abs=0.5) and total == pytest.approx(0.0, abs=0.2)


def test_partly_wide_mix_lies_between_and_anti_phase_is_widest() -> None:
    centre, left, right = _noise(1), _noise(2), _noise(3)
    narrow = stereo.image(np.vstack([centre + 0.1 * left, centre + 0.1 * right]))
    anti = stereo.image(np.vstack([centre, -centre]))
    # side = 0.05 (l - r): 2 * 0.05² = 0.005 of the mid's energy, -23 dB
    assert narrow[5] == pytest.approx(-23.0, abs=0.5)
    assert anti[0] == anti[5] == stereo.CEILING_DB
    assert anti[4] == pytest.approx(-1.0)


def test_silence_and_short_input_do_not_fail() -> None:
    assert stereo.image(np.zeros((2, RATE), np.float32))[0] == stereo.FLOOR_DB
    assert stereo.image(np.zeros((2, 10), np.float32)).shape == (stereo.DIM,)


def test_feature_vector_carries_the_stereo_image() -> None:
    x, y = _noise(1), _noise(2)
    mono = compute(x, RATE)
    wide = compute((x + y) / 2, RATE, np.vstack([x, y]))
    space = GROUPS["space"]
    assert mono.vector[space][0] == stereo.FLOOR_DB
    assert wide.vector[space][0] > -3.0
    assert space.stop - space.start == stereo.DIM
