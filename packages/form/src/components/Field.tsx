/**
 * One question: label, hint, error and control, wired the GOV.UK way (error then hint in
 * `aria-describedby`, `aria-invalid` only while invalid, groups in a fieldset whose legend comes first).
 */
import { Fragment, h, type JSX } from 'preact';
import type { FieldConfig } from '../config-schema.js';
import { inputAttributes } from '../field-attributes.js';
import type { FormModel } from '../model.js';
import { isTick, optionsOf, type Value } from '../values.js';

export interface FieldProps {
  model: FormModel;
  field: FieldConfig;
  /** Conditional questions revealed right under one option of this group (GOV.UK conditional reveal). */
  nested?: FieldConfig[];
}

/** The control's id; for groups the first option's, which the error summary links to. */
export const fieldId = (f: FieldConfig) => `f-${f.name}`;

export function Field({ model, field: f, nested = [] }: FieldProps): JSX.Element {
  const { t } = model.locale;
  const id = fieldId(f);
  const value = model.values.value[f.name];
  const error = model.errors.value[f.name];
  const set = (v: Value) => model.setValue(f.name, v);
  const asterisk = model.config.requiredStyle === 'asterisk';
  const group = !!f.options && (f.type === 'radio' || f.type === 'checkbox');
  const tick = isTick(f);
  const label = (
    <Fragment>
      {f.label}
      {f.required ? asterisk && <span aria-hidden="true"> *</span> : !asterisk && ` ${t('optional')}`}
    </Fragment>
  );
  const wiring = {
    'aria-describedby': [error && `${id}-e`, f.help && `${id}-h`].filter(Boolean).join(' ') || undefined,
    'aria-invalid': error ? ('true' as const) : undefined,
    // Not on a checkbox group's fieldset (role group has no aria-required); its legend says "(optional)".
    'aria-required': f.required && !(group && f.type === 'checkbox') ? ('true' as const) : undefined,
  };
  const control = (type: string, props: Record<string, unknown>) =>
    h(type === 'select' || type === 'textarea' ? type : 'input', {
      id,
      name: f.name,
      part: 'input',
      ...props,
      ...wiring,
    });
  const hint = f.help && (
    <p id={`${id}-h`} class="hint" part="hint">
      {f.help}
    </p>
  );
  const message = error && (
    <p id={`${id}-e`} class="msg" part="error">
      <span class="vh">{t('errorPrefix')} </span>
      {error}
    </p>
  );

  if (group) {
    const picked = ([] as Value[]).concat(value ?? []);
    return (
      <fieldset
        class={error ? 'fld bad' : 'fld'}
        part="field"
        hidden={!model.isShown(f)}
        role={f.type === 'radio' ? 'radiogroup' : undefined}
        {...wiring}
      >
        <legend part="label">{label}</legend>
        {hint}
        {message}
        {optionsOf(f).map((o, i) => {
          const oid = i ? `${id}-${i}` : id;
          const reveals = nested.filter((n) => n.showIf?.equals === o.value);
          return (
            <Fragment>
              <div class="opt">
                <input
                  type={f.type as 'radio'}
                  id={oid}
                  name={f.name}
                  value={o.value}
                  checked={picked.includes(o.value)}
                  aria-controls={reveals.map((n) => `${fieldId(n)}-c`).join(' ') || undefined}
                  onChange={(e) =>
                    set(
                      f.type === 'radio'
                        ? o.value
                        : e.currentTarget.checked
                          ? [...(picked as string[]), o.value]
                          : (picked as string[]).filter((p) => p !== o.value),
                    )
                  }
                />
                <label for={oid}>{o.label}</label>
              </div>
              {reveals.map((n) => (
                <div id={`${fieldId(n)}-c`} class="cond" hidden={!model.isShown(n)}>
                  <Field model={model} field={n} />
                </div>
              ))}
            </Fragment>
          );
        })}
      </fieldset>
    );
  }

  const labelEl = (
    <label for={id} part="label">
      {label}
    </label>
  );
  return (
    <div class={`fld${error ? ' bad' : ''}`} part="field" hidden={!model.isShown(f)}>
      {!tick && labelEl}
      {!tick && hint}
      {message}
      {tick ? (
        <div class="opt">
          {control('checkbox', {
            type: 'checkbox',
            checked: value === true,
            onChange: (e: Event) => set((e.currentTarget as HTMLInputElement).checked),
          })}
          {labelEl}
        </div>
      ) : f.type === 'select' ? (
        control('select', {
          autocomplete: inputAttributes(f).autocomplete,
          value,
          onChange: (e: Event) => set((e.currentTarget as HTMLSelectElement).value),
          children: [
            <option value="">{f.placeholder ?? ''}</option>,
            ...optionsOf(f).map((o) => <option value={o.value}>{o.label}</option>),
          ],
        })
      ) : (
        control(f.type, {
          ...inputAttributes(f),
          placeholder: f.placeholder,
          value,
          onInput: (e: Event) => set((e.currentTarget as HTMLInputElement).value),
        })
      )}
      {tick && hint}
      {f.link && (
        <p>
          <a href={f.link.href} target="_blank" rel="noopener">
            {f.link.text} {t('newTab')}
          </a>
        </p>
      )}
    </div>
  );
}
