// The page's own script, as text: it runs in the browser that opens the report, after uPlot.
// It reads the binned run data (RunTimelineData, see run-timeline-data.ts) from the JSON element
// and draws, per run, up to seven charts sharing one x axis (seconds since run start): probe
// requests, load requests, latency, ready replicas, and the touched instances' CPU and memory when
// a resource fault ran; fault / rollback / recovery markers on each.
// When every chart has drawn once it records `window.reboundReport = { charts, renderMs }`
// (renderMs: performance.now(), i.e. from navigation start) for the browser test.
export const CHART_SCRIPT = String.raw`(() => {
  'use strict';
  const payload = JSON.parse(document.getElementById('rebound-data').textContent);
  const px = uPlot.pxRatio;
  const MARKERS = {
    'fault-injected': { color: '#c62828', dash: [] },
    'fault-failed': { color: '#ef6c00', dash: [4, 3] },
    'fault-rolled-back': { color: '#1565c0', dash: [6, 3] },
    'recovered': { color: '#2e7d32', dash: [] },
    'observation-end': { color: '#757575', dash: [2, 3] },
    'note': { color: '#6a1b9a', dash: [1, 2] },
    'rollout': { color: '#6a1b9a', dash: [3, 2] },
  };
  const VERSION_COLORS = ['#78909c', '#6a1b9a', '#00897b', '#f9a825', '#5d4037'];
  const stepped = uPlot.paths.stepped({ align: 1 });
  const charts = [];
  let waiting = 0;

  const text = (value, unit) => (value == null ? '—' : (Math.round(value * 100) / 100) + unit);
  const zeroBased = (u, min, max) => [0, max > 0 ? max * 1.08 : 1];
  const xAxis = { values: (u, splits) => splits.map((v) => +v.toFixed(3) + ' s') };
  // Log axis: label 1, 10, 100 … only; uPlot also puts a split at the range's (arbitrary) ends.
  const powerOfTen = (v) => (v != null && Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9 ? String(+v.toPrecision(1)) : '');
  const width = () => Math.max(360, Math.min(document.querySelector('main').clientWidth, 1400) - 34);

  function markerPlugin(markers, withLabels) {
    return { hooks: { draw: [(u) => {
      const ctx = u.ctx;
      const { left, top, width: plotWidth, height } = u.bbox;
      // Labels go in the first of four rows where they do not overlap the previous label.
      const rowEnds = [-Infinity, -Infinity, -Infinity, -Infinity];
      ctx.save();
      ctx.lineWidth = 1.5 * px;
      ctx.font = 11 * px + 'px sans-serif';
      // uPlot leaves the axis labels' alignment on the context.
      ctx.textAlign = 'left';
      ctx.textBaseline = 'alphabetic';
      for (const marker of markers) {
        const x = Math.round(u.valToPos(marker.t / 1000, 'x', true));
        if (x < left || x > left + plotWidth) continue;
        const style = MARKERS[marker.kind] || MARKERS['observation-end'];
        if (marker.until !== undefined) {
          // The injection (or rollback) itself: shaded from its start to its end.
          const end = Math.min(left + plotWidth, Math.round(u.valToPos(marker.until / 1000, 'x', true)));
          ctx.globalAlpha = 0.15;
          ctx.fillStyle = style.color;
          ctx.fillRect(x, top, Math.max(end - x, 1 * px), height);
          ctx.globalAlpha = 1;
        }
        ctx.strokeStyle = style.color;
        ctx.setLineDash(style.dash.map((d) => d * px));
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
        if (!withLabels) continue;
        const labelWidth = ctx.measureText(marker.label).width;
        const toLeft = x + 3 * px + labelWidth > left + plotWidth;
        const from = toLeft ? x - 3 * px - labelWidth : x + 3 * px;
        let row = rowEnds.findIndex((end) => end < from);
        if (row === -1) row = rowEnds.indexOf(Math.min(...rowEnds));
        rowEnds[row] = from + labelWidth + 4 * px;
        ctx.fillStyle = 'rgba(255,255,255,0.85)';
        ctx.fillRect(from - 1 * px, top + (3 + row * 13) * px, labelWidth + 2 * px, 12 * px);
        ctx.fillStyle = style.color;
        ctx.fillText(marker.label, from, top + (13 + row * 13) * px);
      }
      ctx.restore();
    }] } };
  }

  // Counts every chart's first draw; the last one records the render time.
  function firstDraw() {
    let done = false;
    waiting++;
    return { hooks: { draw: [() => {
      if (done) return;
      done = true;
      if (--waiting === 0) finished();
    }] } };
  }

  function finished() {
    window.reboundReport = { charts: charts.length, renderMs: performance.now() };
    document.documentElement.dataset.chartsDrawn = String(charts.length);
  }

  // Zooming one chart of a run zooms the others (cursor sync alone only moves the cursor).
  function zoomTogether(group) {
    let syncing = false;
    return { hooks: { setScale: [(u, key) => {
      if (key !== 'x' || syncing) return;
      syncing = true;
      for (const other of group) if (other !== u) other.setScale('x', { min: u.scales.x.min, max: u.scales.x.max });
      syncing = false;
    }] } };
  }

  function chart(host, group, run, labels, options, data) {
    const element = document.createElement('div');
    element.className = 'chart';
    host.appendChild(element);
    const plugins = [markerPlugin(run.markers, labels), zoomTogether(group), firstDraw()];
    let u;
    try {
      u = new uPlot({
        width: width(),
        cursor: { sync: { key: 'run-' + run.index } },
        plugins,
        ...options,
        // x is seconds since run start, not a date; zoom keeps what the user selected.
        scales: { x: { time: false, range: (self, min, max) => [min, max] }, ...options.scales },
      }, data, element);
    } catch (error) {
      waiting--; // this chart will never draw
      element.remove();
      throw error;
    }
    group.push(u);
    charts.push(u);
  }

  // x of the traffic charts: bin starts, plus the end of the last bin so its step has a width.
  function binEdges(run) {
    const x = new Array(run.bins + 1);
    for (let k = 0; k <= run.bins; k++) x[k] = (k * run.binMs) / 1000;
    return x;
  }
  const closed = (values) => values.concat([values[values.length - 1]]);

  function countChart(host, group, run, title, bins, x, labels) {
    const total = closed(bins.ok.map((ok, k) => ok + bins.failed[k]));
    chart(host, group, run, labels, {
      title, height: 170,
      scales: { n: { range: zeroBased } },
      axes: [xAxis, { scale: 'n', label: 'requests / ' + run.binMs + ' ms', size: 56 }],
      series: [
        { label: 't', value: (u, v) => text(v, ' s') },
        // Stacked: the total is drawn in red and ok over it in green, so red is what failed.
        { label: 'failed', scale: 'n', stroke: '#c62828', fill: '#ef9a9a', paths: stepped, points: { show: false }, value: (u, v, s, i) => (i == null || bins.failed[i] == null ? '—' : String(bins.failed[i])) },
        { label: 'ok', scale: 'n', stroke: '#2e7d32', fill: '#a5d6a7', paths: stepped, points: { show: false }, value: (u, v) => text(v, '') },
      ],
    }, [x, total, closed(bins.ok)]);
  }

  function latencyChart(host, group, run, x) {
    const series = [{ label: 't', value: (u, v) => text(v, ' s') }];
    const data = [x];
    const add = (label, values, stroke, dash) => {
      // No spanGaps: a bin without answers has no latency. A value between two empty bins has no
      // line to be part of, so it gets a point even where uPlot finds the bins too dense for points.
      const isolated = values.flatMap((v, k) => (v != null && values[k - 1] == null && values[k + 1] == null ? [k] : []));
      const filter = (u, si, show) => (show ? null : isolated);
      series.push({ label, scale: 'ms', stroke, dash, width: 1.5, spanGaps: false, points: { size: 4, fill: stroke, filter }, value: (u, v) => text(v, ' ms') });
      data.push(closed(values));
    };
    if (run.probe) {
      add('p50', run.probe.p50, '#1565c0');
      add('p95', run.probe.p95, '#ef6c00');
      add('p99', run.probe.p99, '#8e24aa');
    }
    if (run.load) {
      add('load p50', run.load.p50, '#1565c0', [5, 3]);
      add('load p95', run.load.p95, '#ef6c00', [5, 3]);
      add('load p99', run.load.p99, '#8e24aa', [5, 3]);
    }
    chart(host, group, run, false, {
      title: 'Latency of answered requests per ' + run.binMs + ' ms (log scale)', height: 170,
      // Log scale: a 2 s timeout spike would otherwise flatten a 4 ms baseline into the axis.
      scales: { ms: { distr: 3, log: 10, range: (u, min, max) => (min == null ? [1, 10] : [Math.max(0.01, min / 1.6), Math.max(max * 1.6, min * 4)]) } },
      axes: [xAxis, { scale: 'ms', label: 'ms', size: 56, values: (u, splits) => splits.map(powerOfTen) }],
      series,
    }, data);
  }

  function replicaChart(host, group, run, endS) {
    const r = run.replicas;
    const x = r.t.map((t) => t / 1000);
    const ready = r.ready.slice();
    const desired = r.desired.slice();
    const wanted = r.autoscaler ? r.autoscaler.slice() : null;
    if (x[0] > 0) { x.unshift(0); ready.unshift(null); desired.unshift(null); if (wanted) wanted.unshift(null); }
    x.push(endS); ready.push(ready[ready.length - 1]); desired.push(desired[desired.length - 1]); if (wanted) wanted.push(wanted[wanted.length - 1]);
    const top = Math.max(1, ...r.ready, ...r.desired, ...(r.autoscaler || []).filter((v) => v != null));
    chart(host, group, run, false, {
      title: 'Ready replicas', height: 130,
      scales: { n: { range: () => [0, top + 1] } },
      axes: [xAxis, { scale: 'n', label: 'replicas', size: 56, incrs: [1, 2, 5, 10, 20, 50, 100] }],
      series: [
        { label: 't', value: (u, v) => text(v, ' s') },
        { label: 'ready', scale: 'n', stroke: '#2e7d32', fill: 'rgba(46,125,50,0.15)', width: 2, paths: stepped, points: { show: false }, value: (u, v) => text(v, '') },
        { label: 'desired', scale: 'n', stroke: '#616161', dash: [6, 4], width: 1.5, paths: stepped, points: { show: false }, value: (u, v) => text(v, '') },
        ...(wanted ? [{ label: 'autoscaler wants', scale: 'n', stroke: '#6a1b9a', dash: [2, 3], width: 1.5, paths: stepped, points: { show: false }, value: (u, v) => text(v, '') }] : []),
      ],
    }, wanted ? [x, ready, desired, wanted] : [x, ready, desired]);
  }

  // One colour per touched instance in the resource charts; its limit dashed in the same colour.
  const PALETTE = ['#1565c0', '#c62828', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f'];

  // CPU (cores used, the limit, the share of CFS periods throttled) and memory (used, the limit) of
  // the instances a resource fault touched, on the same x as the other charts (0 to the run's end).
  function resourceCharts(host, group, run, endS) {
    const r = run.resources;
    const x = [0].concat(r.x, [endS]);
    const padded = (values) => [null].concat(values, [null]);
    const tSeries = { label: 't', value: (u, v) => text(v, ' s') };
    const cpu = { series: [tSeries], data: [x] };
    const throttled = { series: [tSeries], data: [x] };
    const memory = { series: [tSeries], data: [x] };
    r.instances.forEach((instance, i) => {
      const color = PALETTE[i % PALETTE.length];
      const add = (into, label, scale, values, unit, extra) => {
        into.series.push({ label: instance.name + ' ' + label, scale, stroke: color, width: 1.5, spanGaps: true, points: { show: false }, value: (u, v) => text(v, unit), ...extra });
        into.data.push(padded(values));
      };
      add(cpu, 'cores', 'cores', instance.cores, '');
      add(cpu, 'limit', 'cores', instance.cpuLimitCores, '', { dash: [6, 4], width: 1, paths: stepped });
      add(throttled, 'throttled', '%', instance.throttledPercent, ' %', { fill: color + '26', paths: stepped });
      add(memory, 'memory', 'MiB', instance.memoryMiB, ' MiB');
      add(memory, 'limit', 'MiB', instance.memoryLimitMiB, ' MiB', { dash: [6, 4], width: 1, paths: stepped });
    });
    chart(host, group, run, false, {
      title: 'CPU of the touched instances: cores used (line) and their limit (dashed), per sampled interval', height: 150,
      scales: { cores: { range: zeroBased } },
      axes: [xAxis, { scale: 'cores', label: 'cores', size: 56 }],
      series: cpu.series,
    }, cpu.data);
    chart(host, group, run, false, {
      title: 'Throttled: share of the CFS periods in which the kernel held the cgroup at its CPU limit', height: 110,
      scales: { '%': { range: () => [0, 100] } },
      axes: [xAxis, { scale: '%', label: '%', size: 56, incrs: [25, 50, 100] }],
      series: throttled.series,
    }, throttled.data);
    chart(host, group, run, false, {
      title: 'Memory of the touched instances: in use (line) and their limit (dashed)', height: 150,
      scales: { MiB: { range: zeroBased } },
      axes: [xAxis, { scale: 'MiB', label: 'MiB', size: 56 }],
      series: memory.series,
    }, memory.data);
  }

  // Share of answers per version over time (a rollout seen from the client), stacked to 100 %:
  // each series is the cumulative share up to its version, so the bands between lines are the versions.
  function versionChart(host, group, run) {
    const share = run.versions;
    // Two points per slice, at its start and its end, joined by straight lines: each slice is a flat
    // step of its own, and a slice without answers is a gap, not a line from its neighbours.
    const x = share.slices.flatMap((slice) => [slice.from / 1000, slice.to / 1000]);
    const totals = share.slices.map((slice) => slice.counts.reduce((sum, count) => sum + count, 0));
    const twice = (values) => values.flatMap((value) => [value, value]);
    const series = [{ label: 't', value: (u, v) => text(v, ' s') }];
    const data = [x];
    share.versions.forEach((version, column) => {
      const cumulative = share.slices.map((slice, k) => (totals[k] === 0 ? null : (100 * slice.counts.slice(0, column + 1).reduce((sum, count) => sum + count, 0)) / totals[k]));
      const own = share.slices.map((slice, k) => (totals[k] === 0 ? null : (100 * slice.counts[column]) / totals[k]));
      const color = VERSION_COLORS[column % VERSION_COLORS.length];
      series.push({ label: 'version ' + version, scale: '%', stroke: color, fill: color + '55', width: 1.5, points: { show: false }, value: (u, v, si, i) => (i == null || own[Math.floor(i / 2)] == null ? '—' : text(own[Math.floor(i / 2)], ' %')) });
      data.push(twice(cumulative));
    });
    // uPlot fills each series down to the axis: draw the widest (the last cumulative) first.
    series.splice(1, series.length - 1, ...series.slice(1).reverse());
    data.splice(1, data.length - 1, ...data.slice(1).reverse());
    chart(host, group, run, false, {
      title: 'Share of answers per version (per ' + share.sliceMs / 1000 + ' s)', height: 130,
      scales: { '%': { range: () => [0, 100] } },
      axes: [xAxis, { scale: '%', label: '% of answers', size: 56 }],
      series,
    }, data);
  }

  function drawRun(run) {
    const host = document.querySelector('[data-run-index="' + run.index + '"]');
    if (!host) return;
    const group = [];
    const x = binEdges(run);
    const endS = x[x.length - 1];
    if (run.probe) countChart(host, group, run, 'Probe requests per ' + run.binMs + ' ms', run.probe, x, true);
    if (run.load) countChart(host, group, run, 'Load requests per ' + run.binMs + ' ms', run.load, x, !run.probe);
    if (run.probe || run.load) latencyChart(host, group, run, x);
    if (run.replicas.t.length > 0) replicaChart(host, group, run, endS);
    if (run.resources) resourceCharts(host, group, run, endS);
    if (run.versions && run.versions.versions.length > 1) versionChart(host, group, run);
    if (group.length === 0) host.insertAdjacentHTML('beforeend', '<p class="muted">Nothing to chart: no requests and no replica counts were recorded.</p>');
  }

  // One run's broken data must not keep the others from being drawn.
  waiting++;
  for (const run of payload.runs) {
    try {
      drawRun(run);
    } catch (error) {
      console.error('rebound: cannot draw the charts of run ' + run.index + ':', error);
    }
  }
  if (--waiting === 0) finished();

  let resizing;
  window.addEventListener('resize', () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => { for (const u of charts) u.setSize({ width: width(), height: u.height }); }, 100);
  });
})();
`;
