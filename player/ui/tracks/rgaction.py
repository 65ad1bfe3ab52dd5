"""The tag editor's "Write ReplayGain" button: measure the chosen tracks' albums and tag them.

The work (decoding every track of each album in full, then the atomic writes)
runs on the task runner through :func:`player.recommend.rgtags.write_replaygain`;
the editor shows progress, what was written and which files failed, and every
track list re-reads the written rows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPushButton

from player.recommend.rgtags import RgResult, write_replaygain


class ReplayGainAction(QObject):
    """Adds the button to *editor*'s button box; ``finished(RgResult)`` after each run."""

    finished = Signal(object)

    def __init__(self, editor: Any) -> None:  # the TagEditor (which imports this module)
        super().__init__(editor)
        self.editor = editor
        self.running = False
        self.button = QPushButton(self.tr("Write ReplayGain"), editor)
        self.button.setObjectName("ReplayGainButton")
        self.button.setToolTip(
            self.tr(
                "Measure the loudness of these tracks and of their whole albums, and write "
                "ReplayGain 2.0 track and album gains and peaks into the files "
                "(R128 gains in Opus files)."
            )
        )
        editor.buttons.addButton(self.button, QDialogButtonBox.ButtonRole.ActionRole)
        self.status = QLabel("", editor)  # what the last run wrote (failures go to the editor's)
        self.status.setObjectName("ReplayGainStatus")
        self.status.setWordWrap(True)
        self.status.setVisible(False)
        layout = editor.layout()
        layout.insertWidget(layout.indexOf(editor.buttons), self.status)  # type: ignore[attr-defined]
        self.button.clicked.connect(self.run)

    def run(self) -> None:
        editor = self.editor
        if self.running or editor.busy or not editor.track_ids:
            return
        self.running = True
        self.button.setEnabled(False)
        editor.problem.setVisible(False)
        self.status.setVisible(False)
        editor.errors.clear()
        editor.errors.setVisible(False)
        editor.progress.setRange(0, 0)  # busy until the first album is done
        editor.progress.setVisible(True)
        task = editor.model.runner.submit(
            write_replaygain,
            editor.model.db_path,
            list(editor.track_ids),
            name="write replaygain",
            with_progress=True,
        )
        task.progress.connect(self._progress)
        task.done.connect(self._done)

    def _progress(self, done: int, total: int) -> None:
        self.editor.progress.setRange(0, total)
        self.editor.progress.setValue(done)

    def _done(self, result: RgResult | None, error: object) -> None:
        editor = self.editor
        self.running = False
        self.button.setEnabled(True)
        editor.progress.setVisible(False)
        if result is None:
            editor._show_problem(str(error))
            return
        editor._refresh_lists(result.written_ids)
        self.status.setText(
            self.tr("ReplayGain written to {n} files.").format(n=len(result.written))
        )
        self.status.setVisible(True)
        if result.errors:
            editor._show_problem(
                self.tr("Could not tag {failed} of {total} files:").format(
                    failed=len(result.errors), total=len(result.errors) + len(result.written)
                )
            )
            for path, exc in result.errors:
                editor.errors.addItem(f"{path.rsplit('/', 1)[-1]} — {exc.short}")
                editor.errors.item(editor.errors.count() - 1).setToolTip(exc.detail)
            editor.errors.setVisible(True)
        self.finished.emit(result)
