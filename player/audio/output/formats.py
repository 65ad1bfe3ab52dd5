"""What a sound card takes, and how the stage hands it a track.

PortAudio converts quietly: asked for float on a card that takes only 16-bit
integers, it truncates; asked for 24 bits on such a card, it drops the low
byte. So the stage asks the card itself what it takes without conversion
(:func:`native_formats`; on Linux ALSA's own answer, read through libasound,
which PortAudio does not pass on) and plans each stream with
:func:`plan_output`:

* **bit-perfect** when asked and the card takes the track's rate and a sample
  format at least as deep as the track's (16 bits go out as int16, 24 as
  left-justified int32, which a card of packed 24-bit samples gets exactly);
  exclusive where the system has such a mode (WASAPI exclusive, Core Audio
  with the device switched to the track's rate and no conversion, an ALSA
  ``hw:`` device);
* otherwise **shared**: float32 where the card takes float (PulseAudio,
  PipeWire, Core Audio, WASAPI shared), else the card's deepest integer
  format, which the stage writes itself with TPDF dither; at the track's rate
  where the card takes it, else at the card's own. When bit-perfect was asked
  for and is not possible the plan says why, and the listener is told.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from typing import Any

from player.audio.output.alsalog import libasound

#: libasound's format numbers (alsa/pcm.h) for the formats PortAudio can write
_ALSA_FORMATS = {"float32": 14, "int32": 10, "int24": 32, "int16": 2}
_EBUSY = 16
_HW = re.compile(r"\((hw:\d+,\d+)\)$")


#: what a listener may say the card takes ("auto": ask the card)
SAMPLE_FORMATS = ("auto", "float", "32", "24", "16")


class DeviceBusy(Exception):
    """The card is in use by another program (an exclusive device)."""


@dataclass(frozen=True)
class Native:
    """The sample formats a card takes without conversion."""

    float32: bool
    int_bits: int  # the deepest integer format: 32, 24 or 16 (0: none)

    def names(self) -> list[str]:
        names = ["float32"] if self.float32 else []
        return names + [f"int{b}" for b in (32, 24, 16) if b <= self.int_bits][:1]


@dataclass(frozen=True)
class Plan:
    """How a stream is opened for a track."""

    device: str | None  # None: the system default
    rate: int
    bits: int  # 0: float32; 16, 24 or 32: integers the stage writes (24 left-justified)
    exact: bool  # bit-perfect: the track's own samples, unchanged
    exclusive: bool = False
    notice: str | None = None  # why bit-perfect was asked for and is not possible


def alsa_name(device_name: str) -> str:
    """The ALSA PCM behind a PortAudio device name ("HDA Intel: ALC892 (hw:0,0)" → "hw:0,0")."""
    match = _HW.search(device_name)
    return match.group(1) if match else device_name


def native_formats(device_name: str | None) -> Native | None:
    """What the card takes without conversion; None where the system does not say
    (not ALSA, or libasound missing). Raises :class:`DeviceBusy` for a card that
    another program holds."""
    lib = libasound()  # None off Linux: WASAPI shared and Core Audio take float, and
    if lib is None:  # the exclusive modes say on opening what they refuse
        return None
    pcm = ctypes.c_void_p()
    name = alsa_name(device_name or "default").encode()
    err = lib.snd_pcm_open(ctypes.byref(pcm), name, 0, 1)  # playback, non-blocking
    if err == -_EBUSY:
        raise DeviceBusy(f"{device_name or 'default'} is in use by another program")
    if err < 0:
        return None
    try:
        params = ctypes.create_string_buffer(lib.snd_pcm_hw_params_sizeof())
        if lib.snd_pcm_hw_params_any(pcm, params) < 0:
            return None
        takes = {
            fmt: lib.snd_pcm_hw_params_test_format(pcm, params, code) == 0
            for fmt, code in _ALSA_FORMATS.items()
        }
    finally:
        lib.snd_pcm_close(pcm)
    bits = next((b for b in (32, 24, 16) if takes[f"int{b}"]), 0)
    return Native(takes["float32"], bits)


def exclusive_settings(device_index: int | None) -> Any:
    """PortAudio's exclusive-mode settings for a device's host API (None: there are none)."""
    import sounddevice as sd

    index = sd.default.device[1] if device_index is None else device_index
    if index is None or index < 0:
        return None
    api = str(sd.query_hostapis(sd.query_devices(index)["hostapi"])["name"])
    if "WASAPI" in api:
        return sd.WasapiSettings(exclusive=True)
    if "Core Audio" in api:
        return sd.CoreAudioSettings(change_device_parameters=True, fail_if_conversion_required=True)
    return None


def _takes(device: int | None, rate: int, dtype: str, extra: Any = None) -> str | None:
    """None when the card opens at *rate* in *dtype*, else PortAudio's reason."""
    import sounddevice as sd

    try:
        sd.check_output_settings(
            device=device, channels=2, dtype=dtype, samplerate=rate, extra_settings=extra
        )
    except Exception as exc:  # PortAudioError or ValueError: the reason is for people
        return str(exc)
    return None


