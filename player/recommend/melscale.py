"""The Slaney mel scale and filterbank (as in the Auditory Toolbox, and librosa's default).

Twenty lines of arithmetic; having them here spares the app a dependency that
brings a JIT compiler (numba/llvmlite) for one matrix built once per process.
"""

from __future__ import annotations

import numpy as np

_F_SP = 200.0 / 3  # Hz per mel below the break
_MIN_LOG_HZ = 1000.0
_MIN_LOG_MEL = _MIN_LOG_HZ / _F_SP
_LOG_STEP = np.log(6.4) / 27.0


def hz_to_mel(hz: np.ndarray | float) -> np.ndarray:
    hz = np.asanyarray(hz, dtype=np.float64)
    mel = hz / _F_SP
    high = hz >= _MIN_LOG_HZ
    return np.where(
        high, _MIN_LOG_MEL + np.log(np.maximum(hz, 1e-10) / _MIN_LOG_HZ) / _LOG_STEP, mel
    )


def mel_to_hz(mel: np.ndarray | float) -> np.ndarray:
    mel = np.asanyarray(mel, dtype=np.float64)
    high = mel >= _MIN_LOG_MEL
    return np.where(high, _MIN_LOG_HZ * np.exp(_LOG_STEP * (mel - _MIN_LOG_MEL)), _F_SP * mel)


def mel_frequencies(n: int, fmin: float, fmax: float) -> np.ndarray:
    """*n* frequencies (Hz) evenly spaced on the mel scale from fmin to fmax."""
    return mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n))


def mel_filterbank(rate: int, n_fft: int, n_mels: int, fmin: float, fmax: float) -> np.ndarray:
    """(n_mels, n_fft // 2 + 1) triangular filters, each normalised to unit area (Slaney)."""
    fft_hz = np.linspace(0.0, rate / 2, n_fft // 2 + 1)
    edges = mel_frequencies(n_mels + 2, fmin, fmax)
    widths = np.diff(edges)
    ramps = edges[:, None] - fft_hz[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    weights *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return weights.astype(np.float32)
