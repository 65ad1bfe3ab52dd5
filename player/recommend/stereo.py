"""How wide a track sounds: the balance of side (L-R) to mid (L+R) energy over time.

A mono recording, a close-miked band panned near the centre and a wide
orchestral or synth mix differ audibly in their stereo image, and that image
is part of what makes tracks of one record or soundtrack sound alike. Measured
on real soundtracks, adding these six numbers to the spectral features raised
artist-filtered precision@5 from 0.55 to 0.64 (``bench/recommend.py``).

Everything comes from three dot products per frame (L·L, R·R, L·R) on the
decoded channels, so it costs a few milliseconds per minute of audio.
"""

from __future__ import annotations

import numpy as np

#: Values in :func:`image`'s vector.
DIM = 6
#: Frame length in samples for the side/mid ratio over time.
FRAME = 1024
#: The ratio of a frame with no side signal at all (a mono file) is clamped here,
FLOOR_DB = -60.0
#: and that of one with no mid signal (left and right in opposite phase) here.
CEILING_DB = 20.0


def image(channels: np.ndarray) -> np.ndarray:
    """Six numbers for ``channels`` (n_channels, n_samples); one channel counts as mono.

    Side-to-mid energy ratio in dB per frame (mean, spread, 10th and 90th
    percentiles over the audible frames), the correlation of left and right
    over the whole track, and the ratio over the whole track.
    """
    if channels.ndim != 2 or channels.shape[0] < 2 or channels.shape[1] < FRAME:
        return np.array([FLOOR_DB, 0.0, FLOOR_DB, FLOOR_DB, 1.0, FLOOR_DB], np.float32)
    usable = channels.shape[1] // FRAME * FRAME
    left = channels[0, :usable].reshape(-1, FRAME)
    right = channels[1, :usable].reshape(-1, FRAME)
    # float32 sums of one frame each are precise enough, and seven times faster
    ll = np.einsum("ij,ij->i", left, left).astype(np.float64)
    rr = np.einsum("ij,ij->i", right, right).astype(np.float64)
    lr = np.einsum("ij,ij->i", left, right).astype(np.float64)
    mid = (ll + rr + 2.0 * lr) / 4.0
    side = np.maximum((ll + rr - 2.0 * lr) / 4.0, 0.0)
    power = ll + rr
    audible = power > power.max() * 1e-4 if power.max() > 0 else np.zeros(power.size, bool)
    if not audible.any():
        return np.array([FLOOR_DB, 0.0, FLOOR_DB, FLOOR_DB, 1.0, FLOOR_DB], np.float32)
    ratio = _db(side[audible], mid[audible])
    total = float(_db(np.array([side.sum()]), np.array([mid.sum()]))[0])
    corr = float(lr.sum() / np.sqrt(ll.sum() * rr.sum() + 1e-20))
    p10, p90 = np.percentile(ratio, (10, 90))
    return np.array([ratio.mean(), ratio.std(), p10, p90, corr, total], np.float32)


def _db(side: np.ndarray, mid: np.ndarray) -> np.ndarray:
    return np.clip(10.0 * np.log10((side + 1e-10) / (mid + 1e-10)), FLOOR_DB, CEILING_DB)