def _default_rate(device: int | None) -> int:
    import sounddevice as sd

    info = sd.query_devices(device, "output")
    return int(info["default_samplerate"])


def plan_output(
    device_id: str | None,
    device_index: int | None,
    rate: int,
    bits: int,
    *,
    bit_perfect: bool,
    sample_format: str = "auto",
) -> Plan:
    """How to open a stream for a track of *rate* and integer depth *bits* (0: lossy or
    float). *sample_format*: what the listener says the card takes ("auto": ask it;
    "float"; "32", "24" or "16": integers of that depth). See the module doc."""
    label = device_id or "the default device"
    notice = None
    try:
        native = native_formats(device_id)
    except DeviceBusy as exc:
        if not bit_perfect:
            raise
        return _shared(None, None, rate, f"{exc}; playing shared on the system default device")
    if sample_format.isdigit():
        native = Native(False, int(sample_format))
    elif sample_format == "float" and not bit_perfect:
        native = Native(True, 0)
    if bit_perfect and bits in (16, 24, 32):
        is_hw = alsa_name(device_id or "").startswith("hw:")
        extra = exclusive_settings(device_index)
        dtype = "int16" if bits == 16 else "int32"
        if native is not None and native.int_bits < bits:
            deepest = native.int_bits or "no integer"
            notice = f"{label} takes at most {deepest}-bit samples, not this track's {bits}"
        elif (why := _takes(device_index, rate, dtype, extra)) is not None:
            refused = "Invalid sample rate" in why
            notice = (
                f"{label} does not take {rate / 1000:g} kHz"
                if refused
                else f"{label} cannot be opened exclusively ({why})"
            )
        else:
            return Plan(device_id, rate, bits, True, extra is not None or is_hw)
    plan = _shared(device_id, device_index, rate, None, native)
    if notice is not None:
        depth = f"{plan.bits}-bit with dither" if plan.bits else "float"
        notice += f": playing shared at {plan.rate / 1000:g} kHz, {depth} (not bit-perfect)"
        return Plan(plan.device, plan.rate, plan.bits, False, False, notice)
    return plan


def _shared(
    device_id: str | None,
    device_index: int | None,
    rate: int,
    notice: str | None,
    native: Native | None = None,
) -> Plan:
    bits = 0 if native is None or native.float32 or not native.int_bits else native.int_bits
    dtype = {0: "float32", 16: "int16"}.get(bits, "int32")
    if _takes(device_index, rate, dtype) is not None:
        rate = _default_rate(device_index)
    return Plan(device_id, rate, bits, False, False, notice)


def describe_path(
    *,
    exact: bool,
    bits: int,
    rate: int,
    source_rate: int | None,
    name: str,
    exclusive: bool = False,
    dither: bool = False,
) -> str:
    """An output path for people, as the now-playing badge and ``kindred devices`` say
    it: "bit-perfect · 24/96 → hw:1,0 exclusive", "shared · 44.1 → 48 kHz → hw:0,0 ·
    16-bit · dither"."""
    khz = f"{rate / 1000:g}"
    if exact:
        return f"bit-perfect · {bits}/{khz} → {name}" + (" exclusive" if exclusive else "")
    rates = f"{source_rate / 1000:g} → {khz}" if source_rate and source_rate != rate else khz
    parts = [f"shared · {rates} kHz → {name}"]
    if bits:
        parts.append(f"{bits}-bit")
        if dither:
            parts.append("dither")
    return " · ".join(parts)


def device_details(device_id: str, *, bit_perfect: bool, sample_format: str) -> dict[str, Any]:
    """What ``kindred devices --json`` says of a card: its host API, default rate, the
    formats it takes without conversion, and the path a 16/44.1 and a 24/96 track take."""
    import sounddevice as sd

    from player.audio.output.sinks import device_index

    index = device_index(device_id)
    info = sd.query_devices(index)
    details: dict[str, Any] = {
        "host_api": str(sd.query_hostapis(info["hostapi"])["name"]),
        "default_rate": int(info["default_samplerate"]),
    }
    try:
        native = native_formats(device_id)
        details["formats"] = native.names() if native is not None else None
    except DeviceBusy as exc:
        details["formats"], details["busy"] = None, str(exc)
    paths = {}
    for bits, rate in ((16, 44100), (24, 96000)):
        try:
            plan = plan_output(
                device_id, index, rate, bits, bit_perfect=bit_perfect, sample_format=sample_format
            )
            paths[f"{bits}/{rate / 1000:g}"] = {
                "path": describe_path(
                    exact=plan.exact,
                    bits=plan.bits,
                    rate=plan.rate,
                    source_rate=rate,
                    name=device_id,
                    exclusive=plan.exclusive,
                    dither=bool(plan.bits),
                ),
                "notice": plan.notice,
            }
        except Exception as exc:  # a card that cannot open is described, not fatal
            paths[f"{bits}/{rate / 1000:g}"] = {"path": None, "notice": str(exc)}
    details["output"] = paths
    return details
