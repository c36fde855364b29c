"""The index recovers the hidden truth of a generated sample (issue 3).

The sample generator draws each subject's latent quality; the service a case actually receives
mixes the qualities of the parties involved (streamer team, platform, brand, MCN), and the
generator records that effective quality per case and dimension (q_D1 … q_D6) in _truth. The
true quality of a subject is the base-weighted mean of the effective quality over its cases —
what its customers really got. The index, computed only from the observable tables, must rank
subjects like that truth: Spearman ≥ 0.9 for every kind, among subjects with ≥ 30 cases.
"""
from __future__ import annotations

import pandas as pd
import pytest
from scipy.stats import spearmanr

from lashi.sample import generate
from lashi.store import load_directory, open_workspace
from lashi.workflow import run_evaluation

BASE = {"D1": 0.20, "D2": 0.25, "D3": 0.20, "D4": 0.15, "D5": 0.10, "D6": 0.10}  # report §3.3


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    d = tmp_path_factory.mktemp("recovery")
    generate(d / "data", cases=40000, months=6, seed=3, progress=False)
    ws = open_workspace(d / "ws")
    rep = load_directory(ws, d / "data")
    assert rep.quarantined == 0
    con = ws.connect(read_only=True)
    month = con.execute("SELECT strftime(created_at, '%Y-%m') m FROM cases GROUP BY m ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    con.close()
    run = run_evaluation(ws, month, B=50)
    truth = pd.read_parquet(d / "data" / "_truth" / "cases_truth.parquet")
    cases = pd.read_parquet(d / "data" / "cases.parquet", columns=["case_id", "created_at"])
    truth = truth.merge(cases, on="case_id")
    local = pd.to_datetime(truth["created_at"], utc=True).dt.tz_convert("Asia/Shanghai")
    truth = truth[local.dt.strftime("%Y-%m") == month]
    truth["q"] = sum(truth[f"q_{k}"] * w for k, w in BASE.items())
    return run, truth


KINDS = [("platform", "platform_id"), ("streamer", "streamer_id"), ("brand", "brand_id"), ("mcn", "mcn_id")]


def _matched(evaluated, kind, key):
    run, truth = evaluated
    t = truth.groupby(key)["q"].mean().rename("q").reset_index().rename(columns={key: "subject_id"})
    m = run.evaluation.index.merge(t, on="subject_id")
    return m[(m.subject_kind == kind) & (m.cases >= 30)]


@pytest.mark.parametrize("kind,key", [k for k in KINDS if k[0] != "platform"])
def test_index_ranks_subjects_like_the_hidden_truth(evaluated, kind, key):
    m = _matched(evaluated, kind, key)
    assert len(m) >= 8, f"too few {kind}s with ≥ 30 cases"
    rho = spearmanr(m["index"], m["q"]).statistic
    assert rho >= 0.9, f"{kind}: Spearman {rho:.3f} over {len(m)} subjects"


@pytest.mark.parametrize("kind,key", KINDS)
def test_clearly_different_subjects_are_ordered_as_the_truth(evaluated, kind, key):
    """With only four platforms a rank correlation says little: instead every pair whose true
    quality differs by 3 points or more must be ordered the same way by the index."""
    m = _matched(evaluated, kind, key).reset_index(drop=True)
    wrong = [(a.subject_id, b.subject_id) for i, a in m.iterrows() for j, b in m.iterrows()
             if i < j and abs(a.q - b.q) >= 3 and (a.q - b.q) * (a["index"] - b["index"]) < 0]
    pairs = sum(1 for i in range(len(m)) for j in range(i + 1, len(m)) if abs(m.q[i] - m.q[j]) >= 3)
    assert pairs > 0
    assert len(wrong) <= 0.05 * pairs, f"{kind}: {len(wrong)} of {pairs} clear pairs misordered: {wrong[:5]}"


def test_dimension_pattern_matches_the_report(evaluated):
    """Report §4.1: responsibility clarity (D4, 58) is the industry's weakest dimension and response
    timeliness (D1, 78) its strongest; §4.2: platforms 抖音 82 > 淘宝 79 > 拼多多 68 > 快手 61."""
    run, _ = evaluated
    d = run.evaluation.dimension_scores
    ind = d[d.subject_id == "INDUSTRY"].set_index("dimension")["score"]
    assert ind.idxmin() == "D4"
    assert ind.idxmax() == "D1"
    idx = run.evaluation.index
    plat = idx[idx.subject_kind == "platform"].sort_values("index", ascending=False)["subject_id"].tolist()
    # 抖音 and 淘宝 are 3 points apart in the report: which of them leads depends on where the
    # sample's few head streamers landed, so only the two tiers and the bottom order are asserted.
    assert set(plat[:2]) == {"S-DY", "S-TB"} and plat[2:] == ["S-PDD", "S-KS"]


def test_small_subjects_have_wider_intervals(evaluated):
    run, _ = evaluated
    idx = run.evaluation.index.dropna(subset=["index"])
    s = idx[idx.subject_kind == "streamer"].assign(width=lambda x: x["hi"] - x["lo"])
    big, small = s[s.cases >= 200]["width"].median(), s[s.cases < 60]["width"].median()
    assert small > big
