"""A private PulseAudio daemon with a null sink, recorded in real time from its monitor.

:class:`PulseServer` starts ``pulseaudio`` with no configuration of its own
(``-n``), one ``module-null-sink`` named :data:`SINK` (44.1 kHz, stereo,
16-bit, like a common sound card) and a native-protocol socket in a temporary
folder. Its HOME, XDG folders, cookie and runtime dir all live in that folder,
so it never touches a person's sound server; :attr:`PulseServer.env` is what a
child process needs to play to it (``PULSE_SERVER`` and friends).
:meth:`PulseServer.record` runs a command while ``parec`` records the sink's
monitor (raw s16le, stereo, 44.1 kHz, at the device's own pace) and returns
the samples. Running as root needs ``--system=no``; the daemon warns and runs.
Plain module (no pytest in it) so that a benchmark script can import it too.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType

import numpy as np

from tests.processes import default_sigint, stop_process

__all__ = ["CHANNELS", "RATE", "SINK", "PulseServer", "pulse_missing", "read_raw"]

SINK = "kindred_test"
RATE = 44100
CHANNELS = 2
PAREC_LATENCY_MS = 20
_TOOLS = ("pulseaudio", "parec", "paplay", "pactl")


def pulse_missing() -> str | None:
    """Why a PulseAudio test cannot run here (None when the daemon and its tools exist)."""
    for tool in _TOOLS:
        if shutil.which(tool) is None:
            return f"{tool} is not installed (CI installs pulseaudio and pulseaudio-utils)"
    return None


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the test process dies, so no daemon is left."""
    with contextlib.suppress(Exception):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def read_raw(path: str | Path, channels: int = CHANNELS) -> np.ndarray:
    """A raw s16le recording as float frames in [-1, 1), shape (frames, channels)."""
    data = np.fromfile(path, dtype="<i2")
    data = data[: data.size - data.size % channels]
    return data.reshape(-1, channels).astype(np.float64) / 32768.0


