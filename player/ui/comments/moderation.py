"""The Moderation tab: open reports, hiding, dismissing, suspending, and the moderation log.

It sits beside Queue, Lyrics and Comments in the side panel, and only while the
signed-in account moderates the comment server (its own profile says
``is_moderator``); anyone else never sees it. Each report shows the comment and
its context (song id, author, text, who reported it and why) with Hide (asks
for a reason), Dismiss and Suspend the author (a number of days or for good,
with a reason). Every call runs on the task runner; errors read as sentences.
"""

from __future__ import annotations

from datetime import datetime

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from player.social import people
from player.social.client import LogEntry
from player.social.service import CommentsService
from player.ui.comments.card import primary_button, section_label
from player.ui.comments.panel import CommentsPanel
from player.ui.comments.profile import error_text
from player.ui.comments.style import panel_style
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner
from player.ui.kit.theme import Theme


class ReportCard(QFrame):
    """One open report with its actions; the forms for a hide or a suspension open inline."""

    hideWanted = Signal(int, str)  # comment id, reason
    dismissWanted = Signal(int)  # report id
    suspendWanted = Signal(str, str, object)  # user name, reason, days (None: for good)

    def __init__(self, report: people.Report, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CommentCard")
        self.report = report
        comment = report.comment
        self.author_name = comment.author.username if comment.author else ""
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 10, 12, 8)
        column.setSpacing(4)
        who = QLabel(self.author_name or self.tr("[deleted]"), self)
        who.setObjectName("CommentAuthor")
        where = QLabel(
            self.tr("comment #{comment} on song #{song}").format(
                comment=comment.id, song=comment.song_id
            ),
            self,
        )
        where.setObjectName("CommentMeta")
        where.setWordWrap(True)
        column.addWidget(who)
        column.addWidget(where)
        body = QLabel(comment.body, self)
        body.setObjectName("CommentBody")
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(body)
        self.why = QLabel(
            self.tr("Reported by {name}: {reason}").format(
                name=report.reporter or self.tr("someone"), reason=report.reason
            ),
            self,
        )
        self.why.setObjectName("CommentStatus")
        self.why.setWordWrap(True)
        self.why.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(self.why)
        buttons = QHBoxLayout()
        buttons.setSpacing(2)
        self.hide_button = self._small(self.tr("Hide…"), self.tr("Hide the comment"))
        self.dismiss_button = self._small(
            self.tr("Dismiss"), self.tr("Close the report and leave the comment be")
        )
        self.suspend_button = self._small(
            self.tr("Suspend…"), self.tr("Suspend the comment's author")
        )
        self.suspend_button.setEnabled(bool(self.author_name))
        for button in (self.hide_button, self.dismiss_button, self.suspend_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        # hiding: why (the author is told)
        self.hide_form = QWidget(self)
        row = QVBoxLayout(self.hide_form)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        self.hide_reason = QLineEdit(self.hide_form)
        self.hide_reason.setPlaceholderText(self.tr("Why hide it? The author is told."))
        self.hide_reason.setAccessibleName(self.tr("Reason for hiding"))
        self.hide_confirm = primary_button(self.tr("Hide comment"), self.hide_form)
        row.addWidget(self.hide_reason)
        row.addWidget(self.hide_confirm, 0, Qt.AlignmentFlag.AlignRight)
        self.hide_form.setVisible(False)
        column.addWidget(self.hide_form)
        # suspending: why, and for how long
        self.suspend_form = QWidget(self)
        form = QVBoxLayout(self.suspend_form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(4)
        how_long = QHBoxLayout()
        self.suspend_reason = QLineEdit(self.suspend_form)
        self.suspend_reason.setPlaceholderText(self.tr("Why suspend them?"))
        self.suspend_reason.setAccessibleName(self.tr("Reason for the suspension"))
        self.days = QSpinBox(self.suspend_form)
        self.days.setRange(1, 3650)
        self.days.setValue(7)
        self.days.setSuffix(self.tr(" days"))
        self.days.setAccessibleName(self.tr("Days suspended"))
        self.for_good = QCheckBox(self.tr("For good"), self.suspend_form)
        self.for_good.toggled.connect(lambda on: self.days.setEnabled(not on))
        self.suspend_confirm = primary_button(self.tr("Suspend"), self.suspend_form)
        form.addWidget(self.suspend_reason)
        for widget in (self.days, self.for_good):
            how_long.addWidget(widget)
        how_long.addStretch(1)
        form.addLayout(how_long)
        form.addWidget(self.suspend_confirm, 0, Qt.AlignmentFlag.AlignRight)
        self.suspend_form.setVisible(False)
        column.addWidget(self.suspend_form)
        self.error = QLabel("", self)
        self.error.setObjectName("CommentError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        column.addWidget(self.error)
        self.hide_button.clicked.connect(lambda: self._open(self.hide_form, self.hide_reason))
        self.suspend_button.clicked.connect(
            lambda: self._open(self.suspend_form, self.suspend_reason)
        )
        self.dismiss_button.clicked.connect(lambda: emit(self.dismissWanted, report.id))
        self.hide_confirm.clicked.connect(self._hide)
        self.hide_reason.returnPressed.connect(self._hide)
        self.suspend_confirm.clicked.connect(self._suspend)

    def _small(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName("CommentAction")
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        return button

    def _open(self, form: QWidget, field: QLineEdit) -> None:
        form.setVisible(not form.isVisible())
        if form.isVisible():
            field.setFocus()

    def say(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _hide(self) -> None:
        reason = self.hide_reason.text().strip()
        if not reason:
            self.say(self.tr("Give a reason: the author is told why their comment was hidden."))
            return
        self.say("")
        emit(self.hideWanted, self.report.comment.id, reason)

    def _suspend(self) -> None:
        reason = self.suspend_reason.text().strip()
        if not reason:
            self.say(self.tr("Give a reason for the suspension."))
            return
        self.say("")
        days = None if self.for_good.isChecked() else self.days.value()
        emit(self.suspendWanted, self.author_name, reason, days)


class ModerationPage(QWidget):
    """Open reports (newest first) and the moderation log, with a Refresh button."""

    def __init__(
        self,
        backend: CommentsService,
        runner: TaskRunner,
        theme: Theme,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("CommentsPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.backend, self.runner = backend, runner
        self.report_cards: dict[int, ReportCard] = {}
        self.loading = 0  # reads (reports, log) under way
        self.log_cursor: str | None = None  # where the log's next page starts
        self._log_generation = 0  # a refresh makes older pages' answers stale
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        head = QWidget(self)
        head.setObjectName("CommentsHead")
        top = QHBoxLayout(head)
        top.setContentsMargins(14, 10, 14, 6)
        title = QLabel(self.tr("Moderation"), head)
        title.setObjectName("CommentsTitle")
        self.refresh_button = QPushButton(self.tr("Refresh"), head)
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        outer.addWidget(head)
        self.status = QLabel("", self)
        self.status.setObjectName("CommentStatus")
        self.status.setWordWrap(True)
        self.status.setVisible(False)
        outer.addWidget(self.status)
        scroll = QScrollArea(self)
        scroll.setObjectName("CommentsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(scroll)
        body.setObjectName("CommentsList")
        rows = QVBoxLayout(body)
        rows.setContentsMargins(10, 6, 10, 10)
        rows.setSpacing(8)
        rows.addWidget(section_label(self.tr("OPEN REPORTS"), body))
        self.reports_box = QVBoxLayout()
        self.reports_box.setSpacing(8)
        rows.addLayout(self.reports_box)
        self.no_reports = QLabel(self.tr("No open reports."), body)
        self.no_reports.setObjectName("CommentMeta")
        rows.addWidget(self.no_reports)
        rows.addWidget(section_label(self.tr("MODERATION LOG"), body))
        self.log = QListWidget(body)
        self.log.setObjectName("ModerationLog")
        self.log.setAccessibleName(self.tr("Moderation log"))
        self.log.setWordWrap(True)
        self.log.setMinimumHeight(160)
        rows.addWidget(self.log, 1)
        self.more_button = QPushButton(self.tr("Load older entries"), body)
        self.more_button.setVisible(False)
        self.more_button.clicked.connect(self.load_more)
        rows.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignLeft)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.setStyleSheet(panel_style(theme))

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # ---- reading ------------------------------------------------------------------------
    def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        self.loading += 2
        task = self.runner.submit(people.open_reports, self.backend, name="reports")
        task.done.connect(self._reports)
        self._log_generation += 1
        generation = self._log_generation
        self.log_cursor = None
        self.more_button.setVisible(False)
        log = self.runner.submit(people.moderation_log, self.backend, None, name="moderation log")
        log.done.connect(lambda page, error: self._log(generation, page, error, fresh=True))

    def load_more(self) -> None:
        """The next page of the log, below what it shows."""
        if not self.log_cursor:
            return
        self.more_button.setEnabled(False)
        self.loading += 1
        generation = self._log_generation
        log = self.runner.submit(
            people.moderation_log, self.backend, self.log_cursor, name="moderation log"
        )
        log.done.connect(lambda page, error: self._log(generation, page, error, fresh=False))

    def _reports(self, reports: list[people.Report] | None, error: object) -> None:
        self.refresh_button.setEnabled(True)
        self.loading -= 1
        if reports is None:
            self._say(self.tr("The reports could not be loaded: {error}").format(
                error=error_text(error)))  # fmt: skip
            return
        self._say("")
        while self.reports_box.count():
            widget = self.reports_box.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.report_cards.clear()
        for report in reports:
            card = ReportCard(report, self)
            card.hideWanted.connect(lambda cid, why, c=card: self.hide(c, cid, why))
            card.dismissWanted.connect(lambda rid, c=card: self.dismiss(c, rid))
            card.suspendWanted.connect(
                lambda name, why, days, c=card: self.suspend(c, name, why, days)
            )
            self.reports_box.addWidget(card)
            self.report_cards[report.id] = card
        self.no_reports.setVisible(not reports)

    def _log(
        self,
        generation: int,
        page: tuple[list[LogEntry], str | None] | None,
        error: object,
        *,
        fresh: bool,
    ) -> None:
        self.loading -= 1
        if generation != self._log_generation:
            return  # a refresh started meanwhile and reads the log from its top
        self.more_button.setEnabled(True)
        if page is None:
            self._say(self.tr("The moderation log could not be loaded: {error}").format(
                error=error_text(error)))  # fmt: skip
            return
        entries, self.log_cursor = page
        if fresh:
            self.log.clear()
        for entry in entries:
            self.log.addItem(self.log_line(entry))
        self.more_button.setVisible(bool(self.log_cursor))

    def log_line(self, entry: LogEntry) -> str:
        """ "07 Dec 14:02 · mod hid comment #12 of alice: spam" and the like."""
        who = entry.moderator.username if entry.moderator else self.tr("[deleted]")
        target = entry.target.username if entry.target else self.tr("[deleted]")
        what = {
            "hide": self.tr("{who} hid comment #{comment} of {target}"),
            "dismiss": self.tr("{who} dismissed a report on comment #{comment} of {target}"),
            "suspend": self.tr("{who} suspended {target} until {until}"),
            "unsuspend": self.tr("{who} lifted the suspension of {target}"),
        }.get(entry.action, "{who}: " + entry.action + " {target}")
        if entry.action == "suspend" and entry.for_good:
            what = self.tr("{who} suspended {target} for good")
        text = what.format(who=who, target=target, comment=entry.comment_id or "",
                           until=_short_date(entry.until or ""))  # fmt: skip
        if entry.reason:
            text += f": {entry.reason}"
        return f"{_short_date(entry.created_at)} · {text}"

    # ---- acting -------------------------------------------------------------------------
    def _after(self, card: ReportCard, name: str, *call: object) -> None:
        for button in (card.hide_button, card.dismiss_button, card.suspend_button):
            button.setEnabled(False)
        task = self.runner.submit(*call, name=name)  # type: ignore[arg-type]
        task.done.connect(lambda _result, error: self._done(card, error))

    def _done(self, card: ReportCard, error: object) -> None:
        if not shiboken6.isValid(card):  # a refresh replaced it meanwhile
            self.refresh()
            return
        for button in (card.hide_button, card.dismiss_button):
            button.setEnabled(True)
        card.suspend_button.setEnabled(bool(card.author_name))
        if error is not None:
            card.say(error_text(error))
            return
        self.refresh()

    def hide(self, card: ReportCard, comment_id: int, reason: str) -> None:
        self._after(card, "hide", people.hide, self.backend, comment_id, reason)

    def dismiss(self, card: ReportCard, report_id: int) -> None:
        self._after(card, "dismiss", people.dismiss, self.backend, report_id)

    def suspend(self, card: ReportCard, username: str, reason: str, days: int | None) -> None:
        self._after(card, "suspend", people.suspend, self.backend, username, reason, days)


def _short_date(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


class ModerationTab(QObject):
    """Adds the Moderation tab to *side* while the signed-in account is a moderator."""

    checked = Signal(bool)  # after each check: whether the tab shows

    def __init__(self, side: QTabWidget, panel: CommentsPanel) -> None:
        super().__init__(panel)
        self.side, self.panel = side, panel
        self.page: ModerationPage | None = None
        self.moderator: bool | None = None  # None: not asked yet
        self._generation = 0
        panel.accountChanged.connect(self.check)

    def check(self) -> None:
        """Ask the server (on a worker) whether this account moderates; show or drop the tab."""
        self._generation += 1
        generation = self._generation
        if not self.panel.backend.configured:
            self._show(False)
            return
        task = self.panel.runner.submit(people.am_moderator, self.panel.backend, name="moderator?")
        task.done.connect(lambda result, error: self._checked(generation, result, error))

    def _checked(self, generation: int, moderator: object, error: object) -> None:
        if generation == self._generation:
            self._show(bool(moderator) and error is None)

    def _show(self, moderator: bool) -> None:
        self.moderator = moderator
        if moderator and self.page is None:
            panel = self.panel
            self.page = ModerationPage(panel.backend, panel.runner, panel.theme, self.side)
            self.side.addTab(self.page, self.tr("Moderation"))
            self.page.refresh()
        elif not moderator and self.page is not None:
            self.side.removeTab(self.side.indexOf(self.page))
            self.page.deleteLater()
            self.page = None
        emit(self.checked, moderator)


def attach_moderation(side: QTabWidget, panel: CommentsPanel) -> ModerationTab:
    """The Moderation tab for moderators, kept in step with the Comments tab's account."""
    return ModerationTab(side, panel)
