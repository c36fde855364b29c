"""Write the report's document in one language from the gathered data (the shape of the seed
report's chapter 4: 4.1 the industry, 4.2 differences between subjects, 4.3 root causes; then
remedies from chapters 5–6, governance, risk outlook, validation and the method appendix)."""
from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from . import charts
from .data import CONTEXT_SLICES, ReportData
from .document import Cell, Document, Section, Table, fmt, is_num, std_text

KIND = {"industry": ("行业", "industry"), "platform": ("平台", "platforms"), "streamer": ("主播", "streamers"),
        "brand": ("品牌", "brands"), "mcn": ("MCN机构", "MCNs")}
GROUP = {
    "streamer": {"head": ("头部主播", "head streamers"), "mid": ("腰部主播", "mid-tier streamers"),
                 "small": ("中小主播", "small streamers")},
    "brand": {"international": ("国际品牌", "international brands"), "domestic": ("国货品牌", "domestic brands"),
              "niche": ("新锐小众品牌", "niche brands")},
    "mcn": {"head": ("头部MCN", "head MCNs"), "mid": ("腰部MCN", "mid-tier MCNs"), "small": ("中小MCN", "small MCNs")},
}
CONTEXT = {"base": ("平日（非大促、非敏感肌）", "ordinary days"), "promotion": ("大促期间", "promotion days"),
           "sensitive_skin": ("敏感肌产品", "sensitive-skin products"),
           "promotion+sensitive_skin": ("大促+敏感肌", "promotion + sensitive skin"), "all": ("全期", "whole period")}
FLAG = {"insufficient": ("样本不足", "insufficient sample"), "missing": ("缺失", "missing"), "absent": ("无数据", "no data"),
        "own_window": ("自身窗口插补", "own-window imputation"), "peer_median": ("同类中位数插补", "peer-median imputation"),
        "winsorised": ("缩尾", "winsorised"), "log": ("对数变换", "log-transformed")}
OUTCOME = {"repurchase_rate": ("复购率", "repurchase rate"), "recommendation_rate": ("推荐率", "recommendation rate")}
RISK = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}
CARD = {"red": ("红牌", "red"), "yellow": ("黄牌", "yellow"), "green": ("绿牌", "green"), "none": ("无", "none")}


@lru_cache(maxsize=4)
def load_strategies(path: str | None = None) -> dict:
    shipped = yaml.safe_load((Path(__file__).with_name("strategies.yaml")).read_text(encoding="utf-8"))
    if path:
        shipped.update(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})
    return shipped


class _W:
    """Language helper."""

    def __init__(self, lang: str, cjk_charts: bool):
        self.lang = lang
        self.zh = lang == "zh"
        self.chart_zh = self.zh and cjk_charts

    def t(self, zh: str, en: str) -> str:
        return zh if self.zh else en

    def c(self, zh: str, en: str) -> str:  # chart labels
        return zh if self.chart_zh else en

    def kind(self, k: str) -> str:
        z, e = KIND.get(k, (k, k))
        return self.t(z, e)

    def kind1(self, k: str) -> str:  # one subject (table cells)
        z, _e = KIND.get(k, (k, k))
        return self.t(z, {"platform": "platform", "streamer": "streamer", "brand": "brand", "mcn": "MCN",
                          "industry": "industry"}.get(k, k))

    def group(self, family: str, g: str, names: dict, chart: bool = False) -> str:
        pick = self.c if chart else self.t
        if family == "platform":
            return names.get(g, g)
        if family == "context":
            z, e = CONTEXT.get(g, (g, g))
            return pick(z, e)
        z, e = GROUP.get(family, {}).get(g, (g, g))
        return pick(z, e)

    def dim(self, d, chart: bool = False) -> str:
        return (self.c if chart else self.t)(d.zh, d.en)

    def band(self, row) -> str:
        return str(row.get("band_zh") if self.zh else row.get("band_en"))

    def period(self, p: str) -> str:
        return p

    def flags(self, flags) -> str:
        if not isinstance(flags, str) or not flags:
            return ""
        return self.t("、", ", ").join(self.t(*FLAG.get(f, (f, f))) for f in flags.split(";") if f)

    def risk_reason(self, why: str) -> str:
        if self.zh:
            why = (why.replace("forecast", "预测").replace("and falling", "且每月下降").replace("falling", "每月下降")
                   .replace("interval reaches", "区间下限").replace("trend", "趋势").replace("/month", "/月"))
        return why


def _heat(score) -> str:
    if not is_num(score):
        return ""
    s = float(score)
    return "heat-4" if s >= 85 else "heat-3" if s >= 70 else "heat-2" if s >= 60 else "heat-1" if s >= 40 else "heat-0"


def _met_style(met) -> str:
    return "" if met is None else ("good" if met else "bad")