class PulseServer:
    """A PulseAudio daemon with one null sink, the default; use as a context manager.

    ``env`` is os.environ plus what a client needs to reach this daemon and
    nothing else (no autospawn, a private cookie). ``record`` plays a command
    to the sink while recording its monitor.
    """

    def __init__(self, *, workdir: str | Path | None = None, start_timeout: float = 15.0) -> None:
        self.start_timeout = start_timeout
        self._owned_tmp: tempfile.TemporaryDirectory[str] | None = None
        if workdir is None:
            self._owned_tmp = tempfile.TemporaryDirectory(prefix="kindred-pulse-")
            workdir = self._owned_tmp.name
        self.workdir = Path(workdir)
        self.socket = self.workdir / "runtime" / "native"
        self.log_path = self.workdir / "pulseaudio.log"
        self._daemon: subprocess.Popen[bytes] | None = None
        self.env: dict[str, str] = {}

    # --- life ---------------------------------------------------------------------------
    def __enter__(self) -> PulseServer:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        missing = pulse_missing()
        if missing:
            raise RuntimeError(missing)
        home = self.workdir / "home"
        runtime = self.workdir / "runtime"
        for folder in (home, runtime, home / ".config", home / "state"):
            folder.mkdir(parents=True, exist_ok=True)
        runtime.chmod(0o700)
        client_conf = self.workdir / "client.conf"
        client_conf.write_text("autospawn = no\n")
        cookie = self.workdir / "cookie"
        private = {
            "HOME": str(home),
            "XDG_RUNTIME_DIR": str(runtime),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "PULSE_RUNTIME_PATH": str(runtime),
            "PULSE_STATE_PATH": str(home / "state"),
            "PULSE_COOKIE": str(cookie),
            "PULSE_CLIENTCONFIG": str(client_conf),
        }
        daemon_env = {**os.environ, **private}
        daemon_env.pop("PULSE_SERVER", None)
        daemon_env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        cmd = [
            "pulseaudio", "-n", "--daemonize=no", "--system=no", "--exit-idle-time=-1",
            "--disallow-exit", "--use-pid-file=no", "--realtime=no", "--high-priority=no",
            "--disable-shm=yes", "--log-target=stderr", "--log-level=warning",
            f"--load=module-null-sink sink_name={SINK} rate={RATE} channels={CHANNELS} "
            f"format=s16le norewinds=1 "
            f"sink_properties=device.description=Kindred-test-sink",
            f"--load=module-native-protocol-unix socket={self.socket} auth-anonymous=1",
        ]  # fmt: skip
        log = self.log_path.open("wb")
        try:
            self._daemon = subprocess.Popen(
                cmd, env=daemon_env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                preexec_fn=_die_with_parent,
            )  # fmt: skip
        finally:
            log.close()
        self.env = {
            **os.environ,
            **{k: v for k, v in private.items() if k.startswith("PULSE_")},
            "PULSE_SERVER": f"unix:{self.socket}",
            "PULSE_SINK": SINK,
        }
        self._wait_ready()
        self.pactl("set-default-sink", SINK)
        info = self.pactl("info")
        if f"Default Sink: {SINK}" not in info:
            raise RuntimeError(f"{SINK} did not become the default sink:\n{info}")

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while True:
            daemon = self._daemon
            assert daemon is not None
            if daemon.poll() is not None:
                raise RuntimeError(f"pulseaudio exited ({daemon.returncode}): {self.log()}")
            if self.socket.exists():
                probe = subprocess.run(
                    ["pactl", "info"], env=self.env, capture_output=True, timeout=10, check=False
                )
                if probe.returncode == 0:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"pulseaudio not ready after {self.start_timeout} s: {self.log()}"
                )
            time.sleep(0.05)

    def stop(self) -> None:
        daemon, self._daemon = self._daemon, None
        if daemon is not None:
            if daemon.poll() is None:
                daemon.send_signal(signal.SIGCONT)  # a frozen daemon must hear the SIGTERM
            stop_process(daemon)
        if self._owned_tmp is not None:
            self._owned_tmp.cleanup()
            self._owned_tmp = None

    def kill(self) -> None:
        """End the daemon at once (SIGKILL), as a sound card that is pulled out: its
        clients' connections break, nothing is cleaned up."""
        daemon = self._daemon
        if daemon is not None and daemon.poll() is None:
            daemon.kill()
            daemon.wait(timeout=10)

    def freeze(self) -> None:
        """Stop the daemon (SIGSTOP), as a hung sound server: its clients stay connected
        and get no answer. :meth:`kill` or :meth:`stop` ends it."""
        daemon = self._daemon
        if daemon is not None and daemon.poll() is None:
            daemon.send_signal(signal.SIGSTOP)

    def log(self) -> str:
        """The daemon's log so far (warnings and errors)."""
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")[-4000:]
        return ""

    def pactl(self, *args: str) -> str:
        """Run ``pactl`` against this daemon and return its output (raise on failure)."""
        out = subprocess.run(
            ["pactl", *args], env=self.env, capture_output=True, text=True, timeout=10, check=False
        )
        if out.returncode != 0:
            raise RuntimeError(f"pactl {' '.join(args)} failed: {out.stderr.strip()}")
        return out.stdout

    @contextlib.contextmanager
    def in_this_process(self) -> Iterator[PulseServer]:
        """Point this process's PortAudio (ALSA's pulse plugin) at this daemon for the block."""
        import sounddevice as sd

        keys = [k for k in self.env if k.startswith("PULSE_")]
        saved = {k: os.environ.get(k) for k in keys}
        os.environ.update({k: self.env[k] for k in keys})
        sd._terminate()  # PortAudio lists ALSA's devices when it starts: start it again here
        sd._initialize()
        try:
            yield self
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            sd._terminate()
            sd._initialize()

    # --- recording ----------------------------------------------------------------------
    @contextlib.contextmanager
    def recording(self, path: str | Path, *, tail_s: float = 0.3) -> Iterator[Path]:
        """Record the sink's monitor into *path* (raw s16le) while the block runs.

        Recording has begun (samples reach the file) when the block starts; it
        goes on for *tail_s* after the block so that what is still in the
        sink's buffer is heard.
        """
        path = Path(path)
        cmd = [
            "parec", f"--device={SINK}.monitor", "--format=s16le", f"--rate={RATE}",
            f"--channels={CHANNELS}", "--raw", f"--latency-msec={PAREC_LATENCY_MS}",
        ]  # fmt: skip
        with path.open("wb") as out:
            rec = subprocess.Popen(
                cmd, env=self.env, stdout=out, stderr=subprocess.PIPE,
                preexec_fn=default_sigint,  # stopped by SIGINT, even when pytest ignores it
            )  # fmt: skip
        try:
            deadline = time.monotonic() + 10
            while path.stat().st_size < 4 * CHANNELS * 100:  # the monitor is running
                if rec.poll() is not None:
                    err = rec.stderr.read().decode(errors="replace") if rec.stderr else ""
                    raise RuntimeError(f"parec exited ({rec.returncode}): {err}")
                if time.monotonic() > deadline:
                    raise RuntimeError("parec recorded nothing within 10 s")
                time.sleep(0.01)
            yield path
            time.sleep(tail_s)
        finally:
            stop_process(rec, signal.SIGINT)
            if rec.stderr:
                rec.stderr.close()

    def record(
        self,
        commands: Sequence[Sequence[str]],
        path: str | Path,
        *,
        timeout: float = 60.0,
        tail_s: float = 0.3,
        env: Mapping[str, str] | None = None,
    ) -> np.ndarray:
        """Run *commands* one after another (each to its end) while recording the sink.

        Returns the recording as float frames (see :func:`read_raw`). A command
        that fails raises with its stderr.
        """
        child_env = {**self.env, **(env or {})}
        with self.recording(path, tail_s=tail_s):
            for command in commands:
                done = subprocess.run(
                    list(command), env=child_env, capture_output=True, timeout=timeout, check=False
                )
                if done.returncode != 0:
                    raise RuntimeError(
                        f"{command[0]} failed ({done.returncode}): "
                        f"{done.stderr.decode(errors='replace').strip()[-2000:]}"
                    )
        return read_raw(path)
