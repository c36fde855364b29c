"""Product trials (试用官, report 6.1): testers of each skin type try products before they go on
air. A tester's chance of a problem comes from the real product's suitability for her skin type
(the cosmetics data's 0/1 columns): unsuitable skin types meet problems far more often, so the
≥ 35 % flag of spec §8 fires for real label/skin-type mismatches."""
from __future__ import annotations

import numpy as np
import pyarrow as pa

SKINS = ("dry", "oily", "combination", "normal", "sensitive")
PROBLEMS = {
    "dry": ("卡粉", "起皮", "干燥紧绷", "搓泥"),
    "oily": ("闷痘", "脱妆", "油腻", "爆痘"),
    "combination": ("脱妆", "闷痘", "T区出油", "搓泥"),
    "normal": ("搓泥", "卡粉", "粘腻"),
    "sensitive": ("泛红", "刺痛", "瘙痒", "起疹"),
}
P_SUITABLE, P_UNSUITABLE = 0.10, 0.45


def trials_table(w, rng, per_product: float = 20.0) -> pa.Table:
    ids, prods, skins, probs, ats = [], [], [], [], []
    t0, t1 = w.period_start_s, w.period_end_s
    n = 0
    for i, src in enumerate(w.prod_src):
        k = int(rng.poisson(per_product))
        for _ in range(k):
            skin = SKINS[int(rng.integers(len(SKINS)))]
            suitable = int(src.get(skin, "1") or 1) == 1
            p = P_SUITABLE if suitable else P_UNSUITABLE
            found = []
            if rng.random() < p:
                choices = PROBLEMS[skin]
                found = list(rng.choice(choices, size=int(rng.integers(1, 3)), replace=False))
            n += 1
            ids.append(f"TR-{n:07d}")
            prods.append(w.prod_id[i])
            skins.append(skin)
            probs.append([str(x) for x in found])
            ats.append(int(rng.integers(t0, t1)))
    return pa.table({
        "trial_id": ids, "product_id": prods, "skin_type": skins,
        "problems": pa.array(probs, pa.list_(pa.string())),
        "at": pa.array(np.array(ats, dtype="int64") * 1_000_000, pa.timestamp("us", tz="Asia/Shanghai")),
    })
