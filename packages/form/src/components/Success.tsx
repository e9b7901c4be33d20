/** The confirmation that replaces the form; its heading takes focus, and nothing closes it on a timer. */
import { h, type JSX } from 'preact';
import type { FormModel } from '../model.js';

export function Success({ model }: { model: FormModel }): JSX.Element {
  const { t } = model.locale;
  const success = model.config.success;
  return (
    <div class="done" part="success">
      <h2 tabindex={-1} data-focus="success">
        {success?.title ?? t('successTitle')}
      </h2>
      <p>{success?.message ?? t('successBody')}</p>
    </div>
  );
}
