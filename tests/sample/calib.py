"""Independent computation of the report's industry figures (spec §11) from a generated sample,
with plain SQL over the written files — no generator code is used. Shared by the calibration test
and docs/sample-data.md.

Each entry: (key, description, report figure, tolerance, SQL over views of the sample).
"""
from __future__ import annotations

from pathlib import Path

import duckdb

FIRST_REPLY = """
  SELECT k.case_id, k.channel, s.tier, date_diff('second', k.created_at, f.t) / 3600.0 AS h
  FROM cases k JOIN (SELECT case_id, min("at") AS t FROM case_events WHERE kind = 'human_reply' GROUP BY 1) f
    ON f.case_id = k.case_id
  JOIN truth t ON t.case_id = k.case_id JOIN subjects s ON s.subject_id = t.streamer_id
"""

# (key, what, report figure, absolute tolerance, sql returning one number)
FIGURES = [
    ("head_first_reply_h", "头部主播首次人工响应均值 head-streamer first human reply, mean hours (streamer channel)",
     8.0, 2.0, f"SELECT avg(h) FROM ({FIRST_REPLY}) WHERE channel='streamer' AND tier='head'"),
    ("platform_first_reply_h", "平台首次人工响应均值 platform channel first human reply, mean hours (report 12–48)",
     30.0, 18.0, f"SELECT avg(h) FROM ({FIRST_REPLY}) WHERE channel='platform'"),
    ("brand_handling_d", "品牌直营售后处理时长 brand channel, mean days created → resolved (report 2.1: 7 days)",
     7.0, 1.5, """SELECT avg(date_diff('second', k.created_at, e.t))/86400 FROM cases k
        JOIN (SELECT case_id, min("at") t FROM case_events WHERE kind='resolved' GROUP BY 1) e USING (case_id)
        WHERE k.channel='brand'"""),
    ("refund_72h", "72小时退款完成率 refunds issued ≤72 h / refund requests",
     0.89, 0.03, """SELECT avg(CASE WHEN i.at IS NOT NULL AND i.at - r.at <= INTERVAL 72 HOURS THEN 1 ELSE 0 END)
        FROM case_events r LEFT JOIN case_events i ON i.case_id = r.case_id AND i.kind='refund_issued'
        WHERE r.kind='refund_requested'"""),
    ("allergy_resolution_d", "过敏维权解决周期 allergy cases, mean calendar days created → resolved",
     7.5, 1.0, """SELECT avg(date_diff('second', k.created_at, e.t))/86400 FROM cases k
        JOIN (SELECT case_id, min("at") t FROM case_events WHERE kind='resolved' GROUP BY 1) e USING (case_id)
        WHERE k.category_confirmed='allergy'"""),
    ("allergy_medical", "过敏医疗费用补偿覆盖 allergy cases with medical compensation",
     0.23, 0.04, """SELECT avg(CASE WHEN EXISTS (SELECT 1 FROM case_events e WHERE e.case_id=k.case_id
        AND e.kind='medical_compensation_paid') THEN 1 ELSE 0 END) FROM cases k WHERE k.category_confirmed='allergy'"""),
    ("ai_accuracy", "AI识别准确率(行业) AI category accuracy, industry",
     0.76, 0.04, """SELECT avg(CASE WHEN category_predicted = category_confirmed THEN 1 ELSE 0 END) FROM cases
        WHERE category_predicted IS NOT NULL AND category_confirmed IS NOT NULL"""),
    ("ai_accuracy_small", "AI识别准确率(中小主播) AI accuracy, small streamers' cases",
     0.58, 0.07, """SELECT avg(CASE WHEN category_predicted = category_confirmed THEN 1 ELSE 0 END) FROM cases k
        JOIN truth t USING (case_id) JOIN subjects s ON s.subject_id = t.streamer_id
        WHERE s.tier='small' AND k.channel='streamer' AND category_predicted IS NOT NULL AND category_confirmed IS NOT NULL"""),
    ("ai_accuracy_best", "AI识别准确率(最佳平台) AI accuracy, best platform",
     0.82, 0.05, """SELECT max(a) FROM (SELECT t.platform_id, avg(CASE WHEN category_predicted = category_confirmed
        THEN 1 ELSE 0 END) a FROM cases k JOIN truth t USING (case_id) WHERE category_predicted IS NOT NULL
        AND category_confirmed IS NOT NULL GROUP BY 1)"""),
    ("ai_escalation", "AI转人工率 AI-answered cases escalated to a human",
     0.38, 0.04, """SELECT count(DISTINCT CASE WHEN kind='escalated_to_human' THEN case_id END)::DOUBLE /
        count(DISTINCT CASE WHEN kind='ai_reply' THEN case_id END) FROM case_events"""),
    ("ingredient_skin_share", "成分或肤质相关投诉占比 complaints about ingredients or skin fit",
     0.45, 0.03, """SELECT avg(CASE WHEN category_confirmed IN ('ingredient_mismatch','allergy','skin_fit')
        THEN 1 ELSE 0 END) FROM cases WHERE category_confirmed IS NOT NULL"""),
    ("mismatch_share", "货不对板占比 ingredient_mismatch + false_advertising + gift_missing",
     0.42, 0.03, """SELECT avg(CASE WHEN category_confirmed IN ('ingredient_mismatch','false_advertising','gift_missing')
        THEN 1 ELSE 0 END) FROM cases WHERE category_confirmed IS NOT NULL"""),
    ("agent_positive", "客服情感积极率 agent messages positive/empathetic (true tone)",
     0.65, 0.04, "SELECT avg(CASE WHEN tone = 'positive_empathetic' THEN 1 ELSE 0 END) FROM messages_truth"),
    ("personalized_adoption", "个性化补偿方案采纳率 personalized compensation accepted / offered",
     0.52, 0.05, """SELECT count(*) FILTER (WHERE kind='compensation_accepted')::DOUBLE /
        count(*) FILTER (WHERE kind='compensation_offered') FROM case_events WHERE compensation_kind='personalized'"""),
    ("follow_up_satisfaction", "投诉后回访满意度 follow-up surveys satisfied",
     0.83, 0.04, "SELECT avg(score) FROM surveys WHERE kind='follow_up'"),
    ("disputed_transfers", "争议工单平均转交次数 transfers per disputed case",
     3.8, 0.5, """SELECT avg(n) FROM (SELECT t.case_id, count(e.event_id) n FROM truth t
        LEFT JOIN case_events e ON e.case_id=t.case_id AND e.kind='transfer' WHERE t.disputed GROUP BY 1)"""),
    ("disputed_transfers_best", "争议工单转交次数(最佳主播) best streamer (≥300 disputed cases), transfers per disputed case",
     1.5, 0.7, """SELECT min(n) FROM (SELECT streamer_id, avg(c) n FROM (SELECT t.case_id, t.streamer_id,
        count(e.event_id) c FROM truth t LEFT JOIN case_events e ON e.case_id=t.case_id AND e.kind='transfer'
        WHERE t.disputed GROUP BY 1, 2) GROUP BY 1 HAVING count(*) >= 300)"""),
    ("buck_passing", "推诿(≥3次转交)占争议工单 disputed cases with ≥3 transfers",
     0.45, 0.04, """SELECT avg(CASE WHEN n >= 3 THEN 1 ELSE 0 END) FROM (SELECT t.case_id, count(e.event_id) n
        FROM truth t LEFT JOIN case_events e ON e.case_id=t.case_id AND e.kind='transfer' WHERE t.disputed GROUP BY 1)"""),
    ("rule_conflict", "规则冲突占投诉 cases with a rule conflict",
     0.41, 0.04, """SELECT count(DISTINCT case_id) FILTER (WHERE kind='rule_conflict')::DOUBLE / count(DISTINCT case_id)
        FROM case_events"""),
    ("csat", "CSAT均值 mean CSAT (D3 71 → ≈4.0 on the 3.0–4.5 scale)", 4.0, 0.2,
     "SELECT avg(score) FROM surveys WHERE kind='csat'"),
    ("nps", "售后NPS", 38.0, 5.0, """SELECT 100.0 * (avg(CASE WHEN score >= 9 THEN 1 ELSE 0 END)
        - avg(CASE WHEN score <= 6 THEN 1 ELSE 0 END)) FROM surveys WHERE kind='nps'"""),
    ("arbitration_win", "仲裁消费者胜诉率 arbitration consumer win rate",
     0.18, 0.05, """SELECT avg(CASE WHEN detail='consumer_win' THEN 1 ELSE 0 END) FROM case_events
        WHERE kind='arbitration_decided'"""),
    ("notarized_gmv", "直播内容溯源覆盖率 GMV from notarized sessions (report: < 40 %)",
     0.33, 0.07, """SELECT sum(CASE WHEN l.evidence_ref IS NOT NULL THEN o.amount ELSE 0 END) / sum(o.amount)
        FROM orders o JOIN live_sessions l USING (session_id)"""),
    ("responsibility_list_gmv", "售后责任清单覆盖 GMV share with a published responsibility list (29–40 %)",
     0.345, 0.06, """SELECT sum(CASE WHEN p.responsibility_list THEN o.amount ELSE 0 END) / sum(o.amount)
        FROM orders o JOIN products p USING (product_id)"""),
]