def compose(data: ReportData, lang: str = "zh", strategies: str | None = None) -> Document:
    w = _W(lang, charts.cjk_font() is not None)
    cat = data.catalogue
    ev = data.run.evaluation
    names = dict(zip(data.subjects["subject_id"], data.subjects["name"]))
    names["INDUSTRY"] = w.t("行业整体", "Industry")
    ind = data.industry_row
    exp = data.industry
    dims = exp.dimensions.set_index("dimension")
    dim_order = list(cat.dimension_ids)
    best_d = dims["score"].idxmax()
    worst_d = dims["score"].idxmin()
    costliest = exp.costliest_dimension
    idx = data.index
    kinds_n = idx[idx["subject_kind"] != "industry"]["subject_kind"].value_counts().to_dict()
    std_rows = exp.indicators[exp.indicators["standard_met"].notna()]
    n_std, n_met = len(std_rows), int((std_rows["standard_met"] == True).sum())  # noqa: E712
    sections: list[Section] = []
    summary = {"index": float(ind["index"]), "lo": float(ind["lo"]), "hi": float(ind["hi"]), "band": ind["band"],
               "cases": float(ind["cases"]), "period": data.period, "weakest_dimension": worst_d,
               "strongest_dimension": best_d}

    title = w.t(f"美妆直播售后服务评估报告（{data.period}）",
                f"After-Sales Service of Beauty Livestream E-commerce — Evaluation Report, {data.period}")
    subtitle = w.t("美妆直播售后健康指数 LASHI · 动态加权-多维融合评估模型",
                   "Livestream After-Sales Health Index (LASHI) · dynamic-weight multi-dimension model")
    meta = [
        (w.t("评估期间", "Period"), data.period),
        (w.t("数据范围", "Data span"), f"{data.span[0]} – {data.span[1]}"),
        (w.t("工单数", "Cases"), fmt(ind["cases"], "int", lang)),
        (w.t("评估主体", "Subjects"), " · ".join(f"{w.kind(k)} {kinds_n.get(k, 0)}"
                                                 for k in ("platform", "streamer", "brand", "mcn"))),
        (w.t("情境权重", "Context weights"), {"auto": w.t("按情境切片动态加权", "dynamic, per context slice"),
                                             "none": w.t("基础权重", "base weights")}.get(data.context, data.context)),
        (w.t("生成时间", "Generated"), data.generated),
    ]

    # ---- summary ----------------------------------------------------------------------------
    s0 = Section("summary", w.t("摘要", "Summary"))
    s0.kpis([
        (w.t("售后健康指数", "Health index"), fmt(ind["index"], "index", lang),
         w.t(f"90%区间 {ind['lo']:.1f}–{ind['hi']:.1f}", f"90% interval {ind['lo']:.1f}–{ind['hi']:.1f}")),
        (w.t("等级", "Band"), w.band(ind), w.t(f"GB/T 27922：{ind['gbt27922_zh']}", f"GB/T 27922: {ind['gbt27922_en']}")),
        (w.t("工单", "Cases"), fmt(ind["cases"], "int", lang), w.t(f"{data.period} 期间", f"in {data.period}")),
        (w.t("最优维度", "Strongest"), f"{w.dim(cat.dimension(best_d))}",
         f"{dims.at[best_d, 'score']:.1f}"),
        (w.t("最弱维度", "Weakest"), f"{w.dim(cat.dimension(worst_d))}", f"{dims.at[worst_d, 'score']:.1f}"),
        (w.t("报告标准线达标", "Report standards met"), f"{n_met}/{n_std}", w.t("项指标", "indicators")),
    ])
    plat = idx[idx["subject_kind"] == "platform"].sort_values("index", ascending=False)
    groups = data.groups
    findings = [w.t(
        f"{data.period} 行业整体售后健康指数为 {ind['index']:.1f} 分（90%区间 {ind['lo']:.1f}–{ind['hi']:.1f}，"
        f"基于 {int(ind['cases']):,} 件工单），处于“{ind['band_zh']}”等级；六大维度表现不均衡，"
        f"{cat.dimension(best_d).zh}（{dims.at[best_d, 'score']:.1f}分）最优，{cat.dimension(worst_d).zh}"
        f"（{dims.at[worst_d, 'score']:.1f}分）为最大短板。",
        f"In {data.period} the industry's after-sales health index is {ind['index']:.1f} (90% interval "
        f"{ind['lo']:.1f}–{ind['hi']:.1f}, from {int(ind['cases']):,} cases), band “{ind['band_en']}”. The six "
        f"dimensions are uneven: {cat.dimension(best_d).en} is strongest ({dims.at[best_d, 'score']:.1f}), "
        f"{cat.dimension(worst_d).en} weakest ({dims.at[worst_d, 'score']:.1f}).")]
    if len(plat):
        findings.append(w.t(
            "平台端：" + "、".join(f"{r.name}（{r.index:.1f}）" for r in plat.itertuples()) + "。",
            "Platforms: " + ", ".join(f"{r.name} ({r.index:.1f})" for r in plat.itertuples()) + "."))
    for fam in ("streamer", "brand"):
        g = groups[groups["family"] == fam]
        if len(g):
            findings.append(w.t(
                f"{w.kind(fam)}端：" + "；".join(f"{w.group(fam, r.group, names)}平均 {r.mean:.1f} 分（{r.subjects}个，"
                                             f"{r.share_poor:.0%}低于60分）" for r in g.itertuples()) + "。",
                f"{w.kind(fam).capitalize()}: " + "; ".join(
                    f"{w.group(fam, r.group, names)} average {r.mean:.1f} ({r.subjects}, {r.share_poor:.0%} below 60)"
                    for r in g.itertuples()) + "."))
    top = exp.indicators[exp.indicators["points_lost"] > 0].head(3)
    if len(top):
        findings.append(w.t(
            "失分最多的指标：" + "、".join(f"{r.indicator_id} {r.zh}（−{r.points_lost:.1f}分）" for r in top.itertuples())
            + f"；达到目标值可使行业指数最多提升 {top['points_lost'].sum():.1f} 分。",
            "Indicators costing most points: " + ", ".join(f"{r.indicator_id} {r.en} (−{r.points_lost:.1f})"
                                                          for r in top.itertuples())
            + f"; reaching their targets would add up to {top['points_lost'].sum():.1f} points to the industry index."))
    fc = (data.forecast or {}).get("forecasts")
    if fc is not None and len(fc):
        fi = fc[fc["subject_id"] == "INDUSTRY"]
        if len(fi):
            r0 = fi.iloc[-1]
            findings.append(w.t(
                f"风险预警：行业指数未来三个月预测 {fi['forecast'].mean():.1f} 分（至{r0['period']}区间 {r0['lo']:.1f}–{r0['hi']:.1f}），"
                f"风险等级“{RISK[r0['risk']][0]}”。",
                f"Risk outlook: the industry index is forecast at {fi['forecast'].mean():.1f} over the next three months "
                f"({r0['period']}: {r0['lo']:.1f}–{r0['hi']:.1f}), risk {RISK[r0['risk']][1]}."))
    s0.bullets(findings)
    sections.append(s0)

    # ---- 4.1 industry -----------------------------------------------------------------------
    s1 = Section("industry", w.t("一、行业整体评估结果", "1. The industry as a whole"))
    s1.p(findings[0])
    radar_series = [(w.c("行业整体", "Industry"), [dims.at[d, "score"] for d in dim_order], charts.ACCENT)]
    head = data.group_dims[(data.group_dims["family"] == "streamer") & (data.group_dims["group"] == "head")]
    if len(head):
        radar_series.append((w.c("头部主播均值", "Head streamers (mean)"),
                             [float(head.iloc[0].get(d, math.nan)) for d in dim_order], charts.SECOND))
    radar_series.append((w.c("良好线 70", "Good line 70"), [70.0] * len(dim_order), charts.MUTED))
    s1.chart(charts.radar([w.dim(cat.dimension(d), chart=True) for d in dim_order], radar_series, name="radar-industry"),
             w.t(f"图1 六大维度雷达图：最弱一侧为{cat.dimension(worst_d).zh}", f"Figure 1. The six dimensions; the weak side is {cat.dimension(worst_d).en}"))
    rows = []
    for d in dim_order:
        dd = cat.dimension(d)
        r = dims.loc[d]
        members = exp.indicators[exp.indicators["dimension"] == d].sort_values("points_lost", ascending=False)
        weakest_ind = members.iloc[0] if len(members) else None
        rows.append([d, w.dim(dd), Cell(r["score"], "index", _heat(r["score"])), f"{r['lo']:.1f}–{r['hi']:.1f}",
                     dd.base_weight, r["weight"], r["points_lost"],
                     "" if weakest_ind is None else f"{weakest_ind['indicator_id']} {w.t(weakest_ind['zh'], weakest_ind['en'])}"])
    s1.table(Table("dimensions", w.t("表1 六大维度得分", "Table 1. The six dimensions"),
                   [(w.t("维度", "Dim."), "text"), (w.t("名称", "Name"), "text"), (w.t("得分", "Score"), "index"),
                    (w.t("90%区间", "90% interval"), "text"), (w.t("基础权重", "Base weight"), "weight"),
                    (w.t("实际权重", "Weight used"), "weight"), (w.t("失分", "Points lost"), "num"),
                    (w.t("失分最多的指标", "Costliest indicator"), "text")], rows,
                   note=w.t("实际权重为各情境切片权重按工单数加权的平均；失分 = 权重 ×（100 − 得分），六项之和 = 100 − 指数。",
                            "Weight used is the case-weighted mean of the context slices' weights; points lost = weight × "
                            "(100 − score); the six add up to 100 − index.")))
    inds = exp.indicators.set_index("indicator_id")
    for d in dim_order:
        dd = cat.dimension(d)
        r = dims.loc[d]
        mem = [i for i in cat.indicators if i.dimension == d]
        missed = [i.id for i in mem if i.id in inds.index and inds.at[i.id, "standard_met"] is False]
        verdict = (w.t("行业最优项", "the industry's strongest") if d == best_d else
                   w.t("最大短板", "the weakest") if d == worst_d else "")
        s1.h3(f"{d} {w.dim(dd)} — {r['score']:.1f}" + (f"（{verdict}）" if verdict and w.zh else f" ({verdict})" if verdict else ""))
        txt = w.t(f"得分 {r['score']:.1f}（区间 {r['lo']:.1f}–{r['hi']:.1f}），实际权重 {r['weight']:.1%}，失分 {r['points_lost']:.2f}。",
                  f"Score {r['score']:.1f} ({r['lo']:.1f}–{r['hi']:.1f}), weight used {r['weight']:.1%}, {r['points_lost']:.2f} points lost.")
        if missed:
            txt += w.t(f"未达到报告标准线的指标：{'、'.join(missed)}。", f" Below the report's standard line: {', '.join(missed)}.")
        s1.p(txt)
        trows = []
        for i in mem:
            x = inds.loc[i.id] if i.id in inds.index else None
            unit = "unit:" + i.unit
            met = None if x is None else x["standard_met"]
            trows.append([i.id, w.t(i.zh, i.en), Cell(None if x is None else x["value"], unit, _met_style(met)),
                          Cell(i.target, unit), Cell(i.floor, unit),
                          std_text(i.standard.op, i.standard.value, i.unit, lang) if i.standard else "—",
                          Cell(met, "bool", _met_style(met)), Cell(None if x is None else x["score"], "index", _heat(None if x is None else x["score"])),
                          None if x is None else x["n"], None if x is None else x["points_lost"],
                          "" if x is None else w.flags(x["flags"])])
        s1.table(Table(f"ind_{d}", w.t(f"表1.{dim_order.index(d) + 1} {d} {dd.zh}：指标与目标、标准线",
                                       f"Table 1.{dim_order.index(d) + 1} {d} {dd.en}: indicators against targets and standards"),
                       [(w.t("指标", "Ind."), "text"), (w.t("名称", "Name"), "text"), (w.t("实际值", "Value"), "text"),
                        (w.t("目标（100分）", "Target (100)"), "text"), (w.t("底线（0分）", "Floor (0)"), "text"),
                        (w.t("报告标准线", "Report standard"), "text"), (w.t("达标", "Met"), "bool"),
                        (w.t("得分", "Score"), "index"), (w.t("样本量", "n"), "int"), (w.t("失分", "Lost"), "num"),
                        (w.t("标记", "Flags"), "text")], trows))

    sections.append(s1)

    # ---- 4.2 differences --------------------------------------------------------------------
    s2 = Section("subjects", w.t("二、不同主体评估差异", "2. Differences between subjects"))
    s2.p(w.t("平台、主播、品牌与MCN机构在售后服务能力上呈现明显梯度。下图与下表给出各主体的指数及90%区间；"
             "虚线为等级线（60 中等、70 良好、85 优秀）。",
             "Platforms, streamers, brands and MCNs differ markedly. The charts and tables give each subject's "
             "index with its 90% interval; dotted lines mark the bands (60 fair, 70 good, 85 excellent)."))
    dcols = [(d, w.t(cat.dimension(d).zh, cat.dimension(d).en)) for d in dim_order]
    dims_by = data.dims.set_index("subject_id")

    def subject_rows(df, split: bool = False):
        out = []
        for r in df.itertuples():
            interval = [r.lo, r.hi] if split else [Cell(f"{r.lo:.1f}–{r.hi:.1f}", "code")]
            row = [r.name, Cell(r.subject_id, "code"), Cell(r.index, "index", _heat(r.index))] + interval + [
                   Cell(w.band({"band_zh": r.band_zh, "band_en": r.band_en}), "code"), r.cases,
                   f"{r.weakest_dimension} {w.dim(cat.dimension(r.weakest_dimension))}" if isinstance(r.weakest_dimension, str) else "—"]
            for d, _n in dcols:
                v = dims_by.at[r.subject_id, d] if (r.subject_id in dims_by.index and d in dims_by.columns) else None
                row.append(Cell(v, "index", _heat(v)))
            out.append(row)
        return out

    def _subj_cols(split: bool = False):
        interval = ([(w.t("区间下限", "Interval low"), "index"), (w.t("区间上限", "Interval high"), "index")] if split
                    else [(w.t("90%区间", "90% interval"), "text")])
        return ([(w.t("主体", "Subject"), "text"), ("ID", "text"), (w.t("指数", "Index"), "index")] + interval
                + [(w.t("等级", "Band"), "text"), (w.t("工单", "Cases"), "int"), (w.t("最弱维度", "Weakest"), "text")]
                + [(d, "index") for d, _ in dcols])

    subj_cols = _subj_cols()

    # platforms
    s2.h3(w.t("2.1 平台", "2.1 Platforms"))
    if len(plat):
        s2.chart(charts.interval_bars(list(plat["name"]), list(plat["index"]), list(plat["lo"]), list(plat["hi"]),
                                      name="bars-platform", xlabel=w.c("售后健康指数（90%区间）", "health index (90% interval)")),
                 w.t("图2 平台售后健康指数", "Figure 2. Platforms' health index"))
        best, worst = plat.iloc[0], plat.iloc[-1]
        s2.p(w.t(f"{best['name']}以 {best['index']:.1f} 分领先，{worst['name']}（{worst['index']:.1f}）垫底，相差 {best['index'] - worst['index']:.1f} 分；"
                 f"{worst['name']}的最弱维度是{cat.dimension(worst['weakest_dimension']).zh}。",
                 f"{best['name']} leads with {best['index']:.1f}; {worst['name']} trails at {worst['index']:.1f}, "
                 f"{best['index'] - worst['index']:.1f} points behind; its weakest dimension is {cat.dimension(worst['weakest_dimension']).en}."))
        s2.table(Table("platforms", w.t("表2 平台", "Table 2. Platforms"), subj_cols, subject_rows(plat), heat=True))

    def family_block(fam: str, num: str, label_zh: str, label_en: str):
        g = groups[groups["family"] == fam]
        members = idx[idx["subject_kind"] == fam].sort_values("index", ascending=False)
        if members.empty:
            return
        s2.h3(w.t(f"{num} {label_zh}", f"{num} {label_en}"))
        dots = [(w.group(fam, r.group, names, chart=True), list(members[members["group"] == r.group]["index"]))
                for r in g.itertuples()]
        s2.chart(charts.group_dots(dots, name=f"dots-{fam}", xlabel=w.c("售后健康指数", "health index"),
                                   mean_label=w.c("均值", "mean")),
                 w.t(f"图 {label_zh}分层：每点为一个主体，竖线为均值", f"Figure. {label_en} by group: one dot per subject, the bar is the mean"))
        sent = []
        for r in g.itertuples():
            sent.append(w.t(f"{w.group(fam, r.group, names)} {r.subjects} 个，平均 {r.mean:.1f}（{r.min:.1f}–{r.max:.1f}），"
                            f"{r.share_poor:.0%} 低于60分，最高 {r.best}（{r.best_index:.1f}）",
                            f"{w.group(fam, r.group, names)}: {r.subjects}, mean {r.mean:.1f} ({r.min:.1f}–{r.max:.1f}), "
                            f"{r.share_poor:.0%} below 60, best {r.best} ({r.best_index:.1f})"))
        s2.p(w.t("；".join(sent) + "。", ("; ".join(sent) + ".")[:1].upper() + ("; ".join(sent) + ".")[1:]))
        grows = [[w.group(fam, r.group, names), r.subjects, r.cases, Cell(r.mean, "index", _heat(r.mean)), r.median,
                  r.min, r.max, r.share_good, r.share_poor, f"{r.best} ({r.best_index:.1f})", f"{r.worst} ({r.worst_index:.1f})"]
                 for r in g.itertuples()]
        s2.table(Table(f"groups_{fam}", w.t(f"表 {label_zh}分层汇总", f"Table. {label_en} by group"),
                       [(w.t("分组", "Group"), "text"), (w.t("主体数", "Subjects"), "int"), (w.t("工单", "Cases"), "int"),
                        (w.t("平均指数", "Mean"), "index"), (w.t("中位数", "Median"), "index"), (w.t("最低", "Min"), "index"),
                        (w.t("最高", "Max"), "index"), (w.t("≥70占比", "≥ 70"), "pct"), (w.t("<60占比", "< 60"), "pct"),
                        (w.t("最高者", "Best"), "text"), (w.t("最低者", "Worst"), "text")], grows))
        k = 5
        shown = members if len(members) <= 2 * k else pd.concat([members.head(k), members.tail(k)])
        s2.table(Table(f"top_{fam}", w.t(f"表 {label_zh}：前{k}名与后{k}名" if len(members) > 2 * k else f"表 {label_zh}排名",
                                         f"Table. {label_en}: top {k} and bottom {k}" if len(members) > 2 * k else f"Table. {label_en} ranked"),
                       [(w.t("名次", "Rank"), "int"), (w.t("分组", "Group"), "text")] + subj_cols,
                       [[int(r.rank) if is_num(r.rank) else None, Cell(w.group(fam, r.group, names), "code")] + row
                        for r, row in zip(shown.itertuples(), subject_rows(shown))], heat=True))
        s2.table((Table(f"all_{fam}", w.t(f"全部{label_zh}", f"All {label_en.lower()}"),
                                                           [(w.t("名次", "Rank"), "int"), (w.t("分组", "Group"), "text")] + _subj_cols(True),
                                                           [[int(r.rank) if is_num(r.rank) else None, w.group(fam, r.group, names)] + row
                                                            for r, row in zip(members.itertuples(), subject_rows(members, True))],
                                                           xlsx_only=True)))

    family_block("streamer", "2.2", "主播", "Streamers")
    family_block("brand", "2.3", "品牌", "Brands")
    mcn = idx[idx["subject_kind"] == "mcn"].sort_values("index", ascending=False)
    if len(mcn):
        s2.h3(w.t("2.4 MCN机构", "2.4 MCNs"))
        shown = mcn if len(mcn) <= 30 else pd.concat([mcn.head(15), mcn.tail(15)])
        s2.chart(charts.interval_bars(list(shown["name"]), list(shown["index"]), list(shown["lo"]), list(shown["hi"]),
                                      name="bars-mcn", xlabel=w.c("售后健康指数（90%区间）", "health index (90% interval)")),
                 w.t("图 MCN机构售后健康指数", "Figure. MCNs' health index"))
        g = groups[groups["family"] == "mcn"]
        s2.p(w.t("；".join(f"{w.group('mcn', r.group, names)} {r.subjects} 家，平均 {r.mean:.1f}" for r in g.itertuples()) + "。"
                 + f"最高 {mcn.iloc[0]['name']}（{mcn.iloc[0]['index']:.1f}），最低 {mcn.iloc[-1]['name']}（{mcn.iloc[-1]['index']:.1f}）。",
                 "; ".join(f"{w.group('mcn', r.group, names)}: {r.subjects}, mean {r.mean:.1f}" for r in g.itertuples())
                 + f". Best {mcn.iloc[0]['name']} ({mcn.iloc[0]['index']:.1f}), worst {mcn.iloc[-1]['name']} ({mcn.iloc[-1]['index']:.1f})."))
        s2.table(Table("mcns", w.t("表 MCN机构", "Table. MCNs"), [(w.t("名次", "Rank"), "int"), (w.t("分组", "Group"), "text")] + subj_cols,
                       [[int(r.rank) if is_num(r.rank) else None, w.group("mcn", r.group, names)] + row
                        for r, row in zip(mcn.itertuples(), subject_rows(mcn))], heat=True))
    # group × dimension
    s2.h3(w.t("2.5 各主体六维度对比", "2.5 The six dimensions by group"))
    gd = data.group_dims
    s2.p(w.t("下表为各分组主体维度得分的平均值，颜色越深越好；同一维度在各组都偏低说明是行业共性问题，只在部分组偏低则为结构性差距。",
             "Mean dimension scores of each group's subjects (darker is better). A dimension low in every group is an "
             "industry-wide problem; one low in some groups only is a structural gap."))
    s2.table(Table("group_dimensions", w.t("表 分组 × 维度平均得分", "Table. Mean dimension scores by group"),
                   [(w.t("类型", "Kind"), "text"), (w.t("分组", "Group"), "text"), (w.t("指数", "Index"), "index")]
                   + [(f"{d} {n}", "index") for d, n in dcols],
                   [[w.kind(r["family"]), w.group(r["family"], r["group"], names), Cell(r["index"], "index", _heat(r["index"]))]
                    + [Cell(r.get(d), "index", _heat(r.get(d))) for d, _ in dcols] for _, r in gd.iterrows()], heat=True))
    sections.append(s2)

    # ---- 4.3 root causes --------------------------------------------------------------------
    s3 = Section("causes", w.t("三、核心问题根源溯源", "3. Root causes"))
    wc = data.weakest_counts
    parts = []
    for _, r in wc.iterrows():
        counts = {d: int(r[d]) for d in dim_order if d in r and r[d] > 0}
        if counts:
            dtop = max(counts, key=counts.get)
            total = sum(counts.values())
            parts.append(w.t(f"{w.kind(r['subject_kind'])} {counts[dtop]}/{total} 以{cat.dimension(dtop).zh}为最弱维度",
                             f"{counts[dtop]} of {total} {w.kind(r['subject_kind'])} have {cat.dimension(dtop).en} as their weakest side"))
    s3.p(w.t(f"行业失分最多的维度是{cat.dimension(costliest).zh}（−{dims.at[costliest, 'points_lost']:.1f}分）。"
             + ("；".join(parts) + "。" if parts else ""),
             f"The dimension costing the industry most points is {cat.dimension(costliest).en} "
             f"(−{dims.at[costliest, 'points_lost']:.1f}). " + ("; ".join(parts) + "." if parts else "")))
    top10 = exp.indicators[exp.indicators["points_lost"] > 0].head(10)
    if len(top10):
        s3.chart(charts.lost_bars([f"{r.indicator_id} {w.c(r.zh, r.en)}" for r in top10.itertuples()],
                                  list(top10["points_lost"]), name="lost-industry",
                                  xlabel=w.c("行业指数失分（按权重）", "points lost by the industry index")),
                 w.t("图 失分最多的十项指标", "Figure. The ten indicators costing most points"))
    causes = data.causes
    bullets = []
    crow = []
    for r in causes.itertuples():
        unit = "unit:" + r.unit
        where = []
        for fam in ("platform", "streamer", "brand", "mcn"):
            g = getattr(r, f"worst_{fam}")
            if g is not None and isinstance(g, str):
                where.append(f"{w.group(fam, g, names)} {fmt(getattr(r, f'worst_{fam}_value'), unit, lang)}")
        ctx = ""
        if is_num(r.promotion_value) and is_num(r.base_value):
            ctx = w.t(f"大促期间 {fmt(r.promotion_value, unit, lang)}，平日 {fmt(r.base_value, unit, lang)}",
                      f"promotion days {fmt(r.promotion_value, unit, lang)} vs ordinary days {fmt(r.base_value, unit, lang)}")
        if is_num(r.sensitive_value):
            ctx += w.t(f"，敏感肌产品 {fmt(r.sensitive_value, unit, lang)}", f", sensitive-skin products {fmt(r.sensitive_value, unit, lang)}")
        i = cat.indicator(r.indicator_id)
        std = std_text(i.standard.op, i.standard.value, i.unit, lang) if i.standard else "—"
        std_zh = f"，报告标准 {std}" if i.standard else ""
        std_en = f", report standard {std}" if i.standard else ""
        where_zh = ("；最差集中在 " + "、".join(where)) if where else ""
        where_en = ("; worst in " + ", ".join(where)) if where else ""
        bullets.append(w.t(
            f"{r.indicator_id} {r.zh}：行业 {fmt(r.value, unit, lang)}（目标 {fmt(r.target, unit, lang)}{std_zh}），"
            f"失分 {r.points_lost:.2f}" + where_zh + (f"；{ctx}" if ctx else "") + "。",
            f"{r.indicator_id} {r.en}: industry {fmt(r.value, unit, lang)} (target {fmt(r.target, unit, lang)}{std_en}), "
            f"{r.points_lost:.2f} points lost" + where_en + (f"; {ctx}" if ctx else "") + "."))
        crow.append([r.indicator_id, w.t(r.zh, r.en), r.dimension, Cell(r.value, unit), Cell(r.target, unit), std,
                     Cell(r.standard_met, "bool", _met_style(r.standard_met)), Cell(r.score, "index", _heat(r.score)),
                     r.points_lost, r.streamers_below_60,
                     "" if not isinstance(r.worst_platform, str) else f"{names.get(r.worst_platform, r.worst_platform)} {fmt(r.worst_platform_value, unit, lang)}",
                     "" if not isinstance(r.worst_streamer, str) else f"{w.group('streamer', r.worst_streamer, names)} {fmt(r.worst_streamer_value, unit, lang)}",
                     "" if not isinstance(r.worst_brand, str) else f"{w.group('brand', r.worst_brand, names)} {fmt(r.worst_brand_value, unit, lang)}",
                     Cell(r.promotion_value, unit), Cell(r.base_value, unit)])
    s3.p(w.t("下列指标使行业失分最多（及未达报告标准线者）。“最差集中在”给出各类主体中该指标最差的平台，以及主播、品牌、MCN分组的中位数；"
             "并比较大促期间与平日。", "These indicators cost the industry most points (plus those below the report's standard). "
             "“Worst in” names the worst platform and the worst streamer, brand and MCN group (group medians), and compares "
             "promotion days with ordinary days."))
    s3.bullets(bullets)
    s3.table(Table("root_causes", w.t("表3 问题指标及其集中之处", "Table 3. Weak indicators and where they concentrate"),
                   [(w.t("指标", "Ind."), "text"), (w.t("名称", "Name"), "text"), (w.t("维度", "Dim."), "text"),
                    (w.t("行业值", "Industry"), "text"), (w.t("目标", "Target"), "text"), (w.t("报告标准", "Standard"), "text"),
                    (w.t("达标", "Met"), "bool"), (w.t("得分", "Score"), "index"), (w.t("失分", "Lost"), "num"),
                    (w.t("主播<60分占比", "Streamers < 60"), "pct"), (w.t("最差平台", "Worst platform"), "text"),
                    (w.t("最差主播层", "Worst streamer tier"), "text"), (w.t("最差品牌类", "Worst brand type"), "text"),
                    (w.t("大促期间", "Promotion"), "text"), (w.t("平日", "Ordinary"), "text")], crow, xlsx_only=True))
    s3.table(Table("root_causes_short", w.t("表3 问题指标及其集中之处", "Table 3. Weak indicators and where they concentrate"),
                   [(w.t("指标", "Indicator"), "text"), (w.t("行业值", "Industry"), "text"), (w.t("报告标准", "Standard"), "text"),
                    (w.t("失分", "Lost"), "num"), (w.t("主播<60分", "Streamers < 60"), "pct"),
                    (w.t("最差平台", "Worst platform"), "text"), (w.t("最差主播层", "Worst streamer tier"), "text"),
                    (w.t("最差品牌类", "Worst brand type"), "text"), (w.t("大促 / 平日", "Promotion / ordinary"), "text")],
                   [[f"{c[0]} {c[1]}", c[3], Cell(f"{c[5]} {fmt(c[6].value, 'bool', lang)}" if c[5] != "—" else "—", "code", c[6].style),
                     c[8], c[9], Cell(c[10], "code"), Cell(c[11], "code"), Cell(c[12], "code"),
                     Cell(f"{fmt(c[13].value, c[13].kind, lang)} / {fmt(c[14].value, c[14].kind, lang)}", "code")] for c in crow],
                   html_only=True))
    if len(wc):
        s3.table(Table("weakest_counts", w.t("表 各类主体的最弱维度分布", "Table. Weakest dimension by kind of subject"),
                       [(w.t("类型", "Kind"), "text")] + [(f"{d} {n}", "int") for d, n in dcols],
                       [[w.kind(r["subject_kind"])] + [int(r[d]) if d in r else 0 for d, _ in dcols] for _, r in wc.iterrows()]))
    sections.append(s3)

    # ---- remedies (chapters 5–6) --------------------------------------------------------------
    s4 = Section("remedies", w.t("四、改进建议（第五、六章）", "4. Remedies (chapters 5–6)"))
    s4.p(w.t("按可挽回的分数排序：某指标达到目标值时，行业指数最多可提升其失分。建议对象为该指标最差的主体分组。",
             "Ordered by the points they can win back: an indicator raised to its target adds up to its points lost to the "
             "industry index. “Start with” names the groups where the indicator is worst."))
    rrows = []
    for k, r in enumerate(causes.sort_values("points_lost", ascending=False).itertuples(), 1):
        who = []
        if isinstance(r.worst_platform, str):
            who.append(names.get(r.worst_platform, r.worst_platform))
        if isinstance(r.worst_streamer, str):
            who.append(w.group("streamer", r.worst_streamer, names))
        if isinstance(r.worst_brand, str):
            who.append(w.group("brand", r.worst_brand, names))
        if isinstance(r.worst_context, str) and r.worst_context in ("promotion", "sensitive_skin", "promotion+sensitive_skin"):
            who.append(w.group("context", r.worst_context, names))
        unit = "unit:" + r.unit
        rrows.append([k, f"{r.indicator_id} {w.t(r.zh, r.en)}", f"{fmt(r.value, unit, lang)} → {fmt(r.target, unit, lang)}",
                      r.points_lost, w.t("、", ", ").join(who), w.t(r.remedy_zh, r.remedy_en)])
    s4.table(Table("remedies", w.t("表4 优先改进项与对策", "Table 4. Priorities and remedies"),
                   [(w.t("优先级", "Priority"), "int"), (w.t("指标", "Indicator"), "text"), (w.t("现状 → 目标", "Now → target"), "text"),
                    (w.t("可挽回分数", "Points to win"), "num"), (w.t("建议对象", "Start with"), "text"),
                    (w.t("对策（报告章节）", "Remedy (report section)"), "text")], rrows))
    strat = load_strategies(strategies)
    weak_dims = list(dims.sort_values("score").index[:2])
    if costliest not in weak_dims:
        weak_dims.append(costliest)
    for d in weak_dims:
        items = strat.get(d) or []
        if items:
            s4.h3(w.t(f"{d} {cat.dimension(d).zh}（{dims.at[d, 'score']:.1f}分）的系统性对策",
                      f"Systemic strategies for {d} {cat.dimension(d).en} ({dims.at[d, 'score']:.1f})"))
            s4.bullets([f"{w.t(it['zh'], it['en'])} （{it['section']}）" if w.zh else f"{it['en']} ({it['section']})" for it in items])
    sections.append(s4)

    # ---- governance --------------------------------------------------------------------------
    g = data.governance
    if g is not None:
        s5 = Section("governance", w.t("五、治理要点", "5. Governance highlights"))
        cc = g.cards["card"].value_counts().to_dict() if len(g.cards) else {}
        rc = g.credit["rating"].value_counts().to_dict() if len(g.credit) else {}
        s5.kpis([(w.t(f"{CARD[k][0]}", f"{CARD[k][1]} cards"), str(cc.get(k, 0)), w.t(f"主播 · {g.card_month}", f"streamers · {g.card_month}"))
                 for k in ("red", "yellow", "green")] +
                [(w.t(f"信用评级 {k}", f"Credit rating {k}"), str(rc.get(k, 0)), w.t("主播", "streamers")) for k in ("A", "B", "C")])
        s5.p(w.t("红牌：连续两个月指数低于60分，限制流量；黄牌：本月低于60分；绿牌：高于85分，流量倾斜。信用评级A：指数≥80且投诉率≤行业0.8倍；"
                 "C：指数<60或投诉率≥行业1.25倍（第五章5.1）。",
                 "Red card: index below 60 two months running, traffic limited; yellow: below 60 this month; green: above 85, "
                 "traffic boost. Credit rating A: index ≥ 80 and complaint rate ≤ 0.8 × industry; C: index < 60 or complaint "
                 "rate ≥ 1.25 × industry (chapter 5.1)."))
        rect = g.rectification
        if len(rect):
            byk = rect["subject_kind"].value_counts().to_dict()
            s5.p(w.t(f"整改约谈（{g.previous_quarter}、{g.quarter}连续两季度指数低于60分）：" +
                     "、".join(f"{w.kind(k)} {v}" for k, v in byk.items()) + "。",
                     f"Rectification interviews (quarterly index below 60 in {g.previous_quarter} and {g.quarter}): " +
                     ", ".join(f"{v} {w.kind(k)}" for k, v in byk.items()) + "."))
            rr = rect.sort_values("index").head(15)
            s5.table(Table("rectification", w.t("表 整改约谈名单（最低15个）", "Table. Rectification list (lowest 15)"),
                           [(w.t("主体", "Subject"), "text"), ("ID", "text"), (w.t("类型", "Kind"), "text"),
                            (g.previous_quarter, "index"), (g.quarter, "index"), (w.t("最弱维度", "Weakest"), "text")],
                           [[names.get(r.subject_id, r.subject_id), r.subject_id, w.kind1(r.subject_kind), r.previous_index, r.index,
                             f"{r.weakest_dimension} {w.t(r.weakest_zh, r.weakest_en)}"] for r in rr.itertuples()]))
        else:
            s5.p(w.t(f"{g.previous_quarter}、{g.quarter}无主体需整改约谈。", f"No subject needs a rectification interview in {g.previous_quarter}–{g.quarter}."))
        mb = g.mcn_brands
        if len(mb):
            dc = mb["decision"].value_counts().to_dict()
            s5.p(w.t("MCN内品牌售后信用分（第六章6.4）：" + "、".join(f"{r} {n}" for r, n in
                     zip(mb.drop_duplicates("decision")["decision_zh"], [dc[k] for k in mb.drop_duplicates("decision")["decision"]])) + "（MCN×品牌组合）。",
                     "Brand credit inside MCNs (chapter 6.4): " + ", ".join(f"{k} {v}" for k, v in dc.items()) + " (MCN × brand pairs)."))
        tg = g.targets
        if len(tg):
            s5.table(Table("phase_targets", w.t("表 阶段目标进度（第八章8.3）", "Table. Phase targets (chapter 8.3)"),
                           [(w.t("目标", "Target"), "text"), (w.t("截止", "Deadline"), "text"), (w.t("基线", "Baseline"), "num"),
                            (w.t("当前", "Current"), "num"), (w.t("进度", "Progress"), "pct"), (w.t("状态", "Status"), "text")],
                           [[f"{r.id} {w.t(r.zh, r.en)} {r.op} {r.target:g}", str(r.deadline), getattr(r, "baseline", None),
                             getattr(r, "current", None), getattr(r, "progress", None),
                             w.t(getattr(r, "status_zh", r.status), r.status)] for r in tg.itertuples()]))
        for n in g.notes:
            s5.callout(n)
        sections.append(s5)

    # ---- forecast ----------------------------------------------------------------------------
    f = data.forecast
    if f is not None and len(f.get("history", [])):
        s6 = Section("forecast", w.t("六、风险预警：未来三个月", "6. Risk outlook: the next three months"))
        hist = f["history"]
        fc = f["forecasts"]
        hi_ = hist[hist["subject_id"] == "INDUSTRY"].sort_values("period")
        fi = fc[fc["subject_id"] == "INDUSTRY"].sort_values("period") if len(fc) else fc
        others = []
        for r in plat.itertuples():
            ph = hist[hist["subject_id"] == r.subject_id].set_index("period")["index"].reindex(list(hi_["period"]))
            others.append((r.name, list(ph)))
        s6.chart(charts.trend(list(hi_["period"]), list(hi_["index"]),
                              list(fi["period"]) if len(fi) else [], list(fi["forecast"]) if len(fi) else [],
                              list(fi["lo"]) if len(fi) else [], list(fi["hi"]) if len(fi) else [], name="trend-industry",
                              legend=(w.c("行业指数", "industry index"), w.c("预测", "forecast"), w.c("90%预测区间", "90% interval")),
                              others=others),
                 w.t("图 行业与平台月度指数及行业未来三个月预测", "Figure. Monthly index of the industry and platforms, with the industry's three-month forecast"))
        if len(fc):
            risk = fc.drop_duplicates("subject_id")
            if len(fi):
                r0 = fi.iloc[0]
                s6.p(w.t(f"行业指数预测：{'、'.join(f'{r.period} {r.forecast:.1f}（{r.lo:.1f}–{r.hi:.1f}）' for r in fi.itertuples())}；"
                         f"风险等级“{RISK[r0['risk']][0]}”（{w.risk_reason(r0['risk_reason'])}）。模型：{r0['model']}，{int(r0['months_used'])}个月。",
                         f"Industry forecast: {', '.join(f'{r.period} {r.forecast:.1f} ({r.lo:.1f}–{r.hi:.1f})' for r in fi.itertuples())}; "
                         f"risk {RISK[r0['risk']][1]} ({r0['risk_reason']}). Model {r0['model']} on {int(r0['months_used'])} months."))
            tab = risk.groupby(["subject_kind", "risk"]).size().unstack(fill_value=0)
            s6.table(Table("risk_levels", w.t("表 风险等级分布", "Table. Risk levels"),
                           [(w.t("类型", "Kind"), "text"), (w.t("高", "High"), "int"), (w.t("中", "Medium"), "int"), (w.t("低", "Low"), "int")],
                           [[w.kind(k), int(r.get("high", 0)), int(r.get("medium", 0)), int(r.get("low", 0))] for k, r in tab.iterrows()]))
            mean_f = fc.groupby("subject_id")["forecast"].mean()
            hr = risk[(risk["risk"] == "high") & (risk["subject_kind"] != "industry")].copy()
            hr["mean_forecast"] = hr["subject_id"].map(mean_f)
            hr = hr.sort_values("mean_forecast").head(10)
            if len(hr):
                s6.table(Table("high_risk", w.t("表 高风险主体（预测最低10个）", "Table. High-risk subjects (lowest 10 forecasts)"),
                               [(w.t("主体", "Subject"), "text"), ("ID", "text"), (w.t("类型", "Kind"), "text"),
                                (w.t("最近指数", "Last index"), "index"), (w.t("三个月预测均值", "3-month forecast"), "index"),
                                (w.t("趋势/月", "Trend/month"), "num"), (w.t("原因", "Reason"), "text")],
                               [[names.get(r.subject_id, r.subject_id), r.subject_id, w.kind1(r.subject_kind), r.last_index,
                                 r.mean_forecast, r.trend_per_month, w.risk_reason(r.risk_reason)] for r in hr.itertuples()]))
        bt = f.get("backtest")
        if bt is not None and len(bt):
            s6.table(Table("backtest", w.t("表 滚动回测（行业与平台）", "Table. Rolling-origin backtest (industry and platforms)"),
                           [(w.t("步长（月）", "Step (months)"), "text"), (w.t("预测数", "Forecasts"), "int"),
                            (w.t("模型MAE", "Model MAE"), "num"), (w.t("朴素MAE", "Naive MAE"), "num"),
                            (w.t("技能", "Skill"), "pct"), (w.t("区间覆盖率", "Coverage"), "pct")],
                           [[r.get("step"), r.get("forecasts"), r.get("mae_model"), r.get("mae_naive"), r.get("skill"), r.get("coverage")]
                            for _, r in bt.iterrows()]))
        sections.append(s6)

    # ---- validation --------------------------------------------------------------------------
    v = data.validation
    if v is not None:
        s7 = Section("validation", w.t("七、评估结果验证", "7. Validation of the results"))
        s7.p(w.t("按第三章3.5的“三方交叉验证+动态校准”机制检验评估结果。", "The results are checked as chapter 3.5 asks: triangulation, blind test and calibration."))
        verdicts = []
        tri = v.triangulation
        if len(tri):
            nb = int(tri["beautified"].sum())
            verdicts.append([w.t("三方交叉验证", "Triangulation"), w.t(f"{len(tri)} 项自报数据，{nb} 项显著高于独立来源",
                                                                    f"{len(tri)} self-reported figures, {nb} significantly above the independent sources"),
                             Cell(w.t("发现数据美化", "beautification found") if nb else w.t("未发现", "none found"), "text", "bad" if nb else "good")])
        b = v.blind
        if b:
            verdicts.append([w.t("盲测评估", "Blind test"),
                             f"Pearson r = {b['pearson']:.2f} ({b['pearson_lo']:.2f}–{b['pearson_hi']:.2f}), n = {b['codes']}; "
                             + w.t("≥0.8 通过，0.6–0.8 复核，<0.6 重新设计", "≥ 0.8 pass, 0.6–0.8 review, < 0.6 redesign"),
                             Cell(w.t(b["verdict_zh"], b["verdict"]), "text", {"pass": "good", "review": "warn"}.get(b["verdict"], "bad"))])
        cal = v.calibration
        if len(cal):
            nf = int(cal["flagged"].sum())
            verdicts.append([w.t("动态校准", "Calibration"), w.t(f"{v.previous_quarter}→{v.quarter}：{nf}/{len(cal)} 项行业指标波动超过20%",
                                                              f"{v.previous_quarter}→{v.quarter}: {nf} of {len(cal)} industry indicators moved more than 20%"),
                             Cell(w.t("需复核", "review") if nf else w.t("稳定", "stable"), "text", "warn" if nf else "good")])
        val = v.validity
        if len(val):
            allr = val[val["subjects"] == "all"] if "all" in set(val["subjects"]) else val.head(1)
            for r in allr.itertuples():
                verdicts.append([w.t("预测效度", "Predictive validity"),
                                 f"{w.t(*OUTCOME.get(r.outcome, (r.outcome, r.outcome)))}: r = {r.pearson:.2f} ({r.pearson_lo:.2f}–{r.pearson_hi:.2f}), n = {r.n}",
                                 Cell(w.t("有效", "valid") if r.pearson_lo > 0 else w.t("不显著", "not significant"), "text",
                                      "good" if r.pearson_lo > 0 else "warn")])
        sens = v.sensitivity
        if len(sens):
            dep = int(sens["band_depends"].sum())
            verdicts.append([w.t("敏感性", "Sensitivity"), w.t(f"{int(sens['runs'].iloc[0])} 次扰动（权重±25%、归一化、聚合方式）：{dep}/{len(sens)} 个主体等级随之改变",
                                                               f"{int(sens['runs'].iloc[0])} runs (weights ±25%, normalisation, aggregation): the band of {dep} of {len(sens)} subjects depends on the choices"),
                             Cell(f"{dep / len(sens):.0%}", "text", "warn" if dep / len(sens) > 0.25 else "good")])
        an = v.anomalies
        if len(an):
            na = int(an["anomalous"].sum())
            verdicts.append([w.t("异常主体", "Anomalous subjects"), w.t(f"孤立森林标记 {na} 个主体待核查", f"isolation forest flags {na} subjects to look at"),
                             Cell(str(na), "text", "warn" if na else "good")])
        s7.table(Table("validation", w.t("表7 验证结果与结论", "Table 7. Validation results and verdicts"),
                       [(w.t("检验", "Check"), "text"), (w.t("结果", "Result"), "text"), (w.t("结论", "Verdict"), "text")], verdicts))
        if len(tri) and int(tri["beautified"].sum()):
            fl = tri[tri["beautified"]].sort_values("p_one_sided").head(10)
            s7.table(Table("triangulation", w.t("表 数据美化嫌疑（前10项）", "Table. Suspected beautification (top 10)"),
                           [(w.t("主体", "Subject"), "text"), (w.t("指标", "Ind."), "text"), (w.t("自报", "Claimed"), "num"),
                            (w.t("神秘顾客", "Mystery shop"), "num"), (w.t("工单实测", "Cases"), "num"),
                            (w.t("消费者感知", "Perceived"), "num"), ("z", "num"), ("p", "num")],
                           [[f"{names.get(r.subject_id, r.subject_id)} ({r.subject_id})", r.indicator_id, r.claimed_value, r.mystery_r1,
                             r.case_value, r.perceived_value, r.z, r.p_one_sided] for r in fl.itertuples()]))
        if len(cal):
            calf = cal[cal["flagged"]]
            if len(calf):
                s7.table(Table("calibration_flagged", w.t("表 动态校准：季度波动超过20%的行业指标", "Table. Calibration: industry indicators that moved more than 20%"),
                               [(w.t("指标", "Ind."), "text"), (w.t("上季", "Previous"), "num"), (w.t("本季", "Current"), "num"),
                                (w.t("变化", "Change"), "pct"), (w.t("工单（上季→本季）", "Cases (prev → current)"), "text"),
                                (w.t("可能原因", "Likely cause"), "text")],
                               [[r.indicator_id, r.previous, r.current, r.relative_change,
                                 f"{int(r.cases_previous):,} → {int(r.cases_current):,}", w.t(r.likely_cause_zh, r.likely_cause)]
                                for r in calf.itertuples()], html_only=True,
                               note=w.t("其余指标的季度变化见Excel工作簿。", "The other indicators' changes are in the Excel workbook.")))
            s7.table(Table("calibration", w.t("表 动态校准（行业指标季度变化）", "Table. Calibration (industry indicators quarter over quarter)"),
                           [(w.t("指标", "Ind."), "text"), (w.t("上季", "Previous"), "num"), (w.t("本季", "Current"), "num"),
                            (w.t("变化", "Change"), "pct"), (w.t("超过20%", "> 20%"), "text"), (w.t("可能原因", "Likely cause"), "text")],
                           [[r.indicator_id, r.previous, r.current, r.relative_change, Cell(w.t("是", "yes") if r.flagged else "", "text", "bad" if r.flagged else ""),
                             w.t(r.likely_cause_zh, r.likely_cause) if r.flagged else ""] for r in cal.itertuples()], xlsx_only=True))
        if len(val):
            s7.table(Table("predictive_validity", w.t("表 预测效度", "Table. Predictive validity"),
                           [(w.t("主体", "Subjects"), "text"), (w.t("结果变量", "Outcome"), "text"), ("n", "int"),
                            ("Pearson r", "num"), ("95% CI", "text"), ("Spearman ρ", "num")],
                           [[w.kind(r.subjects) if r.subjects in KIND else (w.t("全部主体", "all subjects") if r.subjects == "all" else r.subjects), w.t(*OUTCOME.get(r.outcome, (r.outcome, r.outcome))), r.n, r.pearson, f"{r.pearson_lo:.2f}–{r.pearson_hi:.2f}", r.spearman] for r in val.itertuples()]))
        if len(an) and int(an["anomalous"].sum()):
            fa = an[an["anomalous"]].sort_values("anomaly_score", ascending=False).head(10)
            s7.table(Table("anomalies", w.t("表 异常主体", "Table. Anomalous subjects"),
                           [(w.t("主体", "Subject"), "text"), (w.t("类型", "Kind"), "text"), (w.t("工单", "Cases"), "int"),
                            (w.t("异常得分", "Score"), "num"), (w.t("突出指标", "Stands out on"), "text")],
                           [[f"{names.get(r.subject_id, r.subject_id)} ({r.subject_id})", w.kind1(str(r.subject_kind)), r.cases, r.anomaly_score, r.stand_out]
                            for r in fa.itertuples()]))
        for n in v.notes:
            s7.callout(n)
        sections.append(s7)

    # ---- appendix ----------------------------------------------------------------------------
    sa = Section("method", w.t("附录：评估方法", "Appendix: method"))
    m = ev.to_frames()["method"].iloc[0]
    sa.p(w.t(
        f"指标按“目标—底线”线性归一化到0–100（达到目标100分，触及底线0分）；样本量不足最小样本的值视为缺失，依次以主体自身的全期或三个月窗口、"
        f"同类同层主体中位数插补；偏度>2且峰度>3.5的指标逐点缩尾（至多5点），否则取对数。维度分为其指标的等权平均，指数为维度分的加权平均；"
        f"各情境切片（大促、敏感肌）按各自的动态权重评分，期间指数为各切片按工单数加权的平均。区间为 {int(m['B'])} 次参数自助法的"
        f"{float(m['level']):.0%} 区间（随机种子 {m['seed']}）。",
        f"Indicators are normalised to 0–100 between floor (0) and target (100). A value whose sample is below the "
        f"minimum counts as missing and is imputed from the subject's own whole period or three-month window, then from "
        f"the median of peers of the same kind and tier. An indicator with skewness > 2 and kurtosis > 3.5 is winsorised "
        f"point by point (at most 5), else log-transformed. A dimension is the mean of its indicators, the index the "
        f"weighted mean of the dimensions; each context slice (promotion, sensitive skin) is scored with its own weights "
        f"and the period index is the case-weighted mean of the slices. Intervals are {float(m['level']):.0%} parametric "
        f"bootstrap intervals from {int(m['B'])} replicates (seed {m['seed']})."))
    wt = data.weights
    if len(wt):
        sa.table(Table("weights", w.t("表A1 所用权重（含情境锁定）", "Table A1. Weights used (with context pins)"),
                       [(w.t("切片", "Slice"), "text"), (w.t("锁定", "Pins"), "text"), (w.t("行业工单占比", "Industry case share"), "pct"),
                        (w.t("工单", "Cases"), "int")] + [(f"{d} {n}", "weight") for d, n in dcols],
                       [[w.group("context", r["slice"], names), r["pins"] or "—", r["case_share"], r["cases"]] + [r[d] for d, _ in dcols]
                        for _, r in wt.iterrows()]))
    ctx_rows = [[c.id, w.t(c.zh, c.en), ", ".join(f"{k}: {v}" for k, v in dict(c.when).items()),
                 ", ".join(f"{d} {p:.0%}" for d, p in c.pins.items())] for c in cat.contexts.values()]
    sa.table(Table("contexts", w.t("表A2 情境定义", "Table A2. Contexts"),
                   [("ID", "text"), (w.t("名称", "Name"), "text"), (w.t("何时生效", "When"), "text"), (w.t("权重锁定", "Pins"), "text")], ctx_rows))
    im = data.imputation
    if len(im):
        sa.table(Table("imputation", w.t("表A3 插补与异常值标记（计入指数的单元格）", "Table A3. Imputation and outlier flags (cells in the index)"),
                       [(w.t("类型", "Kind"), "text"), (w.t("单元格", "Cells"), "int"), (w.t("实测", "Observed"), "int"),
                        (w.t("样本不足", "Insufficient"), "int"), (w.t("缺失", "Missing"), "int"),
                        (w.t("自身窗口插补", "Own window"), "int"), (w.t("同类中位数插补", "Peer median"), "int"),
                        (w.t("未评分", "Unscored"), "int"), (w.t("缩尾", "Winsorised"), "int"), (w.t("对数", "Log"), "int")],
                       [[w.kind(r.subject_kind), r.cells, r.observed, r.insufficient, r.missing, r.own_window, r.peer_median,
                         r.unscored, r.winsorised, r.log] for r in im.itertuples()]))
    ot = data.outliers
    if len(ot):
        sa.table(Table("outliers", w.t("表A4 异常值处理", "Table A4. Outlier treatments"),
                       [(w.t("类型", "Kind"), "text"), (w.t("切片", "Slice"), "text"), (w.t("指标", "Ind."), "text"),
                        (w.t("方法", "Method"), "text"), (w.t("缩尾点数", "Points"), "int"),
                        (w.t("偏度（前）", "Skew before"), "num"), (w.t("峰度（前）", "Kurt. before"), "num"),
                        (w.t("偏度（后）", "Skew after"), "num"), (w.t("峰度（后）", "Kurt. after"), "num")],
                       [[w.kind(r.subject_kind), w.group("context", r.slice, names), r.indicator_id, w.t({"winsorise": "缩尾", "log": "对数"}.get(r.method, r.method), r.method), r.n_winsorised,
                         r.skew_before, r.kurt_before, r.skew_after, r.kurt_after] for r in ot.itertuples()]))
    if v is not None and len(v.sensitivity):
        sens = v.sensitivity.copy()
        sens["width"] = sens["rank_hi"] - sens["rank_lo"]
        srows = []
        for k, gk in sens.groupby("subject_kind", sort=False):
            srows.append([w.kind(str(k)), len(gk), int(gk["band_depends"].sum()), float(gk["width"].median()), float(gk["width"].max())])
        sa.table(Table("sensitivity", w.t("表A5 敏感性分析", "Table A5. Sensitivity analysis"),
                       [(w.t("类型", "Kind"), "text"), (w.t("主体", "Subjects"), "int"), (w.t("等级随方法变化", "Band depends"), "int"),
                        (w.t("名次区间宽度中位数", "Median rank-interval width"), "num"), (w.t("最大宽度", "Max width"), "num")], srows,
                       note=w.t("每次扰动把各维度权重乘以[0.75, 1.25]内的随机因子，并随机选择归一化（目标—底线、最小最大、Z分数）与聚合（算术、几何）方式。",
                                "Each run multiplies every dimension weight by a random factor in [0.75, 1.25] and picks a "
                                "normalisation (target–floor, min–max, z-score) and an aggregation (arithmetic, geometric) at random.")))
        ps = sens[sens["subject_kind"] == "platform"]
        if len(ps):
            sa.table(Table("sensitivity_platforms", w.t("表A6 平台名次的稳健性", "Table A6. How stable the platforms' ranks are"),
                           [(w.t("平台", "Platform"), "text"), (w.t("指数", "Index"), "index"), (w.t("名次", "Rank"), "int"),
                            (w.t("名次中位数", "Median rank"), "num"), (w.t("90%名次区间", "90% rank interval"), "text"), (w.t("出现过的等级", "Bands seen"), "text")],
                           [[names.get(r.subject_id, r.subject_id), r.index_ref, r.rank_ref, r.rank_median, f"{r.rank_lo:.0f}–{r.rank_hi:.0f}", str(r.bands)]
                            for r in ps.itertuples()]))
    sa.p(w.t(f"配置：{m['sources']}。工作区：{data.workspace}。", f"Configuration: {m['sources']}. Workspace: {data.workspace}."))
    for n in data.notes:
        sa.callout(n)
    if not charts.cjk_font():
        sa.callout(w.t("未找到中文字体，图表使用英文标签（安装 fonts-noto-cjk 可显示中文）。",
                       "No CJK font found: chart labels are in English (install fonts-noto-cjk)."))
    sections.append(sa)
    _number(sections, w)
    return Document(lang, title, subtitle, meta, sections, summary)


_PREFIX = re.compile(r"^(表|Table|图|Figure)\s*([A-Z]?\d[\d.]*)?\.?\s*")


def _number(sections: list[Section], w: _W) -> None:
    """Number the figures and the printed tables in reading order (appendix tables A1, A2 …)."""
    fig = tab = app = 0
    for s in sections:
        for b in s.blocks:
            if b.kind == "chart" and b.caption:
                fig += 1
                b.caption = w.t(f"图{fig} ", f"Figure {fig}. ") + _PREFIX.sub("", b.caption)
            elif b.kind == "table":
                t = b.content
                bare = _PREFIX.sub("", t.title)
                if t.xlsx_only:
                    t.title = bare
                elif s.id == "method":
                    app += 1
                    t.title = w.t(f"表A{app} ", f"Table A{app}. ") + bare
                else:
                    tab += 1
                    t.title = w.t(f"表{tab} ", f"Table {tab}. ") + bare
