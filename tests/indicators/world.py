"""A tiny hand-built world for indicator tests: one platform, MCN, streamer, brand and product
(plus a second of each where a test needs them), cases with explicit event histories."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd

from lashi.indicators.engine import IndicatorSpec, PeriodSpec
from lashi.indicators.periods import parse_period
from lashi.indicators.run import compute
from lashi.store import load_directory, open_workspace

TZ = timezone(timedelta(hours=8))


def t(s: str) -> datetime:
    """'2025-11-03 09:00' in +08:00."""
    return datetime.fromisoformat(s).replace(tzinfo=TZ)


@dataclass
class World:
    cases: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    orders: list[dict] = field(default_factory=list)
    messages: list[dict] = field(default_factory=list)
    surveys: list[dict] = field(default_factory=list)
    calendar: list[dict] = field(default_factory=list)
    products: list[dict] = field(default_factory=lambda: [
        {"product_id": "P1", "brand_id": "B1", "name": "精华", "category": "skincare", "tags": "",
         "ingredients": "Water;Glycerin", "responsibility_list": "true"},
        {"product_id": "P2", "brand_id": "B1", "name": "敏感肌面霜", "category": "skincare",
         "tags": "sensitive_skin", "ingredients": "Water;Squalane", "responsibility_list": "false"},
    ])
    sessions: list[dict] = field(default_factory=lambda: [
        {"session_id": "L1", "streamer_id": "ST1", "platform_id": "PF1",
         "start_at": "2025-10-01T20:00:00+08:00", "end_at": "2025-10-01T23:00:00+08:00"},
        {"session_id": "L2", "streamer_id": "ST2", "platform_id": "PF1",
         "start_at": "2025-10-01T20:00:00+08:00", "end_at": "2025-10-01T23:00:00+08:00"},
    ])
    _n: int = 0

    def order(self, amount: float = 100.0, product: str = "P1", session: str = "L1",
              at: str = "2025-10-02 10:00") -> str:
        oid = f"O{len(self.orders) + 1}"
        self.orders.append({"order_id": oid, "session_id": session, "product_id": product, "consumer_id": "U1",
                            "amount": amount, "ordered_at": t(at).isoformat()})
        return oid

    def case(self, created: str, events: list[tuple] = (), *, promise: float = 24.0, order: str | None = None,
             product: str = "P1", session: str = "L1", outcome: str = "resolved", predicted: str | None = None,
             confirmed: str | None = None, channel: str = "platform") -> str:
        self._n += 1
        cid = f"K{self._n}"
        oid = order or self.order(product=product, session=session)
        c0 = t(created)
        self.cases.append({"case_id": cid, "order_id": oid, "consumer_id": "U1", "created_at": c0.isoformat(),
                           "channel": channel, "promised_response_hours": promise,
                           "category_predicted": predicted, "category_confirmed": confirmed, "outcome": outcome})
        self.event(cid, c0, "created", "consumer")
        for ev in events:
            hours, kind, actor, *rest = ev
            extra = rest[0] if rest else {}
            self.event(cid, c0 + timedelta(hours=hours), kind, actor, **extra)
        return cid

    def event(self, cid: str, at: datetime, kind: str, actor: str, **extra) -> None:
        self.events.append({"event_id": f"E{len(self.events) + 1}", "case_id": cid, "at": at.isoformat(),
                            "kind": kind, "actor": actor, **extra})

    def message(self, cid: str, sender: str, tone: str | None = None, text: str = "您好") -> None:
        created = next(c["created_at"] for c in self.cases if c["case_id"] == cid)
        self.messages.append({"message_id": f"M{len(self.messages) + 1}", "case_id": cid, "at": created,
                              "sender": sender, "text": text, "tone": tone})

    def survey(self, cid: str, kind: str, score: int) -> None:
        created = next(c["created_at"] for c in self.cases if c["case_id"] == cid)
        self.surveys.append({"survey_id": f"SV{len(self.surveys) + 1}", "case_id": cid, "consumer_id": "U1",
                             "kind": kind, "score": score, "at": created})

    def window(self, kind: str, start: str, end: str, name: str = "w") -> None:
        self.calendar.append({"window_id": f"{name}-{len(self.calendar)}", "kind": kind, "name": name,
                              "start_date": start, "end_date": end})

    def write(self, d: Path) -> Path:
        d.mkdir(parents=True, exist_ok=True)
        subjects = pd.DataFrame([
            {"subject_id": "PF1", "kind": "platform", "name": "抖音", "tier": "head"},
            {"subject_id": "M1", "kind": "mcn", "name": "谦寻", "tier": "head"},
            {"subject_id": "ST1", "kind": "streamer", "name": "主播一", "tier": "head", "platform_id": "PF1", "mcn_id": "M1"},
            {"subject_id": "ST2", "kind": "streamer", "name": "主播二", "tier": "small", "platform_id": "PF1"},
            {"subject_id": "B1", "kind": "brand", "name": "品牌一", "tier": "head", "origin": "international"},
        ])
        tables = {"subjects": subjects, "products": pd.DataFrame(self.products),
                  "live_sessions": pd.DataFrame(self.sessions), "orders": pd.DataFrame(self.orders),
                  "cases": pd.DataFrame(self.cases), "case_events": pd.DataFrame(self.events),
                  "messages": pd.DataFrame(self.messages), "surveys": pd.DataFrame(self.surveys),
                  "calendar": pd.DataFrame(self.calendar)}
        for name, df in tables.items():
            if not df.empty:
                df.to_csv(d / f"{name}.csv", index=False)
        return d

    def indicators(self, tmp: Path, period: str = "2025-11", subject: str = "ST1",
                   slice_: str = "all") -> dict[str, tuple[float, int]]:
        """{indicator_id: (value, n)} for a subject, period and slice; fails on any quarantined row."""
        import yaml

        ws = open_workspace(tmp / "ws")
        rep = load_directory(ws, self.write(tmp / "data"))
        assert rep.quarantined == 0, rep.reasons()
        cat = yaml.safe_load((Path(__file__).parents[2] / "src/lashi/indicators/catalogue.yaml").read_text())
        specs = [IndicatorSpec(i["id"], i["definition"]) for i in cat["indicators"]]
        df = compute(ws, specs, PeriodSpec.of(parse_period(period)))
        self.table = df
        sub = df[(df.subject_id == subject) & (df.slice == slice_)]
        return {r.indicator_id: (r.value, r.n) for r in sub.itertuples()}