def connect(sample_dir: Path) -> duckdb.DuckDBPyConnection:
    d = Path(sample_dir)
    con = duckdb.connect()
    con.execute("SET TimeZone='Asia/Shanghai'")
    for name in ("subjects", "products", "live_sessions", "orders", "cases", "case_events", "surveys"):
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{d / (name + '.parquet')}')")
    con.execute(f"CREATE VIEW messages_truth AS SELECT * FROM read_parquet('{d / '_truth' / 'messages_truth.parquet'}')")
    con.execute(f"CREATE VIEW truth AS SELECT * FROM read_parquet('{d / '_truth' / 'cases_truth.parquet'}')")
    return con


def figures(sample_dir: Path) -> list[tuple[str, str, float, float, float]]:
    con = connect(sample_dir)
    out = []
    for key, what, report, tol, sql in FIGURES:
        val = con.execute(sql).fetchone()[0]
        out.append((key, what, report, tol, float(val) if val is not None else float("nan")))
    return out


if __name__ == "__main__":
    import sys

    for key, what, report, tol, val in figures(Path(sys.argv[1])):
        ok = abs(val - report) <= tol
        print(f"{'ok ' if ok else 'BAD'} {key:28s} report {report:8.3f} ± {tol:<6} generated {val:8.3f}")
