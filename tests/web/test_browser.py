"""The web faces in a real browser (Debian's Chromium via Playwright) against a real `lashi serve`
on loopback: login, ranking, filter, subject page with its radar drawn, language switch,
consumer page with its ETA, wrong secret refused, public board. Screenshots go to
test-artifacts/web/."""
from __future__ import annotations

import re

import httpx
import pytest

WAIT = 180_000     # ms: the first page of a period waits for its evaluation


def login(context, server, key: str, next_url: str = "/ui/rankings?kind=streamer"):
    page = context.new_page()
    page.goto(server.url + "/ui/login?next=" + next_url.replace("&", "%26").replace("?", "%3F"))
    page.fill("#key", key)
    page.click("button[type=submit]")
    return page


def total_of(page) -> int:
    return int(page.get_attribute("#total", "data-total"))


def canvas_ink(page, selector: str) -> int:
    """Pixels of the chart's canvas that are not blank (alpha > 0)."""
    return page.evaluate("""(sel) => {
        const c = document.querySelector(sel + ' canvas');
        if (!c) return -1;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
    }""", selector)


def test_ranking_filter_subject_radar_language(server, keys, facts, browser, shot):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = login(ctx, server, keys["evaluator"])
    page.wait_for_selector("#ranking tbody tr", timeout=WAIT)
    assert page.inner_text("#page-title").startswith("排行榜")
    total = total_of(page)
    assert total == len(facts["streamers"])               # every streamer of the store is ranked
    rows = page.locator("#ranking tbody tr").count()
    assert rows == min(total, 50)                          # server-side page of 50
    shot(page, "ranking")

    # a platform filter narrows the ranking to that platform's streamers
    platform = sorted(set(facts["streamers"].values()))[0]
    with page.expect_navigation():
        page.select_option("#f-platform", platform)
    page.wait_for_selector("#ranking tbody tr", timeout=WAIT)
    expected = sum(1 for p in facts["streamers"].values() if p == platform)
    assert total_of(page) == expected < total
    shown = page.eval_on_selector_all("#ranking tbody tr", "rs => rs.map(r => r.dataset.subject)")
    assert shown and all(facts["streamers"][s] == platform for s in shown)
    shot(page, "ranking-filtered")

    # clicking a subject opens its page; the radar has drawn and the weakest side is named
    first = shown[0]
    with page.expect_navigation():
        page.click(f"#ranking tbody tr[data-subject='{first}'] a.subject-link")
    page.wait_for_selector("#radar canvas", timeout=WAIT)
    assert first in page.inner_text("#page-title")
    page.wait_for_function("document.querySelector('#radar').dataset.drawn === '1'")
    assert canvas_ink(page, "#radar") > 2000
    assert "最弱的一面" in page.inner_text("#weakest")
    assert page.locator("#costliest tr").count() > 1        # indicators that cost points, with remedies
    shot(page, "subject")

    # the language switch turns headings to English (and the choice sticks)
    with page.expect_navigation():
        page.click("#lang-switch")
    page.wait_for_selector("#radar canvas")
    assert page.inner_text("#radar-title") == "Six dimensions against the peer median"
    assert page.inner_text("#weakest").startswith("Weakest side:")
    page.goto(server.url + "/ui/overview")
    page.wait_for_selector("#page-title", timeout=WAIT)
    assert page.inner_text("#page-title").startswith("Industry overview")
    shot(page, "overview-en")
    ctx.close()


@pytest.mark.parametrize("kind", ["streamer", "brand"])
def test_ranking_json_pages_match_the_api(server, keys, kind):
    """The dashboard's server-side pages, joined, are the API's ranking in the same order."""
    cookies = {"lashi_key": keys["evaluator"]}
    api = httpx.get(server.url + "/rankings", params={"kind": kind, "period": _period(server, cookies)},
                    headers={"Authorization": f"Bearer {keys['evaluator']}"}, timeout=300).json()["rows"]
    got, page = [], 1
    while True:
        r = httpx.get(server.url + "/ui/api/rankings", params={"kind": kind, "page": page}, cookies=cookies,
                      timeout=300).json()
        got += [x["subject_id"] for x in r["rows"]]
        if page * 50 >= r["total"]:
            break
        page += 1
    assert got == [x["subject_id"] for x in api]


