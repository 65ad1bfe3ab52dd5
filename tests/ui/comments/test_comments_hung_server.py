"""A comment server that accepts connections and never answers holds up nothing else.

Comment look-ups run on the window's own network pool: while they wait for
a hung server (time-outs, retries), the shared pool still serves the library
and the recommendations.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from tests.ui.comments.test_comments import open_on
from tests.ui.conftest import wait_loaded


@pytest.fixture
def hung_server() -> Iterator[str]:
    """A TCP server that accepts every connection and never sends a byte."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for conn in held:  # the waiting requests fail at once and the window can close
            conn.close()
        listener.close()


def test_a_hung_comment_server_does_not_hold_up_the_shared_pool(
    qtbot, open_window, make_ctx, demo_db, hung_server
) -> None:
    window, _engine = open_on(open_window, make_ctx, demo_db, hung_server)
    wait_loaded(qtbot, window.tracks_page.model)
    window.side.setCurrentWidget(window.comments)
    assert window.comments.runner is window.net_runner
    for row in range(3):  # three tracks in a row: three look-ups wait on the server
        window.tracks_page.view.play_rows([row])
        qtbot.wait(50)
    qtbot.waitUntil(lambda: window.net_runner.running >= 2, timeout=5000)
    task = window.runner.submit(sum, [1, 2, 3], name="library read")
    with qtbot.waitSignal(task.done, timeout=5000) as done:
        pass
    assert done.args == [6, None]
    assert window.net_runner.running >= 2  # still waiting on the server all along
