"""Unit tests of the pure alignment pieces: label similarity and fitting values to columns."""

from __future__ import annotations

from linter.parse.align import align, digit_splits, fit, similarity


def test_similarity_prefers_the_right_numbered_row():
    assert similarity("2. 重 复 申 请", "2.重复申请") > 0.9
    assert similarity("2. 重复申请", "1.信访举报投诉类申请") < 0.5
    assert similarity("(六) 其他处理 1. 申请人无正当理由逾期不补正", "3.其他") < 0.5
    assert similarity("3. 其他", "3.其他") > similarity(
        "3. 其他", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    )


def test_align_keeps_order_and_fills_a_mangled_row_between_neighbours():
    official = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”"]
    printed = [("1.属于国家秘密", True), ("2.#@%&", True), ("3.危及三安全一稳定", True)]
    assert align(printed, official, lambda p: p[0], lambda p: p[1]) == {0: 0, 1: 1, 2: 2}
    label_only = [("1.属于国家秘密", True), ("2.#@%&", False), ("3.危及三安全一稳定", True)]
    assert align(label_only, official, lambda p: p[0], lambda p: p[1]) == {0: 0, 2: 2}


def _fit(cells, ncols, valid=None):
    seq, how, reading = fit(cells, ncols, lambda c: c == "", lambda c: c, valid)
    return seq, how, reading


def total_ok(v):
    return v[-1] == sum(v[:-1])


def test_fit_exact_count_positional_and_refusals():
    assert _fit(["1", "0", "1"], 3)[:2] == (["1", "0", "1"], "values")
    assert _fit(["5", "", "5"], 3)[:2] == (["5", "", "5"], "position")
    assert _fit(["", "5", "", "5", ""], 3)[:2] == (["5", "", "5"], "position")
    assert _fit(["", "5", "5", ""], 3)[1] == "unaligned"  # which end is blank? do not guess


def test_fit_extra_and_missing_value_only_when_unambiguous():
    seq, how, reading = _fit(["2", "0", "0", "2"], 3, total_ok)
    assert how == "extra" and reading == (2, 0, 2)
    assert _fit(["1", "1", "1", "2"], 3, total_ok)[1:] == ("extra", (1, 1, 2))
    assert _fit(["2", "0", "2", "2"], 3, total_ok)[1] == "unaligned"  # (0,2,2) or (2,0,2)
    assert _fit(["0", "0"], 3, total_ok)[1:] == ("inferred", (0, 0, 0))
    assert _fit(["2", "2"], 3, total_ok)[1] == "unaligned"  # (0,2,2) or (2,0,2)


def test_digit_runs_are_split_only_when_the_identity_allows_one_reading():
    assert _fit(["21710000218"], 7, total_ok)[1:] == ("split", (217, 1, 0, 0, 0, 0, 218))
    assert _fit(["200", "000121"], 7, total_ok)[1:] == ("split", (20, 0, 0, 0, 0, 1, 21))  # spaces are boundaries
    assert _fit(["0000000"], 7, total_ok)[1:] == ("split", (0,) * 7)
    assert _fit(["11213"], 3, total_ok)[1] == "ambiguous"  # 1+12=13 and 11+2=13
    assert _fit(["1111"], 3, total_ok)[1] == "unaligned"  # no reading satisfies the identity
    assert _fit(["6233440"], 3, None)[1] == "ambiguous"  # table 二 has no identity: 62/334/40, 6/233/440 …
    assert _fit(["000"], 3, None)[1:] == ("split", (0, 0, 0))  # forced: every cell is one digit


def test_digit_splits_respect_block_identities():
    def blocks_ok(v):
        return all(v[i + 4] == sum(v[i : i + 4]) for i in (0, 5, 10))

    assert digit_splits(["21317000001324019"], 15, blocks_ok, limit=5) == [
        (2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19)
    ]
    assert digit_splits(["00202000001324015"], 15, blocks_ok, limit=5) == []  # 平潭社会事业局 2024: no reading


def test_a_run_with_no_valid_split_is_called_ambiguous_not_searched_for_ever():
    """Thirty-nine digits run together into seven cells have millions of splits; when the row's
    identity holds for none, the bounded search says "not unique" (PAR002), never "no split"."""
    from linter.parse.align import SPLIT_STEPS, digit_splits

    groups = ["123456789123456789123456789123456789123"]
    assert len(digit_splits(groups, 7, lambda parts: False)) == 2  # as many as asked for: ambiguous
    assert digit_splits(["459"], 3, lambda parts: parts[0] + parts[1] == parts[2]) == [(4, 5, 9)]  # still unique
    assert SPLIT_STEPS >= 10_000
