"""The tag editor: common tags of one or many tracks, written atomically on a worker.

Each field shows the value the selected tracks share; where they differ it is
empty with "(mixed)" as its placeholder and is left alone unless something is
typed into it. Saving writes only the fields that changed, into every file,
through the library's atomic tag writer (:mod:`player.library.tagbatch`), off the
UI thread. Files that fail are listed with their reason while the others are
written, and the track lists show the new tags as soon as the write is done.
"""

from __future__ import annotations

from string import Template

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from player.audio.queue import QueueItem
from player.library.tagbatch import BatchResult, read_tracks, write_batch
from player.library.track import TrackInfo
from player.ui.kit.theme import palette
from player.ui.tracks.model import TrackTableModel
from player.ui.tracks.rgaction import ReplayGainAction

#: the text fields, in form order; lists (artists, genres) are "; "-separated
TEXT_FIELDS: tuple[str, ...] = (
    "title", "artists", "album", "album_artists", "genres", "date", "composer", "comment",
)  # fmt: skip
#: (number key, total key) pairs shown side by side
NUMBER_PAIRS: tuple[tuple[str, str], ...] = (
    ("track_number", "track_total"),
    ("disc_number", "disc_total"),
)
_QSS = Template("""
QLabel#EditorTitle { font-size: 14pt; font-weight: 700; color: $text; }
QLineEdit, QPlainTextEdit { background: $panel_hi; border: 1px solid $border; border-radius: 7px;
  padding: 5px 9px; color: $text; }
QLineEdit:focus, QPlainTextEdit:focus { border-color: $accent; }
QLineEdit:disabled, QPlainTextEdit:disabled { color: $text_dim; }
QLabel#ErrorText { color: $danger; }
QListWidget { background: $panel_hi; border: 1px solid $border; border-radius: 7px; padding: 4px; }
""")
LIST_FIELDS = frozenset({"artists", "album_artists", "genres"})
NUMBER_FIELDS = frozenset(k for pair in NUMBER_PAIRS for k in pair)


def shown_value(info: TrackInfo, key: str) -> str:
    """A field of *info* as the editor shows it."""
    value = getattr(info, key)
    if key in LIST_FIELDS:
        return "; ".join(value)
    if key in NUMBER_FIELDS:
        return str(value) if value else ""
    return str(value or "")


def parsed_value(key: str, text: str) -> object:
    """What the writer gets for *text* typed into field *key* (``None`` clears)."""
    text = text.strip()
    if not text:
        return None
    if key in LIST_FIELDS:
        return [part.strip() for part in text.split(";") if part.strip()]
    if key in NUMBER_FIELDS:
        return int(text)
    return text


