"""The likely wrong cells of a statistical table: the fewest cells whose change makes every
identity of the format hold at once.

All identities of one table (for table 三: the balance per column, the result total per column
and the applicant total per row) are solved together. A hypothesis is a set of cells taken as
unknown; their values follow from the identities (each unknown the only one left in some
identity), and the hypothesis explains the table when every identity then holds. Hypotheses are
single cells, pairs and triples hitting every failing identity, and lines (a row or a column)
printed all 0, as when a 总计 column was left unfilled. The smallest explanation is the
diagnosis; when two explain the table equally well both are named; with more, nothing is
named and every failing identity stays a finding of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from linter.formats import FormatSpec, IdentitySpec, TableSpec
from linter.models import CellStatus, Table

MAX_ALTERNATIVES = 2  # equally small explanations still worth naming side by side
MAX_CANDIDATES = 60  # cells in failing identities beyond which pairs and triples are not tried


@dataclass(frozen=True)
class Instance:
    """One identity on one row or column: ``sum(lhs) == sum(rhs)`` over cell refs "row/col"."""

    ident: IdentitySpec
    line: str  # the row or column key it runs along
    label: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]

    def cells(self) -> set[str]:
        return set(self.lhs) | set(self.rhs)


@dataclass(frozen=True)
class Diagnosis:
    changes: dict[str, tuple[float, float]]  # ref → (as printed, value that makes the table consistent)
    failing: list[Instance]
    line: str | None = None  # a row or column printed all 0, when that is the explanation
    others: tuple[dict[str, tuple[float, float]], ...] = ()  # equally small explanations, when there are a few

    def cells(self) -> list[str]:
        """Every cell some explanation changes."""
        return list(dict.fromkeys(r for c in (self.changes, *self.others) for r in c))


def operands(table: Table, keys: list[str], ref) -> list[str]:
    """Row keys to add up; sub-rows given only as one group total (a collapsed （六）其他处理)
    are replaced by that total."""
    out = list(keys)
    for group, members in table.collapsed.items():
        if set(members) <= set(out) and all(
            table.cell(*ref(m).split("/")).status == CellStatus.MISSING for m in members
        ):
            out = [k for k in out if k not in members] + [group]
    return out


def instances(table: Table, fmt: FormatSpec, key: str) -> list[Instance]:
    """Every identity of table ``key`` on every line whose operands all carry a number."""
    spec, cells = fmt.tables[key], table.cells
    out = []
    for ident in (i for i in fmt.identities if i.table == key):
        if ident.each == "row":
            lines = [(r.key, r.label) for r in spec.rows]
        else:
            cols = dict.fromkeys(c for r in spec.rows for c in spec.row_columns(r))
            lines = [(c, spec.column(c).label) for c in cols]
        for line, label in lines:

            def ref(k: str, line=line, ident=ident) -> str:
                return f"{line}/{k}" if ident.each == "row" else f"{k}/{line}"

            lhs_keys, rhs_keys = (
                (operands(table, ident.lhs, ref), operands(table, ident.rhs, ref))
                if ident.each == "column"
                else (ident.lhs, ident.rhs)
            )
            lhs, rhs = tuple(ref(k) for k in lhs_keys), tuple(ref(k) for k in rhs_keys)
            if all((c := cells.get(r)) is not None and c.has_value for r in lhs + rhs):  # table.cell
                out.append(Instance(ident, line, label, lhs, rhs))
    return out


def _holds(inst: Instance, v: dict[str, float]) -> bool:
    return abs(sum(v[r] for r in inst.lhs) - sum(v[r] for r in inst.rhs)) < 1e-9


def _solve(unknown: set[str], insts: list[Instance], values: dict[str, float]) -> dict[str, float] | None:
    """Values for the unknown cells that make every identity hold, if the identities fix them."""
    v = dict(values)
    left = set(unknown)
    while left:
        for inst in insts:
            open_ = inst.cells() & left
            if len(open_) != 1:
                continue
            (cell,) = open_
            if list(inst.lhs).count(cell) + list(inst.rhs).count(cell) != 1:
                continue
            known_l = sum(v[r] for r in inst.lhs if r != cell)
            known_r = sum(v[r] for r in inst.rhs if r != cell)
            value = known_r - known_l if cell in inst.lhs else known_l - known_r
            if value < 0 or abs(value - round(value)) > 1e-9:
                return None  # counts are whole and never negative
            v[cell] = round(value)
            left.discard(cell)
            break
        else:
            return None  # the identities do not fix the unknowns
    return v if all(_holds(i, v) for i in insts) else None


def _lines(spec: TableSpec, values: dict[str, float]) -> list[tuple[str, list[str]]]:
    """Rows and columns whose every value is 0 (at least three cells)."""
    rows: dict[str, list[str]] = {}
    cols: dict[str, list[str]] = {}
    for ref in values:
        r, c = ref.split("/")
        rows.setdefault(r, []).append(ref)
        cols.setdefault(c, []).append(ref)
    return [
        (name, refs)
        for name, refs in [*rows.items(), *cols.items()]
        if len(refs) >= 3 and all(values[x] == 0 for x in refs)
    ]


_MEMO: dict[tuple[int, str, str], tuple[Table, list[Instance], Diagnosis | None]] = {}


def analyse(table: Table, fmt: FormatSpec, key: str) -> tuple[list[Instance], Diagnosis | None]:
    """The identities of a table and its diagnosis, computed once per table (each identity's
    rule asks for them; the memo only saves the work, the answer depends on the table alone)."""
    memo_key = (id(table), fmt.version, key)
    hit = _MEMO.get(memo_key)
    if hit is not None and hit[0] is table:
        return hit[1], hit[2]
    insts = instances(table, fmt, key)
    result = (table, insts, _diagnose(table, insts, fmt, key))
    if len(_MEMO) > 64:
        _MEMO.clear()
    _MEMO[memo_key] = result
    return insts, result[2]


def diagnose(table: Table, fmt: FormatSpec, key: str) -> Diagnosis | None:
    return analyse(table, fmt, key)[1]


def _diagnose(table: Table, insts: list[Instance], fmt: FormatSpec, key: str) -> Diagnosis | None:
    cells = table.cells  # every cell of an instance has a value
    values = {r: cells[r].value for i in insts for r in i.cells()}
    failing = [i for i in insts if not _holds(i, values)]
    if not failing:
        return None
    found: list[tuple[dict[str, tuple[float, float]], str | None]] = []

    def attempt(unknown: set[str], line: str | None = None) -> None:
        solved = _solve(unknown, insts, values)
        if solved is None:
            return
        changes = {r: (values[r], solved[r]) for r in sorted(unknown) if solved[r] != values[r]}
        if changes and all(any(r in i.cells() for r in changes) for i in failing):
            if all(set(changes) != set(c) for c, _ in found):
                found.append((changes, line))

    for name, refs in _lines(fmt.tables[key], values):
        if any(set(refs) & i.cells() for i in failing):
            attempt(set(refs), name)
    candidates = sorted(set().union(*(i.cells() for i in failing)))
    for size in (1, 2, 3):
        if size > 1 and len(candidates) > MAX_CANDIDATES // (size - 1):
            break  # pairs among at most 60 cells, triples among at most 30
        if any(len(c) < size for c, _ in found):
            break
        for combo in combinations(candidates, size):
            chosen = set(combo)
            if all(chosen & i.cells() for i in failing):
                attempt(chosen)
    if not found:
        return None
    fewest = min(len(c) for c, _ in found)
    best = [(c, line) for c, line in found if len(c) == fewest]
    if len(best) > 1:  # a total is likelier to be wrong (left at 0, not updated) than the parts it adds up
        totals = {i.lhs[0] for i in insts if len(i.lhs) == 1 and len(i.rhs) > 1}
        only_totals = [(c, line) for c, line in best if set(c) <= totals]
        best = only_totals if len(only_totals) == 1 else best
    if len(best) > MAX_ALTERNATIVES:
        return None  # too many equally good readings: nothing to name
    (changes, line), others = best[0], tuple(c for c, _ in best[1:])
    return Diagnosis(changes, failing, line, others)
