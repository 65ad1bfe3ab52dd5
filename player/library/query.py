"""The search language: a query typed in the search field (or saved in a smart
playlist) is parsed into a small tree and compiled to one parameterized SQL
condition over ``tracks t LEFT JOIN ratings r ON r.track_id = t.id``.
:data:`SYNTAX_HELP` and :data:`FIELDS` describe the syntax for people; the
fields and their value parsers live in :mod:`player.library.query_fields`.

User text never becomes SQL text: every value, FTS5 ``MATCH`` strings included,
travels as a parameter, and MATCH strings quote each term as an FTS5 string.
Positive words of a conjunction are merged into one ``MATCH`` so that SQLite
does one index lookup and search results can be ranked by bm25.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable
from typing import Any

from player.errors import QueryError
from player.library.query_fields import (
    FIELDS,
    BadValue,
    FieldSpec,
    closest_field,
    complete_field,
    find_field,
    parse_age,
    parse_bool,
)
from player.library.store import fold, has_cjk

__all__ = [
    "CJK_TABLE",
    "FIELDS",
    "FTS_TABLE",
    "SYNTAX_HELP",
    "And",
    "CompiledQuery",
    "FieldSpec",
    "Filter",
    "Node",
    "Not",
    "Or",
    "Text",
    "compile_node",
    "compile_query",
    "complete_field",
    "find_field",
    "parse",
]

FTS_TABLE = "tracks_fts"
CJK_TABLE = "tracks_cjk"

SYNTAX_HELP = """\
words            every word must match (prefix, any case or accent): radioh ok
"a phrase"       words next to each other, in this order
最亮, がかり     Chinese, Japanese, Korean: found anywhere in the text
field:value      a filter, e.g. artist:"pink floyd"  year:1990..1999  rating:>=4
-term            leave out what matches: -live  -genre:rock  -(a OR b)
a OR b, a | b    either; binds looser than the implicit AND: a b OR c = (a b) OR c
( ... )          group terms
numbers          n, =n, >n, >=n, <n, <=n, a..b, ..b, a..
"""


# ---- the tree ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Text:
    """A free word (matched as a prefix) or a quoted phrase (matched as a phrase)."""

    text: str
    phrase: bool = False
    pos: int = dataclasses.field(default=0, compare=False)


@dataclasses.dataclass(frozen=True)
class Filter:
    """``field:value``, with the value already converted to database units.

    ``op`` is ``"~"`` (text match), ``"="``, ``"<"``, ``"<="``, ``">"``, ``">="``,
    ``"between"`` (value is an inclusive ``(low, high)`` pair), or for ``played``
    ``"never"``/``"ever"``. For ``played``/``added`` the numbers are ages in seconds.
    """

    field: str
    op: str
    value: Any
    phrase: bool = False
    pos: int = dataclasses.field(default=0, compare=False)


@dataclasses.dataclass(frozen=True)
class Not:
    """Everything that does not match ``child``."""

    child: Node
    pos: int = dataclasses.field(default=0, compare=False)


@dataclasses.dataclass(frozen=True)
class And:
    """All children match; an empty ``And`` matches every track."""

    children: tuple[Node, ...]


@dataclasses.dataclass(frozen=True)
class Or:
    """At least one child matches."""

    children: tuple[Node, ...]


Node = Text | Filter | Not | And | Or


# ---- lexing -------------------------------------------------------------------

_FIELD_PREFIX = re.compile(r"([A-Za-z][A-Za-z_]*):")
_DELIMITERS = frozenset('()|"')
_QUOTED = re.compile(r'"((?:[^"]|"")*)"')


@dataclasses.dataclass
class _Token:
    kind: str  # WORD PHRASE FILTER LP RP OR AND NOT
    pos: int
    text: str = ""
    field: str = ""
    value_pos: int = 0
    quoted: bool = False


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """The string opened by the quote at ``start`` (``""`` inside is a literal quote)."""
    match = _QUOTED.match(text, start)
    if match is None:
        raise QueryError("Unclosed quote", text, start)
    return match.group(1).replace('""', '"'), match.end()


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()|":
            tokens.append(_Token({"(": "LP", ")": "RP", "|": "OR"}[ch], i))
            i += 1
        elif ch == "-":
            if i + 1 == n or text[i + 1].isspace():  # "a - b" is no negation of b
                raise QueryError("'-' must be followed by a word, filter or group", text, i)
            tokens.append(_Token("NOT", i))
            i += 1
        elif ch == '"':
            value, end = _read_quoted(text, i)
            tokens.append(_Token("PHRASE", i, value, quoted=True))
            i = end
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in _DELIMITERS:
                i += 1
            word = text[start:i]
            match = _FIELD_PREFIX.match(word)
            if match:
                value_pos = start + match.end()
                value, quoted = word[match.end() :], False
                if not value and i < n and text[i] == '"':
                    value, i = _read_quoted(text, i)
                    quoted = True
                tokens.append(_Token("FILTER", start, value, match.group(1), value_pos, quoted))
            elif word in ("OR", "AND"):
                tokens.append(_Token(word, start))
            else:
                tokens.append(_Token("WORD", start, word))
    return tokens


# ---- parsing ------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str, tokens: list[_Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.i = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def fail(self, message: str, pos: int) -> QueryError:
        return QueryError(message, self.text, pos)

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            following = self.peek()
            if following is None or following.kind in ("OR", "AND", "RP"):
                raise self.fail("'OR' needs a term on both sides", token.pos)
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_expr(self) -> Node:
        items: list[Node] = []
        while (token := self.peek()) is not None and token.kind not in ("OR", "RP"):
            if token.kind == "AND":
                self.take()
                following = self.peek()
                if not items or following is None or following.kind in ("OR", "AND", "RP"):
                    raise self.fail("'AND' needs a term on both sides", token.pos)
                continue
            items.append(self.unary())
        if not items:
            assert token is not None  # callers never start at the end of the query
            message = "'OR' needs a term on both sides" if token.kind == "OR" else "Unmatched ')'"
            raise self.fail(message, token.pos)
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        token = self.peek()
        assert token is not None
        if token.kind == "NOT":
            self.take()
            following = self.peek()
            if following is None or following.kind in ("OR", "AND", "RP"):
                raise self.fail("'-' must be followed by a word, filter or group", token.pos)
            return Not(self.unary(), token.pos)
        return self.atom()

    def atom(self) -> Node:
        token = self.take()
        if token.kind == "LP":
            following = self.peek()
            if following is not None and following.kind == "RP":
                raise self.fail("Empty parentheses", token.pos)
            node = self.or_expr() if following is not None else None
            closing = self.peek()
            if node is None or closing is None or closing.kind != "RP":
                raise self.fail("Unclosed '('", token.pos)
            self.take()
            return node
        if token.kind == "FILTER":
            return _make_filter(self.text, token)
        if token.kind == "PHRASE" and not token.text.strip():
            raise self.fail("Empty quotes", token.pos)
        return Text(token.text, token.kind == "PHRASE", token.pos)


def parse(text: str) -> Node:
    """The tree of a query; raises :class:`QueryError` where it is malformed.

    An empty (or blank) query parses to ``And(())``, which matches everything.
    """
    tokens = _lex(text)
    if not tokens:
        return And(())
    parser = _Parser(text, tokens)
    node = parser.or_expr()
    leftover = parser.peek()
    if leftover is not None:
        raise parser.fail("Unmatched ')'", leftover.pos)
    return node


def _make_filter(text: str, token: _Token) -> Filter:
    spec = find_field(token.field)
    if spec is None:
        guess = closest_field(token.field)
        hint = f" — did you mean '{guess.name}'?" if guess else ""
        hint = hint or " (put the text in quotes to search for it)"
        raise QueryError(f"Unknown field '{token.field}'{hint}", text, token.pos)
    raw = token.text
    if not raw.strip():
        raise QueryError(f"Empty value for '{token.field}'", text, token.value_pos)
    start = token.value_pos + (1 if token.quoted else 0)

    def bad(message: str, offset: int = 0) -> QueryError:
        return QueryError(message, text, start + offset)

    if spec.kind in ("words", "substring", "exact"):
        if raw[0] in "<>" and not token.quoted:
            raise bad(f"'{spec.name}' takes text, not a comparison")
        return Filter(spec.name, "~" if spec.kind != "exact" else "=", raw, token.quoted, token.pos)
    if spec.kind == "bool":
        try:
            yes = parse_bool(raw)
        except BadValue:
            raise bad(f"Use yes or no for '{spec.name}', not '{raw}'") from None
        return Filter(spec.name, "=", yes, pos=token.pos)
    if spec.kind == "age" and raw.lower() in ("never", "ever"):
        if spec.name != "played":
            raise bad(f"'{raw}' works only with 'played'")
        return Filter(spec.name, raw.lower(), None, pos=token.pos)
    op, value = _parse_comparison(spec, raw, bad)
    return Filter(spec.name, op, value, pos=token.pos)


def _parse_comparison(
    spec: FieldSpec, raw: str, bad: Callable[[str, int], QueryError]
) -> tuple[str, Any]:
    """``op`` and value (or ``(low, high)``) of a number or age filter."""
    convert = parse_age if spec.kind == "age" else spec.parse
    assert convert is not None
    op = next((o for o in (">=", "<=", ">", "<", "=") if raw.startswith(o)), "")
    rest = raw[len(op) :]

    def value(part: str, offset: int) -> float:
        if not part:
            raise bad(f"Missing value for '{spec.name}'", offset)
        try:
            number = convert(part)
        except BadValue as exc:
            raise bad(f"{exc} (in '{spec.name}')", offset) from None
        if spec.bounds and not spec.bounds[0] <= number <= spec.bounds[1]:
            low, high = spec.bounds
            raise bad(f"'{spec.name}' goes from {low:g} to {high:g}", offset)
        return number

    if ".." in rest:
        if op:
            raise bad("Use either a range or a comparison, not both", 0)
        low_text, high_text = rest.split("..", 1)
        if not low_text and not high_text:
            raise bad(f"Empty range for '{spec.name}'", 0)
        low = value(low_text, 0) if low_text else None
        high = value(high_text, len(low_text) + 2) if high_text else None
        if low is None:
            return "<=", high
        if high is None:
            return ">=", low
        if low > high:
            raise bad("The range starts after it ends", 0)
        return "between", (low, high)
    number = value(rest, len(op))
    if spec.kind == "age" and op in ("", "="):
        op = "<"  # played:30d = played within the last 30 days
    return op or "=", number


# ---- compiling ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CompiledQuery:
    """A query as SQL over ``tracks t LEFT JOIN ratings r ON r.track_id = t.id``.

    ``where``/``params`` is the whole condition. When every match must also
    satisfy one full-text ``MATCH`` (``rank_table``, ``rank_match``) or, for a
    short CJK word, contain ``rank_substring`` in ``tracks_cjk.text``, the search
    can drive from that table and rank; ``rest_where``/``rest_params`` is then
    the rest of the condition, so that condition AND the rest equals ``where``.
    ``has_text``: positive free words or phrases are present. ``cjk_bound``: a
    required CJK word or field value limits the matches to the (usually few)
    tracks in the CJK substring table.
    """

    text: str
    where: str
    params: list[Any]
    has_text: bool
    rank_table: str | None = None
    rank_match: str | None = None
    rank_substring: str | None = None
    rest_where: str = "1"
    rest_params: list[Any] = dataclasses.field(default_factory=list)
    cjk_bound: bool = False


Sql = tuple[str, list[Any]]


def _fts_string(text: str) -> str:
    """``text`` as one FTS5 string token: the parser reads it as data, never as syntax."""
    return '"' + text.replace('"', '""') + '"'


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _cjk_leaf(text: str) -> tuple[str, str] | None:
    """A substring search in the trigram index as (table, MATCH), if long enough."""
    folded = fold(text)
    return (CJK_TABLE, _fts_string(folded)) if len(folded) >= 3 else None


def _leaf_match(node: Text | Filter) -> tuple[str, str] | None:
    """The (table, MATCH expression) a leaf compiles to, when it is one."""
    if isinstance(node, Text):
        if has_cjk(node.text):
            return _cjk_leaf(node.text)
        if not any(ch.isalnum() for ch in node.text):  # nothing the word index sees
            return None
        return FTS_TABLE, _fts_string(node.text) + ("" if node.phrase else "*")
    spec = find_field(node.field)
    assert spec is not None
    value = str(node.value)
    if spec.kind != "words" or has_cjk(value) or not any(ch.isalnum() for ch in value):
        return None
    term = _fts_string(value) + ("" if node.phrase else "*")
    return FTS_TABLE, f"{{{spec.fts_column}}} : {term}"


def _match_expr(node: Node, table: str) -> str | None:
    """``node`` as one MATCH expression on ``table``, or None if it cannot be one."""
    if isinstance(node, Text | Filter):
        leaf = _leaf_match(node)
        return leaf[1] if leaf is not None and leaf[0] == table else None
    if isinstance(node, Or):
        parts = [p for child in node.children if (p := _match_expr(child, table)) is not None]
        return _fts_join(" OR ", parts) if len(parts) == len(node.children) else None
    if isinstance(node, And):
        positive: list[str] = []
        negative: list[str] = []
        for child in node.children:
            inner = child.child if isinstance(child, Not) else child
            part = _match_expr(inner, table)
            if part is None:
                return None
            (negative if isinstance(child, Not) else positive).append(part)
        return _combine(positive, negative)
    return None


def _any_match(node: Node) -> tuple[str, str] | None:
    """(table, MATCH expression) for the first full-text index ``node`` fits in whole."""
    for table in (FTS_TABLE, CJK_TABLE):
        expr = _match_expr(node, table)
        if expr is not None:
            return table, expr
    return None


def _combine(positive: list[str], negative: list[str]) -> str | None:
    """``(p1) AND (p2) NOT (n1 OR n2)``; None without a positive part (FTS5 needs one)."""
    if not positive:
        return None
    expr = _fts_join(" AND ", positive)
    return f"({expr}) NOT ({_fts_join(' OR ', negative)})" if negative else expr


def _fts_join(operator: str, parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else operator.join(f"({part})" for part in parts)


def _in_match(table: str, expr: str, *, negate: bool = False) -> Sql:
    keyword = "NOT IN" if negate else "IN"
    return f"t.id {keyword} (SELECT rowid FROM {table} WHERE {table} MATCH ?)", [expr]


def _node_sql(node: Node, now: float) -> Sql:
    """``node`` as a condition; ``now`` anchors ``played:`` and ``added:``."""
    if isinstance(node, And):
        matches, rest = _conjunction(node.children, now)
        return _join(" AND ", [_in_match(t, e) for t, e in matches.items()] + rest)
    if isinstance(node, Not):
        match = _any_match(node.child)
        if match is not None:
            return _in_match(*match, negate=True)
        sql, params = _node_sql(node.child, now)
        return f"NOT ({sql})", params
    match = _any_match(node)
    if match is not None:
        return _in_match(*match)
    if isinstance(node, Or):
        return _join(" OR ", [_node_sql(child, now) for child in node.children])
    return _text_sql(node) if isinstance(node, Text) else _filter_sql(node, now)


def _conjunction(children: tuple[Node, ...], now: float) -> tuple[dict[str, str], list[Sql]]:
    """Merge the children that fit a MATCH into one per index; compile the rest."""
    positive: dict[str, list[str]] = {FTS_TABLE: [], CJK_TABLE: []}
    negative: dict[str, list[str]] = {FTS_TABLE: [], CJK_TABLE: []}
    rest: list[Node] = []
    for child in children:
        match = _any_match(child.child if isinstance(child, Not) else child)
        if match is None:
            rest.append(child)
        else:
            (negative if isinstance(child, Not) else positive)[match[0]].append(match[1])
    matches: dict[str, str] = {}
    conditions: list[Sql] = []
    for table in (FTS_TABLE, CJK_TABLE):
        expr = _combine(positive[table], negative[table])
        if expr is not None:
            matches[table] = expr
        elif negative[table]:
            conditions.append(_in_match(table, _fts_join(" OR ", negative[table]), negate=True))
    return matches, conditions + [_node_sql(child, now) for child in rest]


def _text_sql(node: Text) -> Sql:
    if has_cjk(node.text):
        return _cjk_substring(node.text)
    # Punctuation only ("!!!", "&"): the word index cannot see it; look in the text.
    pattern = _like_pattern(node.text)
    columns = ("title", "artist", "album", "album_artist", "genre", "composer")
    return _join(" OR ", [(f"t.{c} LIKE ? ESCAPE '\\'", [pattern]) for c in columns])


def _filter_sql(node: Filter, now: float) -> Sql:
    spec = find_field(node.field)
    assert spec is not None
    column = spec.column
    if spec.kind == "words":
        like = (f"{column} LIKE ? ESCAPE '\\'", [_like_pattern(node.value)])
        return _join(" AND ", [_cjk_substring(node.value), like]) if has_cjk(node.value) else like
    if spec.kind == "substring":
        return f"{column} LIKE ? ESCAPE '\\'", [_like_pattern(node.value)]
    if spec.kind == "exact":
        if spec.name == "format":  # "ogg" finds "Ogg Vorbis"
            sql = f"({column} = ? COLLATE NOCASE OR {column} LIKE ? ESCAPE '\\')"
            return sql, [node.value, _like_pattern(node.value)[1:-1] + " %"]
        return f"{column} = ? COLLATE NOCASE", [node.value]
    if spec.kind == "bool":
        return (f"{column} <> 0" if node.value else f"{column} = 0"), []
    if spec.kind == "age":
        return _age_sql(spec, node, now)
    return _compare(spec, node.op, node.value)


def _age_sql(spec: FieldSpec, node: Filter, now: float) -> Sql:
    column = spec.column
    if node.op in ("never", "ever"):
        return f"{column} IS {'' if node.op == 'never' else 'NOT '}NULL", []
    if node.op == "between":
        low, high = node.value
        sql = f"{column} IS NOT NULL AND {column} >= ? AND {column} <= ?"
        return f"({sql})", [now - high, now - low]
    # A smaller age is a later time, so the comparison turns around.
    flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[node.op]
    sql = f"{column} {flipped} ?"
    if spec.nullable:
        older = node.op in (">", ">=")  # never played counts as "long ago"
        sql = f"({column} IS NULL OR {sql})" if older else f"({column} IS NOT NULL AND {sql})"
    return sql, [now - node.value]


def _compare(spec: FieldSpec, op: str, value: Any) -> Sql:
    column, fuzz = spec.column, spec.fuzz
    if op == "between":
        low, high = value
        if fuzz:
            sql, params = f"{column} >= ? AND {column} < ?", [low - fuzz, high + fuzz]
        else:
            sql, params = f"{column} BETWEEN ? AND ?", [low, high]
    elif op == "=" and fuzz:
        sql, params = f"{column} >= ? AND {column} < ?", [value - fuzz, value + fuzz]
    else:
        sql, params = f"{column} {op} ?", [value]
    if spec.nullable:
        sql = f"{column} IS NOT NULL AND {sql}"
    return f"({sql})", params


def _cjk_substring(text: str) -> Sql:
    """Substring search among the tracks that have CJK text."""
    leaf = _cjk_leaf(text)
    if leaf is not None:
        return _in_match(*leaf)
    # Under three characters the trigram index cannot help; the CJK table is small.
    # instr(), not LIKE: SQLite 3.40's trigram LIKE loses 2-character CJK patterns.
    sql = f"t.id IN (SELECT rowid FROM {CJK_TABLE} WHERE instr(text, ?) > 0)"
    return sql, [fold(text)]


def _join(operator: str, parts: list[Sql]) -> Sql:
    if not parts:
        return ("1", []) if operator == " AND " else ("0", [])
    if len(parts) == 1:
        return parts[0]
    params = [param for _, part_params in parts for param in part_params]
    return "(" + operator.join(sql for sql, _ in parts) + ")", params


def _has_text(node: Node, negated: bool = False) -> bool:
    if isinstance(node, Text):
        return not negated
    if isinstance(node, Not):
        return _has_text(node.child, not negated)
    if isinstance(node, And | Or):
        return any(_has_text(child, negated) for child in node.children)
    return False


def _needs_cjk(node: Node) -> bool:
    if isinstance(node, Text):
        return has_cjk(node.text)
    if isinstance(node, Filter):
        spec = find_field(node.field)
        return spec is not None and spec.kind == "words" and has_cjk(str(node.value))
    return False


def compile_node(node: Node, *, text: str = "", now: float | None = None) -> CompiledQuery:
    """Compile a parsed tree; ``now`` (unix seconds) anchors ``played:``/``added:``."""
    children = node.children if isinstance(node, And) else (node,)
    now = time.time() if now is None else now
    matches, rest = _conjunction(children, now)
    rank_table = next((t for t in (FTS_TABLE, CJK_TABLE) if t in matches), None)
    short = [c for c in children if isinstance(c, Text) and _needs_cjk(c) and not _cjk_leaf(c.text)]
    lead = _in_match(rank_table, matches[rank_table]) if rank_table else None
    substring = fold(short[0].text) if lead is None and short else None
    if substring is not None:  # rank by a short CJK word, kept out of the rest
        matches, rest = _conjunction(tuple(c for c in children if c is not short[0]), now)
        rank_table, lead = CJK_TABLE, _cjk_substring(short[0].text)
    others = [_in_match(t, e) for t, e in matches.items() if t != rank_table]
    rest_where, rest_params = _join(" AND ", others + rest)
    where, params = _join(" AND ", [lead, *others, *rest]) if lead else (rest_where, rest_params)
    return CompiledQuery(
        text=text,
        where=where,
        params=params,
        has_text=_has_text(node),
        rank_table=rank_table,
        rank_match=matches.get(rank_table) if rank_table else None,
        rank_substring=substring,
        rest_where=rest_where,
        rest_params=rest_params,
        cjk_bound=CJK_TABLE in matches or any(_needs_cjk(child) for child in children),
    )


def compile_query(text: str, *, now: float | None = None) -> CompiledQuery:
    """Parse and compile ``text``; raises :class:`QueryError` if it is malformed."""
    return compile_node(parse(text), text=text, now=now)