class TagEditor(QDialog):
    """Edit tags of *track_ids*; ``written(BatchResult)`` after each save."""

    loaded = Signal()
    written = Signal(object)

    def __init__(
        self, model: TrackTableModel, track_ids: list[int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.model, self.track_ids = model, list(track_ids)
        self.tracks: list[tuple[int, TrackInfo]] = []
        self.original: dict[str, str | None] = {}  # key -> shared value, None when mixed
        self.edited: set[str] = set()
        self.busy = False
        self.setObjectName("TagEditor")
        self.setWindowTitle(self.tr("Edit tags"))
        self.setAccessibleName(self.tr("Tag editor"))
        self.setMinimumWidth(520)
        theme = getattr(parent, "theme", None)
        self._build()
        # last: the stylesheet reaches the children by the names _build gave them
        self.setStyleSheet(_QSS.safe_substitute(palette(getattr(theme, "name", "dark"))))
        self._set_fields_enabled(False)
        task = model.runner.submit(read_tracks, model.db_path, self.track_ids, name="read tags")
        task.done.connect(self._tracks_read)

    @classmethod
    def open_for(cls, view: QAbstractItemView, track_ids: list[int]) -> TagEditor | None:
        """Show an editor for *track_ids* of a track list (deleted when closed)."""
        model = view.model()
        if not isinstance(model, TrackTableModel) or not track_ids:
            return None
        dialog = cls(model, track_ids, view.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # ---- building ------------------------------------------------------------------
    def _line(self, key: str, label: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setAccessibleName(label)
        field.textEdited.connect(lambda _text, key=key: self.edited.add(key))
        self.fields[key] = field
        return field

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 16)
        layout.setSpacing(12)
        self.heading = QLabel(self.tr("Reading tags…"), self)
        self.heading.setObjectName("EditorTitle")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        labels = {
            "title": self.tr("Title"),
            "artists": self.tr("Artist"),
            "album": self.tr("Album"),
            "album_artists": self.tr("Album artist"),
            "genres": self.tr("Genre"),
            "date": self.tr("Date"),
            "composer": self.tr("Composer"),
            "comment": self.tr("Comment"),
        }
        numbers = QRegularExpressionValidator(QRegularExpression(r"\d{0,4}"), self)
        for key in TEXT_FIELDS:
            field = self._line(key, labels[key])
            if key == "date":
                field.setToolTip(self.tr("A year, or a date like 2001-05-31"))
            if key in LIST_FIELDS:
                field.setToolTip(self.tr("Separate several names with “;”"))
            form.addRow(labels[key], field)
        pair_labels = (self.tr("Track"), self.tr("Disc"))
        for (number_key, total_key), label in zip(NUMBER_PAIRS, pair_labels, strict=True):
            row = QHBoxLayout()
            number = self._line(number_key, label)
            total = self._line(total_key, label + " " + self.tr("total"))
            for field in (number, total):
                field.setValidator(numbers)
                field.setMaximumWidth(90)
            row.addWidget(number)
            row.addWidget(QLabel(self.tr("of"), self))
            row.addWidget(total)
            row.addStretch(1)
            form.addRow(label, row)
        lyrics = QPlainTextEdit(self)
        lyrics.setAccessibleName(self.tr("Lyrics"))
        lyrics.setFixedHeight(90)
        lyrics.textChanged.connect(self._lyrics_changed)
        self.fields["lyrics"] = lyrics
        form.addRow(self.tr("Lyrics"), lyrics)
        layout.addLayout(form)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.problem = QLabel("", self)
        self.problem.setObjectName("ErrorText")
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        layout.addWidget(self.problem)
        self.errors = QListWidget(self)
        self.errors.setAccessibleName(self.tr("Files that could not be written"))
        self.errors.setMaximumHeight(110)
        self.errors.setVisible(False)
        layout.addWidget(self.errors)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("Primary")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.replaygain = ReplayGainAction(self)
        self._filling = False

    def _lyrics_changed(self) -> None:
        if not self._filling:
            self.edited.add("lyrics")

    def _set_fields_enabled(self, on: bool) -> None:
        for field in self.fields.values():
            field.setEnabled(on)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(on)

    # ---- filling -------------------------------------------------------------------
    def _tracks_read(self, tracks: list[tuple[int, TrackInfo]] | None, error: object) -> None:
        if error is not None or not tracks:
            self.heading.setText(self.tr("These tracks are no longer in the library."))
            self._show_problem(str(error) if error else "")
            return
        self.tracks = tracks
        count = len(tracks)
        if count == 1:
            info = tracks[0][1]
            self.heading.setText(
                self.tr("Editing {name}").format(name=info.path.rsplit("/", 1)[-1])
            )
        else:
            self.heading.setText(self.tr("Editing {n} tracks").format(n=count))
        self._filling = True
        for key, field in self.fields.items():
            values = {shown_value(info, key) for _, info in tracks}
            shared = values.pop() if len(values) == 1 else None
            self.original[key] = shared
            if isinstance(field, QPlainTextEdit):
                field.setPlainText(shared or "")
            else:
                field.setText(shared or "")
            field.setPlaceholderText("" if shared is not None else self.tr("(mixed)"))
        self._filling = False
        self.edited.clear()
        self._set_fields_enabled(True)
        self.fields["title"].setFocus()
        self.loaded.emit()

    def text(self, key: str) -> str:
        field = self.fields[key]
        return field.toPlainText() if isinstance(field, QPlainTextEdit) else field.text()

    def changes(self) -> dict[str, object]:
        """The fields to write: edited ones whose text differs from what all tracks share.

        A mixed field left empty stays untouched (it still reads "(mixed)").
        """
        out: dict[str, object] = {}
        for key in self.fields:
            if key not in self.edited:
                continue
            text = self.text(key)
            shared = self.original.get(key)
            if shared is None and not text.strip():
                continue
            if shared is not None and text.strip() == shared.strip():
                continue
            out[key] = parsed_value(key, text)
        return out

    # ---- saving --------------------------------------------------------------------
    def save(self) -> None:
        if self.busy or not self.tracks:
            return
        changes = self.changes()
        if not changes:
            self.accept()
            return
        self.busy = True
        self._set_fields_enabled(False)
        self.problem.setVisible(False)
        self.errors.clear()
        self.errors.setVisible(False)
        self.progress.setRange(0, len(self.tracks))
        self.progress.setValue(0)
        self.progress.setVisible(len(self.tracks) > 1)
        task = self.model.runner.submit(
            write_batch,
            self.model.db_path,
            list(self.tracks),
            changes,
            name="write tags",
            with_progress=True,
        )
        task.progress.connect(lambda done, _total: self.progress.setValue(done))
        task.done.connect(self._written)

    def _written(self, result: BatchResult | None, error: object) -> None:
        self.busy = False
        self.progress.setVisible(False)
        if result is None:
            self._set_fields_enabled(True)
            self._show_problem(str(error))
            return
        self._refresh_lists(result.written)
        self.written.emit(result)
        if not result.errors:
            self.accept()
            return
        failed = len(result.errors)
        self._show_problem(
            self.tr("{failed} of {total} files could not be written:").format(
                failed=failed, total=len(self.tracks)
            )
        )
        for path, exc in result.errors:
            self.errors.addItem(f"{path.rsplit('/', 1)[-1]} — {exc.short}")
            item = self.errors.item(self.errors.count() - 1)
            item.setToolTip(exc.detail)
        self.errors.setVisible(True)
        # what was written is now the shared value; what failed can be retried
        written = set(result.written)
        self.tracks = [t for t in self.tracks if t[0] not in written] or self.tracks
        self._set_fields_enabled(True)

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _refresh_lists(self, track_ids: list[int]) -> None:
        """Every track list of the window re-reads the rows of the written tracks."""
        if not track_ids:
            return
        top = self.parentWidget() or self
        models = {self.model}
        for view in top.findChildren(QAbstractItemView):
            if isinstance(view.model(), TrackTableModel):
                models.add(view.model())  # type: ignore[arg-type]
        for model in models:
            model.update_tracks(track_ids)
        bridge, db = getattr(top, "bridge", None), getattr(top, "db", None)
        if bridge is not None and db is not None:  # the queue and now-playing bar follow
            tags = {}
            for track_id in track_ids:
                info = db.get_track(track_id)
                if info is not None:
                    item = QueueItem.from_track(info, track_id)
                    tags[track_id] = {
                        "title": item.title,
                        "artist": item.artist,
                        "album": item.album,
                        "album_artist": info.album_artist,
                    }
            bridge.retag(tags)
