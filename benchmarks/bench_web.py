"""Dashboard ranking at 10,000 subjects: time to filter, search, page and render one page of the
ranking (server side; only one page of 50 rows reaches the browser). Prints figures, asserts
nothing.

    .venv/bin/python benchmarks/bench_web.py [--subjects 10000]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jinja2 import Environment, FileSystemLoader, select_autoescape  # noqa: E402

from lashi.web import i18n  # noqa: E402
from lashi.web.views import HERE, _num, page_of_ranking  # noqa: E402
from tests.web.test_paging import big_ranking  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subjects", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=20)
    a = ap.parse_args()
    rk, subj = big_ranking(a.subjects)
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]))
    env.filters["num"] = _num
    tpl = env.get_template("rankings.html")
    cases = {"first page": {}, "page 150": {"page": "150"}, "platform filter": {"platform": "S-KS"},
             "platform+tier": {"platform": "S-KS", "tier": "head"}, "search": {"q": "主播99"},
             "lowest first": {"order": "asc"}}
    print(f"ranking of {a.subjects:,} streamers, page size 50, median of {a.repeat} runs")
    print(f"{'request':<18}{'filter+page ms':>16}{'render ms':>12}{'html KiB':>10}{'total':>8}")
    for name, qp in cases.items():
        tp, tr = [], []
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            page, rows, total, opts = page_of_ranking(rk, subj, "streamer", qp, 50)
            t1 = time.perf_counter()
            html = tpl.render(t=i18n.T("zh"), lang="zh", i18n=i18n, url_with=lambda **c: "?", other_lang="en",
                              request=type("R", (), {"query_params": {}})(), months=[], period="2025-11",
                              label="2025-11", kind="streamer", rows=rows, total=total, page=page, page_size=50,
                              opts=opts, q=qp.get("q", ""), platform=qp.get("platform", ""), tier=qp.get("tier", ""),
                              origin="", order=qp.get("order", ""), stale=False, public=False)
            t2 = time.perf_counter()
            tp.append((t1 - t0) * 1000)
            tr.append((t2 - t1) * 1000)
        print(f"{name:<18}{statistics.median(tp):>16.1f}{statistics.median(tr):>12.1f}"
              f"{len(html.encode()) / 1024:>10.0f}{total:>8}")


if __name__ == "__main__":
    main()
