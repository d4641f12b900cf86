"""Multiple systems estimation (``baken estimate``) against published results on public data,
and against invariants. The tables are in ``tests/data/``; every expected number below is the
published one, with its source.

Sources (the tables are public; the numbers are printed in these places):

- UK National Referral Mechanism 2013, five lists (police forces and National Crime Agency
  merged): Bales, Hesketh & Silverman (2015), "Modern slavery in the UK: how many victims?",
  Significance 12(3) and Home Office (2014): 11,313 (range 10,000–13,000). Table: R package
  modslavmse (bernardsilverman/modslavmse, UKdat / UKdat_5).
- Western U.S. site, five lists, two pairs that never overlap: Chan, Silverman & Vincent
  (2021), JASA, section 4.2: stepwise (threshold 0.02) selects A:E, estimate 2483; the
  package vignette prints 2483.384 (bernardsilverman/MultipleSystemsEstimation,
  docs/articles/reproduce-2021.md).
- Korea, three lists: MultipleSystemsEstimation user guide (docs/articles/user-guide.md):
  main effects 141.9926, [12,3] 268.7778 (the stepwise choice), the BIC choice [12,23]
  157.1667 with BIC 57.14081.
- New Orleans, eight lists (18 of 28 pairs never overlap): reproduce-2021.md prints stepwise
  (0.02) → D:E, 1110.488. (The paper's 1184 does not reproduce from the package's data.)
- Darroch et al. (1993) census data and Bruno et al. (1994) diabetes data, as asserted in
  Rcapture's tests of Rivest (2011) (cran/Rcapture, inst/tests/testPapersResults.R):
  all two-way 1240, [12,23] 850; diabetes all two-way except 1:4 2771, [13,24,34] 2472.
- Cormack, Chang & Smith (2000) table 3a (same Rcapture test): [12,13,34] 218, a model whose
  MLE exists only in the extended sense (a zero margin).
"""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from baken.insight.estimation import estimate_table, read_tables

DATA = Path(__file__).resolve().parent / "data"


