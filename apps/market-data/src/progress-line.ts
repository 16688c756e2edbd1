import type { ReplayProgress } from './replayer.js';

function clock(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** One human line: how far, how fast, how long to go. */
export function progressLine(p: ReplayProgress, target: number | 'max'): string {
  const data = p.dataTime ? new Date(p.dataTime.sec * 1000).toISOString().slice(11, 19) : '--:--:--';
  const pct = `${(p.fraction * 100).toFixed(1)}%`.padStart(6);
  const speed = `${p.achievedSpeed.toFixed(1)}x${target === 'max' ? '' : ` of ${target}x`}`;
  const eta = p.etaSeconds === null ? (p.loops > 0 ? `loop ${p.loops}` : 'ETA --') : `ETA ${clock(p.etaSeconds)}`;
  return `replay ${pct} | ${p.ticks.toLocaleString('en-US')} ticks | data ${data} UTC | ${speed} | ${p.badRows} bad rows | ${eta}`;
}
