/**
 * Estimates an inline form's first-step height from its config, before anything renders, so the space
 * can be reserved at once and rendering can wait for idle time without moving the page. The numbers
 * mirror `styles/css.ts` in units of the font size (1.5 line height, 2.75rem controls, 1.25rem gaps,
 * the browser's 1.5em h2 and 1.17em h3); text wraps by an average glyph width. Later steps and revealed
 * questions appear after the visitor acts, which does not count as layout shift.
 */
import type { FieldConfig, FormConfig } from './config-schema.js';
import { isChoice, isTick, optionsOf } from './values.js';

const LINE = 1.5;
const CONTROL = 2.75;
const GAP = 1.25;

export function estimateHeight(config: FormConfig, widthPx: number, fontPx: number): number {
  const perLine = Math.max(8, widthPx / (fontPx * 0.53));
  const lines = (text = '', scale = 1) => Math.ceil((text.length * scale) / perLine);
  const field = (f: FieldConfig): number => {
    const hint = f.help ? lines(f.help) * LINE + 0.25 : 0;
    const label = lines(`${f.label} (optional)`) * LINE;
    if (isTick(f)) return Math.max(CONTROL, label) + hint + (f.link ? LINE + 0.25 : 0);
    if (isChoice(f) && f.type !== 'select')
      return (
        label +
        hint +
        optionsOf(f).reduce((sum, o) => sum + Math.max(CONTROL, lines(o.label) * LINE) + 0.25, 0)
      );
    return label + 0.25 + hint + (f.type === 'textarea' ? 6 : CONTROL);
  };
  const first = config.steps?.[0]?.fields ?? config.fields.map((f) => f.name);
  const shown = config.fields.filter((f) => first.includes(f.name) && f.type !== 'hidden' && !f.showIf);
  const parts = [
    config.title && lines(config.title, 1.5) * LINE * 1.5,
    config.intro && lines(config.intro) * LINE,
    config.steps && LINE * 1.17,
    config.steps && 0.25,
    config.requiredStyle === 'asterisk' && LINE,
    ...shown.map(field),
    config.turnstile && 4.1,
    CONTROL,
  ].filter((h): h is number => !!h);
  return Math.ceil((parts.reduce((a, b) => a + b, 0) + (parts.length - 1) * GAP) * fontPx);
}
