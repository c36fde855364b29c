"""Server-side paging of a ranking of 10,000 streamers (no server needed): filters and search
count what a reader can count by hand from the generated frame."""
from __future__ import annotations

import numpy as np
import pandas as pd

from lashi.web.views import page_of_ranking


def big_ranking(n: int = 10_000) -> tuple[pd.DataFrame, pd.DataFrame]:
    i = np.arange(n)
    rk = pd.DataFrame({
        "subject_id": [f"S-ST{k:05d}" for k in i], "subject_kind": "streamer",
        "name": [f"主播{k}" for k in i], "tier": np.array(["head", "mid", "small"])[i % 3],
        "platform_id": np.array(["S-DY", "S-KS", "S-TB", "S-XHS"])[i % 4], "origin": None,
        "index": 100 - i / 100.0, "lo": 98 - i / 100.0, "hi": 101 - i / 100.0, "band": "good",
        "cases": 100, "rank": i + 1.0})
    subjects = pd.DataFrame({"subject_id": ["S-DY", "S-KS", "S-TB", "S-XHS"], "kind": "platform",
                             "name": ["抖音", "快手", "淘宝", "小红书"]})
    return rk, subjects


def test_pages_of_ten_thousand():
    rk, subj = big_ranking()
    page, rows, total, opts = page_of_ranking(rk, subj, "streamer", {"page": "200"}, 50)
    assert (page, total, len(rows)) == (200, 10_000, 50)
    assert rows[0]["subject_id"] == "S-ST09950" and rows[-1]["subject_id"] == "S-ST09999"
    assert [p["subject_id"] for p in opts["platforms"]] == ["S-DY", "S-KS", "S-TB", "S-XHS"]
    # a page beyond the end shows the last page
    assert page_of_ranking(rk, subj, "streamer", {"page": "999"}, 50)[0] == 200


def test_filters_and_search():
    rk, subj = big_ranking()
    # every 4th streamer is on S-KS (i % 4 == 1): 2,500; of those, i % 3 == 0 (head) every 3rd
    _, rows, total, _ = page_of_ranking(rk, subj, "streamer", {"platform": "S-KS"}, 50)
    assert total == 2_500 and all(r["platform_id"] == "S-KS" for r in rows)
    _, _, total, _ = page_of_ranking(rk, subj, "streamer", {"platform": "S-KS", "tier": "head"}, 50)
    assert total == sum(1 for k in range(10_000) if k % 4 == 1 and k % 3 == 0)
    # search by name or id, substring: 主播999 matches 999 and 9990–9999
    _, rows, total, _ = page_of_ranking(rk, subj, "streamer", {"q": "主播999"}, 50)
    assert total == 11
    _, rows, total, _ = page_of_ranking(rk, subj, "streamer", {"q": "st0000"}, 50)
    assert total == 10
    # lowest first
    _, rows, _, _ = page_of_ranking(rk, subj, "streamer", {"order": "asc"}, 50)
    assert rows[0]["subject_id"] == "S-ST09999"