def baken_estimate(*args: str) -> dict:
    out = StringIO()
    call_command("estimate", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


PUBLISHED = [
    ("uk_nrm_2013_5lists.csv", ["--method", "stepwise"], 11313, None),
    ("western_us_site.csv", ["--method", "stepwise"], 2483.384, ["A:E"]),
    ("korea.csv", ["--method", "main"], 141.9926, []),
    ("korea.csv", ["--method", "stepwise"], 268.7778, ["b:c"]),
    ("korea.csv", ["--method", "bic"], 157.1667, ["b:c", "c:d"]),
    ("new_orleans.csv", ["--method", "stepwise"], 1110.488, ["D:E"]),
    ("darroch_census.csv", ["--method", "fixed", "--model", "c1:c2,c1:c3,c2:c3"], 1240, None),
    ("darroch_census.csv", ["--method", "fixed", "--model", "c1:c2,c2:c3"], 850, None),
    (
        "diabetes_bruno.csv",
        ["--method", "fixed", "--model", "c1:c2,c1:c3,c2:c3,c2:c4,c3:c4"],
        2771,
        None,
    ),
    ("diabetes_bruno.csv", ["--method", "fixed", "--model", "c1:c3,c2:c4,c3:c4"], 2472, None),
    (
        "cormack_3a.csv",
        ["--method", "fixed", "--model", "deaths:NTOF,deaths:WCC,WCC:MOSH"],
        218,
        None,
    ),
]


@pytest.mark.parametrize(("name", "options", "published", "model"), PUBLISHED)
def test_baken_estimate_reproduces_published_estimates(name, options, published, model):
    result = baken_estimate(str(DATA / name), *options)
    assert result["estimate"] == pytest.approx(published, rel=0.005)
    assert result["hidden"] == pytest.approx(result["estimate"] - result["observed"])
    if model is not None:
        assert result["model"] == model
    assert set(result) == {
        "observed",
        "estimate",
        "hidden",
        "interval",
        "method",
        "model",
        "warnings",
    }


def test_the_stepwise_rule_chooses_the_published_uk_model():
    result = baken_estimate(str(DATA / "uk_nrm_2013_5lists.csv"), "--method", "stepwise")
    assert sorted(result["model"]) == sorted(
        ["LA:NG", "NG:GP", "PFNCA:GP", "LA:PFNCA", "GO:GP", "NG:GO"]
    )
    assert any("LA and GP" in warning for warning in result["warnings"])


def test_a_model_without_a_finite_estimate_gets_the_extended_estimate_and_says_so():
    result = baken_estimate(
        str(DATA / "western_us_site.csv"), "--method", "fixed", "--model", "A:B"
    )
    assert any("does not exist" in warning for warning in result["warnings"])
    assert result["estimate"] == pytest.approx(1776.110, rel=0.005)  # cells with A and B fitted 0


def test_reordering_the_columns_gives_the_same_estimate():
    text = (DATA / "western_us_site.csv").read_text().splitlines()
    order = [4, 2, 0, 3, 1, 5]
    reordered = "\n".join(",".join(line.split(",")[i] for i in order) for line in text)
    for method in ("main", "stepwise", "bic", "downhill"):
        first = estimate_table(read_tables("\n".join(text))[()], method=method)
        second = estimate_table(read_tables(reordered)[()], method=method)
        assert second.estimate == pytest.approx(first.estimate, rel=1e-9), method

        def terms(result):
            return {frozenset(term.split(":")) for term in result.model}

        assert terms(second) == terms(first), method


@pytest.mark.parametrize(
    "name", ["uk_nrm_2013_5lists.csv", "western_us_site.csv", "korea.csv", "diabetes_bruno.csv"]
)
@pytest.mark.parametrize("criterion", ["aic", "bic"])
def test_the_batched_search_chooses_what_fitting_each_model_alone_chooses(name, criterion):
    from baken.insight.estimation.select import _search_all

    table = read_tables((DATA / name).read_text())[()]
    batched, _ = _search_all(table, criterion, 2, batched=True)
    alone, _ = _search_all(table, criterion, 2, batched=False)
    assert batched.terms == alone.terms
    assert batched.hidden == pytest.approx(alone.hidden, rel=1e-8)


def test_the_bootstrap_gives_the_same_interval_with_one_or_two_processes():
    table = read_tables((DATA / "korea.csv").read_text())[()]
    one = estimate_table(table, method="bic", bootstrap=40, seed=3, workers=1)
    two = estimate_table(table, method="bic", bootstrap=40, seed=3, workers=2)
    assert one.interval == pytest.approx(two.interval, rel=1e-9)


def test_a_table_without_overlap_gets_a_warning_not_a_number():
    table = "A,B,C,count\n1,0,0,40\n0,1,0,25\n0,0,1,31\n"
    path = DATA.parent / "no_overlap.tmp.csv"
    path.write_text(table)
    try:
        result = baken_estimate(str(path), "--method", "main")
    finally:
        path.unlink()
    assert result["estimate"] is None and result["hidden"] is None
    assert any("no person is on more than one list" in w for w in result["warnings"])


def test_a_fixed_model_gets_a_profile_likelihood_interval_around_its_estimate():
    result = baken_estimate(str(DATA / "korea.csv"), "--method", "fixed", "--model", "b:c")
    low, high = result["interval"]
    assert low < result["estimate"] < high
    # The Poisson profile over the intercept: cross-checked with an independent fit
    # (203.5, 395.2); Rcapture's multinomial profile gives (198.1, 392.5).
    assert (low, high) == (pytest.approx(203.5, abs=0.6), pytest.approx(395.2, abs=0.6))


def test_the_bootstrap_repeats_the_model_choice_and_is_reproducible_with_a_seed():
    args = [str(DATA / "korea.csv"), "--method", "stepwise", "--bootstrap", "60", "--seed", "7"]
    first, second = baken_estimate(*args), baken_estimate(*args)
    assert first["interval"] == second["interval"]
    low, high = first["interval"]
    assert low < first["estimate"] < high


def test_strata_are_estimated_separately(tmp_path):
    korea = (DATA / "korea.csv").read_text().splitlines()
    rows = ["year," + korea[0]] + [f"2024,{line}" for line in korea[1:]]
    rows += [f"2025,{line}" for line in korea[1:]]
    path = tmp_path / "strata.csv"
    path.write_text("\n".join(rows))
    out = StringIO()
    call_command(
        "estimate",
        str(path),
        "--method",
        "main",
        "--strata",
        "year",
        "--format",
        "json",
        stdout=out,
    )
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["stratum"] for line in lines] == [{"year": "2024"}, {"year": "2025"}]
    assert lines[0]["estimate"] == pytest.approx(141.9926, rel=0.005)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("A,B,count\n1,0,5\n0,2,3\n", "line 3: column 'B' must be 0 or 1"),
        ("A,B\n1,0\n", "line 1: there is no column named 'count'"),
        ("A,B,count\n1,0,5\n0,1,x\n", "line 3: count must be a whole number"),
        ("A,B,count\n1,0,5\n0,0,3\n", "line 3: a row on no list at all cannot have a count"),
        ("A,B,count\n1,0\n", "line 2: expected 3 values, found 2"),
        ("", "the file is empty"),
    ],
)
def test_a_file_that_is_not_a_capture_table_gets_a_clear_message_and_exit_status_2(
    tmp_path, content, message
):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    run = subprocess.run(
        [sys.executable, "-m", "baken", "estimate", str(path)], capture_output=True, text=True
    )
    assert run.returncode == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr
