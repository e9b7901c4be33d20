/**
 * The widget's root: the form (or the confirmation) and the single polite status region, framed by the
 * display (in place, or the popup's launcher and dialog: `popup.ts`).
 */
import { Fragment, h, type JSX } from 'preact';
import type { Display } from '../display.js';
import type { FormModel } from '../model.js';
import { FormBody } from './FormBody.js';
import { Success } from './Success.js';

export function Widget({ model, display }: { model: FormModel; display: Display }): JSX.Element {
  const { t, lang, dir } = model.locale;
  const content = model.status.value === 'done' ? <Success model={model} /> : <FormBody model={model} />;
  const status = (
    <p role="status" part="status">
      {model.note.value}
      {model.status.value === 'queued' && (
        <Fragment>
          {' '}
          <button type="button" class="back" onClick={model.submit}>
            {t('retry')}
          </button>
        </Fragment>
      )}
    </p>
  );
  return (
    <div class="lk" part="root" lang={lang} dir={dir}>
      {display.frame(model, content, status)}
    </div>
  );
}
