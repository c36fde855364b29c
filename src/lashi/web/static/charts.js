// LASHI dashboard charts (Apache ECharts, served locally). Reads data embedded in the page and
// fetches the slower results (trend, governance, checks) from /ui/api, retrying while computing.
(function () {
  const L = window.LASHI || {lang: 'zh'};
  const W = L.words || {};
  const zh = L.lang === 'zh';
  const fmt = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x)) ? '–' : Number(x).toFixed(d);
  const esc = (s) => String(s ?? '').replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));

  async function poll(url, tries = 120) {
    for (let i = 0; i < tries; i++) {
      const r = await fetch(url, {credentials: 'same-origin'});
      if (r.status !== 202) return r.ok ? r.json() : Promise.reject(await r.json());
      await new Promise(res => setTimeout(res, 2000));
    }
    return Promise.reject({message: 'timeout'});
  }

  function radar() {
    const el = document.getElementById('radar');
    const data = document.getElementById('radar-data');
    if (!el || !data || !window.echarts) return;
    const d = JSON.parse(data.textContent);
    const chart = echarts.init(el, null, {renderer: 'canvas'});
    const name = x => x.id + ' ' + (zh ? x.zh : x.en);
    chart.setOption({
      animation: false,
      legend: {bottom: 0, data: [d.name, d.peer]},
      tooltip: {},
      radar: {indicator: d.dims.map(x => ({name: name(x), max: 100})), radius: '62%'},
      series: [{type: 'radar', data: [
        {value: d.dims.map(x => x.score ?? 0), name: d.name, areaStyle: {opacity: 0.25}},
        {value: d.dims.map(x => x.peer ?? 0), name: d.peer, lineStyle: {type: 'dashed'}}]}],
    });
    el.dataset.drawn = '1';
    window.addEventListener('resize', () => chart.resize());
  }

  function trend() {
    const el = document.getElementById('trend');
    if (!el || !window.echarts) return;
    const note = document.getElementById('trend-note');
    note.textContent = W.computing || '…';
    poll('/ui/api/trend/' + encodeURIComponent(el.dataset.subject)).then(d => {
      const months = d.history.map(h => h.period).concat(d.forecast.map(f => f.period));
      const hist = d.history.map(h => h.index);
      const pad = Array(d.history.length - 1).fill(null);
      const last = hist.length ? [hist[hist.length - 1]] : [];
      const lo = pad.concat(last, d.forecast.map(f => f.lo));
      const band = pad.concat([0], d.forecast.map(f => f.hi - f.lo));
      const fc = pad.concat(last, d.forecast.map(f => f.forecast));
      const chart = echarts.init(el, null, {renderer: 'canvas'});
      chart.setOption({
        animation: false, tooltip: {trigger: 'axis'}, legend: {bottom: 0, data: [W.history || 'index', W.forecast || 'forecast']},
        xAxis: {type: 'category', data: months}, yAxis: {type: 'value', min: v => Math.max(0, Math.floor(v.min - 5)), max: 100},
        series: [
          {name: 'lo', type: 'line', data: d.forecast.length ? lo : [], stack: 'band', lineStyle: {opacity: 0}, symbol: 'none'},
          {name: 'band', type: 'line', data: d.forecast.length ? band : [], stack: 'band', lineStyle: {opacity: 0}, symbol: 'none', areaStyle: {opacity: 0.2}},
          {name: W.history || 'index', type: 'line', data: hist},
          {name: W.forecast || 'forecast', type: 'line', data: d.forecast.length ? fc : [], lineStyle: {type: 'dashed'}},
        ],
      });
      const f = d.forecast[0];
      note.textContent = f ? `${W.risk || 'risk'}: ${zh ? f.risk_zh : f.risk} (${f.risk_reason}) · ${f.model}` : (d.notes || []).join('; ');
      if (f && f.risk === 'high') warn(`${W.risk}: ${zh ? f.risk_zh : f.risk} — ${f.risk_reason}`);
    }).catch(e => { note.textContent = e.message || String(e); });
  }

  function warn(text) {
    const ul = document.getElementById('warnings');
    if (!ul) return;
    const li = document.createElement('li');
    li.textContent = text;
    ul.appendChild(li);
  }

  function governance() {
    const el = document.getElementById('governance');
    if (!el) return;
    const q = '?period=' + encodeURIComponent(L.period);
    poll('/ui/api/governance/' + encodeURIComponent(el.dataset.subject) + q).then(d => {
      let h = '';
      if (d.cards.length) {
        for (const c of d.cards) { h += `<p class="card-${esc(c.card)}"><b>${esc(W.card)}: ${esc(zh ? c.card_zh : c.card)}</b> ${esc(zh ? c.reason_zh : c.reason_en)}</p>`;
          warn(`${W.card}: ${zh ? c.card_zh : c.card} — ${zh ? c.reason_zh : c.reason_en}`); }
      } else h += `<p>${esc(W.no_card)} (${esc(d.card_month)})</p>`;
      for (const c of d.credit) h += `<p><b>${esc(W.credit)}: ${esc(c.rating)}</b> ${esc(zh ? c.basis_zh : c.basis_en)} → ${esc(zh ? c.consequence_zh : c.consequence_en)}</p>`;
      for (const r of d.rectification) h += `<p><b>${esc(W.rect)}</b> ${esc(zh ? r.action_zh : r.action_en)} — ${esc(zh ? r.reason_zh : r.reason_en)}</p>`;
      for (const m of d.mcn_brands.slice(0, 5)) h += `<p class="small">${esc(m.mcn_id)} × ${esc(m.brand_id)}: ${esc(m.rating || m.credit || '')}</p>`;
      if (d.notes.length) h += `<p class="muted small">${esc(d.notes.join('; '))}</p>`;
      el.innerHTML = h;
    }).catch(e => { el.textContent = e.message || String(e); });
  }

  function checks() {
    const el = document.getElementById('checks');
    if (!el) return;
    const q = '?period=' + encodeURIComponent(L.period);
    poll('/ui/api/checks/' + encodeURIComponent(el.dataset.subject) + q).then(d => {
      let h = '';
      if (d.triangulation.length) {
        h += '<table class="small"><tr><th></th><th>claimed</th><th>cases / survey</th><th>z</th><th></th></tr>';
        for (const r of d.triangulation) {
          h += `<tr><td>${esc(r.indicator_id)}</td><td class="num">${fmt(r.claimed_value, 3)}</td><td class="num">${fmt(r.support_value, 3)}</td><td class="num">${fmt(r.z, 2)}</td><td>${esc(zh ? r.verdict_zh : r.verdict_en)}</td></tr>`;
          if (r.beautified) warn(`${r.indicator_id}: ${zh ? r.verdict_zh : r.verdict_en} (z ${fmt(r.z, 1)})`);
        }
        h += '</table>';
      } else h += `<p>${esc(W.none)}</p>`;
      for (const a of d.anomaly) if (a.anomalous) { h += `<p class="warn">${esc(a.stand_out)}</p>`; warn((zh ? '异常：' : 'Anomaly: ') + a.stand_out); }
      el.innerHTML = h;
    }).catch(e => { el.textContent = e.message || String(e); });
  }

  radar(); trend(); governance(); checks();
})();
