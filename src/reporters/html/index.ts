// The HTML report's parts: page rendering, timeline binning and the inlined chart library.
export { escapeHtml, jsonForScript } from './html-escape.js';
export { renderCompareReportHtml, renderRunReportHtml } from './render-html.js';
export { renderGameDayReportHtml } from './render-game-day.js';
export { BIN_MS, binWidth, MAX_BINS, runTimelineData, type RunTimelineData, type TimelineMarker, type TrafficBins } from './run-timeline-data.js';
export { loadUplotAssets, type ChartAssets } from './uplot-assets.js';
