// The page's own CSS (uPlot's is inlined beside it). System fonts only: the report opens offline.
export const PAGE_STYLE = `
:root { --ok: #2e7d32; --bad: #c62828; --warn: #b26a00; --muted: #616161; --line: #d7d7d7; --zebra: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; color: #1b1b1b; background: #fff; }
main { max-width: 1400px; margin: 0 auto; padding: 16px 20px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 6px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
p { margin: 6px 0; }
.muted { color: var(--muted); }
.noscript { background: #fff4e5; border: 1px solid #f0c27b; padding: 8px 12px; border-radius: 4px; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: #eef0f3; }
tbody tr:nth-child(even) td { background: var(--zebra); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.bad, li.bad, tr.bad td { color: var(--bad); }
table.measures tr.group td, table.measures tr.group th { border-top: 2px solid #9e9e9e; }
table.measures th[scope=rowgroup] { background: #fafafa; font-weight: 600; }
table.sides ul, ul.notes { margin: 0; padding-left: 18px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px; font-weight: 600; color: #fff; white-space: nowrap; }
.badge.ok { background: var(--ok); }
.badge.bad { background: var(--bad); }
.badge.warn { background: var(--warn); }
.claim { font-size: 15px; }
details.run { border: 1px solid var(--line); border-radius: 6px; margin: 12px 0; padding: 4px 12px 8px; }
details.run > summary { cursor: pointer; padding: 6px 0; font-size: 15px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; font-size: 13px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.charts { margin: 8px 0; }
.chart { margin: 4px 0 10px; }
.uplot .u-title { font-size: 13px; font-weight: 600; text-align: left; padding-left: 56px; }
.uplot .u-legend { font-size: 12px; }
.strip-plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 8px 20px; }
figure.strip-plot { margin: 6px 0; }
figure.strip-plot figcaption { font-size: 13px; margin-bottom: 2px; }
svg.strip { max-width: 100%; height: auto; font: 11px system-ui, "Liberation Sans", sans-serif; }
svg.strip .grid { stroke: #ececec; }
svg.strip .axis { stroke: #9e9e9e; }
svg.strip .tick { fill: var(--muted); }
svg.strip .row-label { fill: #1b1b1b; font-size: 12px; }
svg.strip .ci { opacity: 0.22; }
svg.strip circle { opacity: 0.8; stroke: #fff; stroke-width: 1; }
svg.strip .median { stroke: #1b1b1b; stroke-width: 2; }
svg.strip .missing { fill: var(--muted); font-size: 12px; }
svg.strip .missing.bad { fill: var(--bad); }
table.overview td { vertical-align: middle; }
svg.mini { display: block; font: 11px system-ui, "Liberation Sans", sans-serif; }
svg.mini .axis { stroke: #9e9e9e; }
svg.mini .bar { opacity: 0.75; }
svg.mini .tick { fill: var(--muted); }
svg.mini .row-label { fill: #1b1b1b; }
svg.mini .missing { fill: var(--muted); }
svg.mini .missing.bad { fill: var(--bad); }
table.versions caption { text-align: left; font-weight: 600; font-size: 13px; padding-bottom: 2px; }
tr.marker-fault-injected td:first-child { border-left: 3px solid #c62828; }
tr.marker-fault-failed td:first-child { border-left: 3px solid #ef6c00; }
tr.marker-fault-rolled-back td:first-child { border-left: 3px solid #1565c0; }
tr.marker-recovered td:first-child { border-left: 3px solid #2e7d32; }
tr.marker-observation-end td:first-child { border-left: 3px solid #757575; }
tr.marker-note td:first-child, tr.item-note td:first-child, tr.item-action-item td:first-child { border-left: 3px solid #6a1b9a; }
tr.item-action-item td { font-weight: 600; }
tr.marker-rollout td:first-child { border-left: 3px solid #6a1b9a; }
`;
