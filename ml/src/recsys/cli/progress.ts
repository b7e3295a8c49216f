import type { Step } from '../core/evaluation';

/** A one-line progress bar on stderr (stdout stays clean for the report path). */
export function progressSteps(stream: NodeJS.WriteStream = process.stderr): Step {
  return (label: string) => {
    const started = performance.now();
    let lastDraw = 0;
    const draw = (done: number, total: number, final = false) => {
      const now = performance.now();
      if (!final && now - lastDraw < 100) return;
      lastDraw = now;
      const width = 24;
      const ratio = total ? Math.min(1, done / total) : 1;
      const bar = '█'.repeat(Math.round(ratio * width)).padEnd(width, '░');
      const seconds = ((now - started) / 1000).toFixed(1);
      const line = `${label.padEnd(52).slice(0, 52)} ${bar} ${String(Math.round(ratio * 100)).padStart(3)}% ${seconds}s`;
      if (stream.isTTY) stream.write(`\r${line}${final ? '\n' : ''}`);
      else if (final) stream.write(`${line}\n`);
    };
    return {
      tick: (done, total) => draw(done, total),
      done: () => draw(1, 1, true),
    };
  };
}