def test_dashboard_needs_an_evaluator_key(server, keys, browser):
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(server.url + "/ui/rankings")
    assert page.url.startswith(server.url + "/ui/login")   # redirected to the login form
    page.fill("#key", keys["brand"])                        # a brand key is not an evaluator's
    page.click("button[type=submit]")
    page.wait_for_selector("#login-error")
    ctx.close()


def test_consumer_page_eta_and_wrong_secret(server, keys, facts, browser, shot):
    r = httpx.post(server.url + "/cases", headers={"Authorization": f"Bearer {keys['admin']}"}, timeout=60,
                   json={"text": "还没拆封，不想要了，申请退款", "order_id": facts["order"], "product_state": "unopened"})
    assert r.status_code == 201, r.text
    case = r.json()
    url = server.url + case["consumer_url"].replace("/cases/", "/ui/case/")
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=2)
    page = ctx.new_page()
    page.goto(url)
    eta = page.inner_text("#eta")
    n = case["eta"]["working_days"]
    # created just now: the whole ETA is still ahead, in plain words
    if case["eligibility"]["eligible"] and case["eligibility"]["remedy"] in ("return_refund", "no_reason_return"):
        assert eta == f"预计{n}个工作日退款到账"
    else:
        assert eta == f"预计{n}个工作日内处理完毕"
    assert page.inner_text("#holder") in ("平台", "品牌", "主播", "MCN机构")
    assert "创建工单" in page.inner_text("#timeline")
    assert page.locator("#eligibility").count() == 1
    if facts["order_has_claim"]:
        assert "验证通过" in page.inner_text("#proofs")
    # phone-sized: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "consumer")

    # the refund paid, then closed: the short survey appears and is answered from the page
    a = {"Authorization": f"Bearer {keys['admin']}"}
    assert httpx.post(f"{server.url}/cases/{case['case_id']}/events", headers=a, timeout=60,
                      json={"kind": "refund_issued", "amount": 59.9, "payer": "platform"}).status_code == 201
    page.goto(url)
    assert page.inner_text("#eta") == "退款已到账"
    assert "退款到账" in page.inner_text("#timeline")
    assert httpx.post(f"{server.url}/cases/{case['case_id']}/events", headers=a, timeout=60,
                      json={"kind": "closed", "outcome": "resolved"}).status_code == 201
    page.goto(url)
    page.check("#survey-form input[name=csat][value='5']")
    page.fill("#survey-form input[name=nps]", "9")
    page.click("#survey-form button")
    page.wait_for_selector("#survey-done", state="visible")
    shot(page, "consumer-closed")

    wrong = re.sub(r"secret=[^&]+", "secret=not-the-secret", url)
    resp = page.goto(wrong)
    assert resp.status == 404
    assert "链接无效" in page.inner_text("#refused")
    assert "K-" not in page.inner_text("main")             # nothing of the case shows
    ctx.close()


def test_public_board_hides_small_subjects(server, keys, browser, shot):
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(server.url + "/board")                      # no login
    page.wait_for_selector("#board-brand", timeout=WAIT)
    cases = page.eval_on_selector_all("#board-streamer tr td:last-child", "ts => ts.map(t => +t.textContent)")
    assert cases and min(cases) >= 30                     # web.yaml board.min_cases
    assert page.locator("#board-brand tr").count() > 1
    shot(page, "board")
    # a streamer with fewer cases than the threshold has a page without figures
    rows = httpx.get(server.url + "/ui/api/rankings", params={"kind": "streamer", "order": "asc"},
                     cookies={"lashi_key": keys["evaluator"]}, timeout=300).json()["rows"]
    small = next(r for r in rows if r["cases"] < 30)
    page.goto(f"{server.url}/board/{small['subject_id']}")
    assert "暂不公布" in page.inner_text("#too-few")
    assert page.locator("dl.figures").count() == 0
    ctx.close()


def _period(server, cookies) -> str:
    for _ in range(120):
        r = httpx.get(server.url + "/ui/api/rankings", cookies=cookies, timeout=300)
        if r.status_code == 200:
            return r.json()["period"]
        import time
        time.sleep(1)
    raise AssertionError("ranking not ready")
