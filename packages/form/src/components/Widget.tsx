/**
 * The widget's root: the form (or the confirmation), the launcher for popups and slide-ins, the dialog
 * around them, and the single polite status region (inside the dialog, where VoiceOver still hears it).
 */
import { Fragment, h, type JSX } from 'preact';
import type { Display } from '../display.js';
import type { FormModel } from '../model.js';
import { FormBody } from './FormBody.js';
import { Success } from './Success.js';

export function Widget({ model, display }: { model: FormModel; display: Display }): JSX.Element {
  const { t, lang, dir } = model.locale;
  const { config } = model;
  const { mode } = display;
  const open = display.open.value;
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
  const slide = mode === 'slide-in';
  const name = config.display?.launcher ?? t('launcher');
  return (
    <div class="lk" part="root" lang={lang} dir={dir}>
      {mode === 'inline' ? (
        content
      ) : (
        <Fragment>
          {(slide ? !open : !config.display?.opener) && (
            <button
              type="button"
              class={slide ? 'btn fab' : 'btn'}
              part="launcher"
              onClick={() => display.show()}
            >
              {name}
            </button>
          )}
          <dialog
            class={slide ? 'slide' : undefined}
            part="dialog"
            open={slide ? open : undefined}
            aria-labelledby={config.title && 'lk-title'}
            aria-label={config.title ? undefined : name}
            onClose={display.hide}
            onKeyDown={(e) => slide && e.key === 'Escape' && display.hide()}
          >
            {open && (
              <Fragment>
                {/* The × is drawn by CSS; the button's name is the translated word. */}
                <button type="button" class="x" part="close" onClick={display.hide}>
                  <span class="vh">{t('close')}</span>
                </button>
                {content}
              </Fragment>
            )}
            {status}
          </dialog>
        </Fragment>
      )}
      {mode === 'inline' && status}
    </div>
  );
}
