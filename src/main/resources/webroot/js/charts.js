// uPlot charts of the Overview: finished runs per minute by status (stacked bars) and start lateness (p50/p99).

import uPlot from '../vendor/uPlot.esm.js';
import { html, useEffect, useRef } from './ui.js';

const STATUS_COLORS = {
  SUCCESS: '#2e9b5f', FAILED: '#d64545', TIMED_OUT: '#e08a1e', CANCELLED: '#8a8f98', SKIPPED: '#b9c0ca',
};
export const STACK_ORDER = ['SUCCESS', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'SKIPPED'];

const hhmm = uPlot.fmtDate('{HH}:{mm}');
// the x axis in UTC, 24-hour minutes; counts and milliseconds from zero
const TIME_AXIS = { label: 'minute (UTC)', values: (u, splits) => splits.map((ts) => hhmm(uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'))) };
const FROM_ZERO = { range: (u, min, max) => [0, Math.max(1, max)] };
// half a minute either side, so the first and last bars are whole
const MINUTES = { time: true, range: (u, min, max) => [min - 30, max + 30] };

/** Mounts a uPlot into a div and keeps it sized to its container; re-created when data change. */
function useUPlot(ref, make, data) {
  useEffect(() => {
    if (!ref.current || !data) return undefined;
    const width = Math.max(320, ref.current.clientWidth || 600);
    const chart = make(width);
    const onResize = () => chart.setSize({ width: Math.max(320, ref.current.clientWidth), height: chart.height });
    window.addEventListener('resize', onResize);
    return () => { window.removeEventListener('resize', onResize); chart.destroy(); };
  }, [data]);
}

/**
 * Stacked bars: each series is drawn as the cumulative sum up to its status, the tallest first, so the
 * later (shorter) bars cover the lower part of the earlier ones; the legend shows each status's own count.
 */
export function RunsByStatusChart({ minutes }) {
  const ref = useRef(null);
  useUPlot(ref, (width) => {
    const xs = minutes.map((m) => Date.parse(m.at) / 1000);
    const own = STACK_ORDER.map((s) => minutes.map((m) => (m.finished && m.finished[s]) || 0));
    const cumulative = own.map((_, i) => minutes.map((__, j) => own.slice(0, i + 1).reduce((a, row) => a + row[j], 0)));
    const order = STACK_ORDER.map((_, i) => i).reverse();
    const bars = uPlot.paths.bars({ size: [0.8, 40] });
    return new uPlot({
      width,
      height: 220,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: MINUTES, y: FROM_ZERO },
      axes: [TIME_AXIS, { label: 'finished runs' }],
      series: [{ label: 'time' }, ...order.map((i) => ({
        label: STACK_ORDER[i],
        fill: STATUS_COLORS[STACK_ORDER[i]],
        stroke: STATUS_COLORS[STACK_ORDER[i]],
        paths: bars,
        points: { show: false },
        value: (u, v, si, idx) => (idx === null || idx === undefined ? '—' : own[i][idx]),
      }))],
    }, [xs, ...order.map((i) => cumulative[i])], ref.current);
  }, minutes);
  return html`<div class="chart" ref=${ref} data-test="chart-status"></div>`;
}

export function LatenessChart({ minutes }) {
  const ref = useRef(null);
  useUPlot(ref, (width) => new uPlot({
    width,
    height: 220,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: MINUTES, y: FROM_ZERO },
    axes: [TIME_AXIS, { label: 'start lateness (ms)' }],
    series: [{ label: 'time' },
      // points too: a quiet hour may have a single minute with runs
      { label: 'p50', stroke: '#3a6ea5', width: 2, spanGaps: true, points: { show: true, size: 5, fill: '#3a6ea5' } },
      { label: 'p99', stroke: '#d64545', width: 2, spanGaps: true, points: { show: true, size: 5, fill: '#d64545' } }],
  }, [minutes.map((m) => Date.parse(m.at) / 1000), minutes.map((m) => m.lateness_p50_ms ?? null),
    minutes.map((m) => m.lateness_p99_ms ?? null)], ref.current), minutes);
  return html`<div class="chart" ref=${ref} data-test="chart-lateness"></div>`;
}
