/**
 * "There is a problem": one link per error, in field order, worded exactly like the inline message.
 * Links cannot rely on URL fragments (they never reach into a shadow root and would change the host
 * page's hash), so a click scrolls the label into view and focuses the control itself.
 */
import { h, type JSX } from 'preact';
import type { FieldConfig } from '../config-schema.js';
import type { FormModel } from '../model.js';
import { fieldId } from './Field.js';

export function ErrorSummary({
  model,
  fields,
}: {
  model: FormModel;
  fields: FieldConfig[];
}): JSX.Element | null {
  const errors = model.errors.value;
  const failing = fields.filter((f) => errors[f.name]);
  if (!failing.length) return null;
  return (
    <div class="sum" part="summary">
      <div role="alert">
        <h3>{model.locale.t('errorSummary')}</h3>
        <ul>
          {failing.map((f) => (
            <li>
              <a href={`#${fieldId(f)}`} onClick={jump}>
                {errors[f.name]}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function jump(e: MouseEvent): void {
  e.preventDefault();
  const link = e.currentTarget as HTMLAnchorElement;
  const root = link.getRootNode() as ShadowRoot;
  const id = link.hash.slice(1);
  const control = root.getElementById(id);
  if (!control) return;
  // Scroll the question (legend or label), not the bare control, so its words are on screen.
  const caption =
    control.closest('fieldset')?.querySelector('legend') ?? root.querySelector(`label[for="${id}"]`);
  (caption ?? control).scrollIntoView();
  control.focus({ preventScroll: true });
}
