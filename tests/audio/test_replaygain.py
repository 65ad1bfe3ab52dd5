"""The ReplayGain rules, one by one (plain Python, no audio)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from player.audio.replaygain import (
    R128_TO_REPLAYGAIN_DB,
    GainDecision,
    ReplayGainSettings,
    compute_gain,
    limit_for_peak,
)
from player.config import AudioSettings, Settings
from player.library.track import TrackInfo


@dataclass
class Data:
    rg_track_gain: float | None = None
    rg_track_peak: float | None = None
    rg_album_gain: float | None = None
    rg_album_peak: float | None = None
    r128_track_gain: float | None = None
    r128_album_gain: float | None = None


TAGGED = Data(rg_track_gain=-7.0, rg_track_peak=0.5, rg_album_gain=-5.0, rg_album_peak=0.6)
NO_CLIP = {"prevent_clipping": False}


def gain(
    data: Data | None, mode: str = "auto", in_order: bool = False, **kw: object
) -> GainDecision:
    return compute_gain(data, ReplayGainSettings(mode=mode, **kw), album_in_order=in_order)


def test_off_applies_nothing() -> None:
    assert gain(TAGGED, "off") == GainDecision(0.0, "off", False)
    assert gain(None, "off").db == 0.0


def test_track_mode_uses_track_gain_even_when_the_album_plays_in_order() -> None:
    assert gain(TAGGED, "track", in_order=True) == GainDecision(-7.0, "track", False)


def test_album_mode_uses_album_gain_even_when_shuffled() -> None:
    assert gain(TAGGED, "album", in_order=False) == GainDecision(-5.0, "album", False)


def test_auto_is_album_in_order_and_track_otherwise() -> None:
    assert gain(TAGGED, "auto", in_order=True).source == "album"
    assert gain(TAGGED, "auto", in_order=False).source == "track"


def test_missing_album_data_falls_back_to_track_and_the_other_way() -> None:
    assert gain(Data(rg_track_gain=-3.0), "album") == GainDecision(-3.0, "track")
    assert gain(Data(rg_album_gain=-4.0), "track") == GainDecision(-4.0, "album")


def test_preamp_is_added_to_tagged_gain() -> None:
    assert gain(TAGGED, "track", preamp_db=2.5, **NO_CLIP).db == pytest.approx(-4.5)


def test_fallback_for_files_without_data_ignores_the_preamp() -> None:
    for data in (None, Data(), Data(rg_track_peak=0.9)):
        decision = gain(data, "track", preamp_db=3.0, fallback_db=-6.0)
        assert decision == GainDecision(-6.0, "fallback", False)


def test_clipping_prevention_limits_to_the_peak() -> None:
    data = Data(rg_track_gain=+8.0, rg_track_peak=0.8)
    decision = gain(data, "track")
    assert decision.limited and decision.source == "track"
    assert decision.db == pytest.approx(-20 * math.log10(0.8))
    assert 0.8 * 10 ** (decision.db / 20) == pytest.approx(1.0)


def test_clipping_prevention_uses_the_chosen_sources_peak() -> None:
    data = Data(rg_track_gain=3.0, rg_track_peak=0.5, rg_album_gain=3.0, rg_album_peak=0.9)
    assert not gain(data, "track").limited  # 0.5 * 10^(3/20) = 0.71
    album = gain(data, "album")
    assert album.limited and album.db == pytest.approx(-20 * math.log10(0.9))


def test_clipping_prevention_counts_the_preamp() -> None:
    data = Data(rg_track_gain=0.0, rg_track_peak=0.9)
    assert gain(data, "track", preamp_db=6.0).limited


def test_clipping_prevention_off_keeps_the_gain() -> None:
    data = Data(rg_track_gain=+8.0, rg_track_peak=0.8)
    assert gain(data, "track", **NO_CLIP) == GainDecision(8.0, "track", False)


def test_quiet_gain_is_never_limited_and_unknown_peak_is_not_limited() -> None:
    assert limit_for_peak(-6.0, 0.9) == (-6.0, False)
    assert limit_for_peak(10.0, None) == (10.0, False)
    assert limit_for_peak(10.0, 0.0) == (10.0, False)


def test_r128_gains_are_moved_to_the_replaygain_reference() -> None:
    data = Data(r128_track_gain=-2.0, r128_album_gain=-1.0)
    assert R128_TO_REPLAYGAIN_DB == 5.0
    assert gain(data, "track") == GainDecision(3.0, "r128", False)
    assert gain(data, "album") == GainDecision(4.0, "r128", False)
    assert gain(data, "track", preamp_db=-1.0).db == pytest.approx(2.0)


def test_r128_wins_over_replaygain_tags_in_an_opus_file() -> None:
    data = Data(rg_track_gain=-9.0, r128_track_gain=-4.0)
    assert gain(data, "track") == GainDecision(1.0, "r128", False)


def test_non_finite_values_count_as_missing() -> None:
    assert gain(Data(rg_track_gain=math.nan), "track").source == "fallback"


def test_settings_from_audio_settings_and_from_settings() -> None:
    audio = AudioSettings(
        replaygain_mode="album", replaygain_preamp_db=1.5, replaygain_fallback_db=-4.0,
        prevent_clipping=False,
    )  # fmt: skip
    expected = ReplayGainSettings("album", 1.5, -4.0, False)
    assert ReplayGainSettings.from_audio_settings(audio) == expected
    assert ReplayGainSettings.from_audio_settings(Settings(audio=audio)) == expected
    assert ReplayGainSettings.from_audio_settings(AudioSettings()).mode == "auto"


def test_unknown_mode_in_settings_means_auto_but_is_an_error_in_code() -> None:
    assert (
        ReplayGainSettings.from_audio_settings(AudioSettings(replaygain_mode="loud")).mode == "auto"
    )
    with pytest.raises(ValueError, match="mode"):
        ReplayGainSettings(mode="loud")


def test_track_info_from_the_library_is_accepted() -> None:
    info = TrackInfo(path="/music/a.flac", rg_track_gain=-8.25, rg_track_peak=0.95)
    assert gain(info, "track") == GainDecision(-8.25, "track", False)
