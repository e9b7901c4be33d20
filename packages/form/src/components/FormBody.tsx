/**
 * The `<form>`: title, back link, step heading and progress, error summary, the step's questions, the
 * honeypot and the submit button. `novalidate`: checks run when the visitor moves on, never as browser
 * bubbles. Continue/Send is the first submit button, so Enter in a field activates it; Back is a button.
 */
import { Fragment, h, type JSX } from 'preact';
import type { FieldConfig } from '../config-schema.js';
import type { FormModel } from '../model.js';
import { ErrorSummary } from './ErrorSummary.js';
import { Field } from './Field.js';

export function FormBody({ model }: { model: FormModel }): JSX.Element {
  const { t } = model.locale;
  const { config } = model;
  const steps = model.steps.value;
  const index = Math.min(model.stepIndex.value, steps.length - 1);
  const multi = steps.length > 1;
  const fields = steps[index]?.fields ?? [];
  // A question shown for one option of a radio/checkbox group in this step renders under that option.
  const nestedIn = (f: FieldConfig) =>
    f.options && f.type !== 'select'
      ? fields.filter((n) => n.showIf?.field === f.name && typeof n.showIf.equals === 'string')
      : [];
  const nested = fields.flatMap(nestedIn);
  const top = fields.filter((f) => !nested.includes(f));
  const complete = model.limit.value >= top.length;

  return (
    <form
      novalidate
      part="form"
      onSubmit={(e) => {
        e.preventDefault();
        model.next();
      }}
    >
      {config.title && (
        <h2 id="lk-title" tabindex={-1} data-focus={multi ? undefined : 'heading'}>
          {config.title}
        </h2>
      )}
      {config.intro && <p>{config.intro}</p>}
      {multi && index > 0 && (
        <button type="button" class="back" part="back" onClick={model.back}>
          {t('back')}
        </button>
      )}
      {multi && (
        <Fragment>
          <h3 tabindex={-1} data-focus="heading">
            {t('step', { n: index + 1, total: steps.length })}: {steps[index]!.title}
          </h3>
          <div class="bar" part="progress" aria-hidden="true">
            <i style={{ width: `${((index + 1) * 100) / steps.length}%` }} />
          </div>
        </Fragment>
      )}
      {config.requiredStyle === 'asterisk' && <p class="hint">{t('requiredNote')}</p>}
      <ErrorSummary model={model} fields={top.flatMap((f) => [f, ...nestedIn(f)])} />
      {top.slice(0, model.limit.value).map((f) => (
        <Field model={model} field={f} nested={nestedIn(f)} />
      ))}
      {/* Honeypot: off-screen, out of the tab order, hidden from assistive tech, named like nothing autofill knows. */}
      <div class="vh" aria-hidden="true">
        <label for="lk-hp">{t('honeypot')}</label>
        <input
          id="lk-hp"
          name="lk_hp"
          tabindex={-1}
          autocomplete="off"
          value={model.honeypot.value}
          onInput={(e) => {
            model.honeypot.value = e.currentTarget.value;
          }}
        />
      </div>
      {complete && config.turnstile && <div data-turnstile />}
      {complete && (
        <button
          type="submit"
          class="btn"
          part="submit"
          aria-disabled={model.status.value === 'sending' ? 'true' : undefined}
        >
          {index < steps.length - 1 ? t('continue') : (config.submitLabel ?? t('submit'))}
        </button>
      )}
    </form>
  );
}
