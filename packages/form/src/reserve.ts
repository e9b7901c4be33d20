/**
 * Estimates an inline form's height from its config before anything renders, so the space can be
 * reserved at once and rendering can wait for idle time without moving the page (CLS 0). The numbers
 * mirror `styles/css.ts` (1.5 line height, 2.75rem controls, 1.25rem gaps) in units of the font size;
 * text wraps by an average glyph width. The tallest step wins.
 */
import type { FieldConfig, FormConfig } from './config-schema.js';
import { isChoice, isTick, optionsOf } from './values.js';

const LINE = 1.5;
const CONTROL = 2.75;
const GAP = 1.25;

export function estimateHeight(config: FormConfig, widthPx: number, fontPx: number): number {
  const perLine = Math.max(8, widthPx / (fontPx * 0.56));
  const lines = (text = '', scale = 1) => (text ? Math.ceil((text.length * scale) / perLine) : 0);
  const field = (f: FieldConfig): number => {
    const hint = f.help ? lines(f.help) * LINE + 0.25 : 0;
    const label = lines(`${f.label} (optional)`) * LINE;
    if (isTick(f)) return Math.max(CONTROL, label + 1) + hint + (f.link ? LINE + 0.25 : 0);
    if (isChoice(f) && f.type !== 'select')
      return (
        label +
        0.5 +
        hint +
        optionsOf(f).reduce((sum, o) => sum + Math.max(CONTROL, lines(o.label, 1.2) * LINE + 1), 0)
      );
    return label + 0.25 + hint + (f.type === 'textarea' ? 6 : CONTROL);
  };
  const header =
    (config.title ? lines(config.title, 1.4) * 1.8 + GAP : 0) +
    (config.intro ? lines(config.intro) * LINE + GAP : 0) +
    (config.requiredStyle === 'asterisk' ? LINE + GAP : 0) +
    (config.turnstile ? 4.1 + GAP : 0);
  const byName = new Map(config.fields.map((f) => [f.name, f]));
  const steps = config.steps?.map((s) => s.fields.map((n) => byName.get(n)!)) ?? [config.fields];
  let tallest = 0;
  for (const [i, fields] of steps.entries()) {
    // Conditional questions start hidden unless their condition already holds; count them anyway
    // only when nothing else would move: a reveal happens after input and does not count as a shift.
    const shown = fields.filter((f) => f.type !== 'hidden' && !f.showIf);
    const stepHeader = config.steps ? (i > 0 ? LINE + GAP : 0) + LINE * 1.125 + GAP + 0.25 + GAP : 0;
    const body = shown.reduce((sum, f) => sum + field(f) + GAP, 0);
    tallest = Math.max(tallest, stepHeader + body);
  }
  return Math.ceil((header + tallest + CONTROL) * fontPx);
}
