"""The Comments tab's look, in the theme's colours (kept beside the tab, not in base.qss)."""

from __future__ import annotations

from player.ui.kit.theme import Theme

_QSS = """
QWidget#CommentsList, QScrollArea#CommentsScroll, QWidget#CommentsSettingsPage {
  background: $panel; }
QLabel#CommentsTitle { font-size: 13pt; font-weight: 700; color: $text; }
QLabel#CommentMeta { color: $text_dim; font-size: 8.5pt; }
QLabel#CommentStatus { color: $text; background: $notice_bg; border: 1px solid $notice_border;
  border-radius: 6px; padding: 4px 8px; font-size: 8.5pt; }
QLabel#CommentError { color: $danger; font-size: 8.5pt; }
QLabel#CommentSection { color: $text_dim; font-size: 8pt; font-weight: 700; padding: 6px 4px 0 4px; }
QLabel#CommentEmpty { color: $text_dim; padding: 24px 12px; }
QFrame#CommentCard { background: $panel_hi; border: 1px solid $border; border-radius: 10px; }
QFrame#CommentReply { background: $row_alt; border: none; border-left: 2px solid $groove;
  border-radius: 0; }
QLabel#CommentAuthor { color: $text; font-weight: 700; }
QLabel#CommentBody { color: $text; }
QLabel#PendingTag { color: $notice_border; border: 1px solid $notice_border; border-radius: 8px;
  padding: 0 6px; font-size: 7.5pt; font-weight: 700; }
QToolButton#MomentChip { color: $accent; background: $accent_soft; border-radius: 8px;
  padding: 0 6px; font-size: 8pt; font-weight: 700; }
QToolButton#MomentChip:hover { background: $selection; }
QToolButton#CommentAction { color: $text_dim; padding: 2px 6px; font-size: 9pt; }
QToolButton#CommentAction:hover { color: $text; background: $hover; }
QToolButton#CommentAction:checked { color: $accent; background: transparent; }
QFrame#AccountBox { background: $panel; border-bottom: 1px solid $border; }
QFrame#ComposeBox { background: $panel; border-top: 1px solid $border; }
QPlainTextEdit#ComposeEdit, QLineEdit#InlineBox, QFrame#AccountBox QLineEdit {
  background: $bg; color: $text; border: 1px solid $border; border-radius: 8px; padding: 4px 6px; }
QPlainTextEdit#ComposeEdit:focus, QLineEdit#InlineBox:focus, QFrame#AccountBox QLineEdit:focus {
  border: 1px solid $accent; }
QToolButton#PinToggle { color: $text_dim; border: 1px solid $border; border-radius: 12px;
  padding: 3px 10px; }
QToolButton#PinToggle:checked { color: $on_accent; background: $accent; border-color: $accent; }
QLabel#MomentToast { background: $panel_hi; color: $text; border: 1px solid $accent;
  border-radius: 10px; padding: 8px 12px; }
QToolButton#CommentCount { color: $text_dim; font-size: 8.5pt; padding: 0 4px; }
QToolButton#CommentCount:hover { color: $text; }
"""


def panel_style(theme: Theme) -> str:
    """The tab's stylesheet with ``$name`` replaced by the theme's colours (longest first)."""
    text = _QSS
    for key in sorted(theme.colors, key=len, reverse=True):
        text = text.replace(f"${key}", theme.colors[key])
    return text
