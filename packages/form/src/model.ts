/**
 * The form model: the widget's state as signals, and the actions that change it. Components read the
 * signals and call the actions; nothing here touches the DOM. Focus moves are requested through
 * `focusRequest` and carried out by the view right after it renders.
 */
import type { LeadInput } from '@leadkit/core/lead';
import { batch, computed, type ReadonlySignal, type Signal, signal } from '@preact/signals-core';
import { isShown } from './conditions.js';
import type { FieldConfig, FormConfig } from './config-schema.js';
import type { Locale } from './i18n/index.js';
import { buildLead, type LeadContext, newLeadId } from './lead.js';
import { validateField } from './validate.js';
import { initialValue, type Value } from './values.js';

export type Status = 'idle' | 'sending' | 'queued' | 'failed' | 'done';

/** How sending ended, as far as the visitor is concerned. */
export type Delivery =
  | { ok: true }
  | { ok: false; queued: true }
  | { ok: false; queued?: false; error: string; issues?: { path: string; message: string }[] | undefined };

export type FormEventName = 'submit' | 'success' | 'error';

export interface FormEnv {
  locale: Locale;
  /** Sends the lead (outbox, retries); never rejects. */
  deliver(lead: LeadInput): Promise<Delivery>;
  /** Announces `leadkit:<name>` to the page. */
  emit(name: FormEventName, detail: Record<string, unknown>): void;
  /** Attribution, page and locale at submit time. */
  context(): LeadContext;
  search?: URLSearchParams;
  cookies?: string;
  /** After success, when `success.redirect` is set. @default location.assign */
  navigate?(url: string): void;
}

export interface Step {
  title?: string;
  fields: FieldConfig[];
}

export type FocusTarget = 'summary' | 'heading' | 'success';

export interface FormModel {
  config: FormConfig;
  locale: Locale;
  values: Signal<Record<string, Value>>;
  /** Messages by field name, set by an attempt to move on; typing only ever removes them. */
  errors: Signal<Record<string, string>>;
  /** Steps with at least one shown field, in order. */
  steps: ReadonlySignal<Step[]>;
  /** Index into `steps`. */
  stepIndex: Signal<number>;
  status: Signal<Status>;
  /** Text of the polite status region (sending, queued, failed); never validation errors. */
  note: Signal<string>;
  honeypot: Signal<string>;
  /**
   * How many questions of the step are rendered. The first render of an inline form is spread over idle
   * periods a few questions at a time, so it never blocks the page for long; the submit button comes last.
   */
  limit: Signal<number>;
  turnstileToken?: string;
  /** Set by an action, consumed by the view after rendering. */
  focusRequest?: FocusTarget | undefined;
  isShown(f: FieldConfig): boolean;
  setValue(name: string, value: Value): void;
  /** Continue on an intermediate step, send on the last. */
  next(): void;
  back(): void;
  submit(): Promise<void>;
  /** Restarts the fill-time clock (a popup opening). */
  started(): void;
  /** The outbox delivered a lead later (back online): show success if it is the one waiting. */
  delivered(id: string): void;
}

export function createFormModel(config: FormConfig, env: FormEnv): FormModel {
  const { t } = env.locale;
  const byName = new Map(config.fields.map((f) => [f.name, f]));
  const values = signal(
    Object.fromEntries(
      config.fields.map((f) => [
        f.name,
        initialValue(f, env.search ?? new URLSearchParams(), env.cookies ?? ''),
      ]),
    ),
  );
  const errors = signal<Record<string, string>>({});
  const stepIndex = signal(0);
  const status = signal<Status>('idle');
  const note = signal('');
  let leadId = newLeadId();
  let waiting: LeadInput | undefined;
  let startedAt = Date.now();

  const shown = (f: FieldConfig) => isShown(f, values.value, byName);
  const steps = computed(() =>
    (
      config.steps?.map((s) => ({ title: s.title, fields: s.fields.map((n) => byName.get(n)!) })) ?? [
        { fields: config.fields },
      ]
    )
      .map((s) => ({ ...s, fields: s.fields.filter((f) => f.type !== 'hidden') }))
      .filter((s) => s.fields.some(shown)),
  );
  const check = (fields: FieldConfig[]) => {
    const found: Record<string, string> = {};
    for (const f of fields) {
      const message = shown(f) && validateField(f, values.value[f.name], t);
      if (message) found[f.name] = message;
    }
    return Object.keys(found).length ? found : undefined;
  };
  const set = (s: Status, text = '') =>
    batch(() => {
      status.value = s;
      note.value = text;
    });
  const fail = (found: Record<string, string>) => {
    model.focusRequest = 'summary';
    errors.value = found;
  };
  const move = (by: number) => {
    model.focusRequest = 'heading';
    batch(() => {
      errors.value = {};
      stepIndex.value = Math.max(0, Math.min(stepIndex.value, steps.value.length - 1) + by);
    });
  };
  const succeed = (lead: LeadInput) => {
    leadId = newLeadId();
    waiting = undefined;
    model.focusRequest = 'success';
    batch(() => {
      set('done');
      errors.value = {};
    });
    env.emit('success', { lead });
    if (config.success?.redirect) (env.navigate ?? location.assign.bind(location))(config.success.redirect);
  };

  const model: FormModel = {
    config,
    locale: env.locale,
    values,
    errors,
    steps,
    stepIndex,
    status,
    note,
    honeypot: signal(''),
    limit: signal(Number.POSITIVE_INFINITY),
    isShown: shown,

    setValue(name, value) {
      batch(() => {
        values.value = { ...values.value, [name]: value };
        // An error clears once fixed; a new one never appears before the next attempt.
        if (errors.value[name] && !check([byName.get(name)!])) {
          const { [name]: _fixed, ...rest } = errors.value;
          errors.value = rest;
        }
      });
    },

    next() {
      const here = steps.value[Math.min(stepIndex.value, steps.value.length - 1)];
      const found = here && check(here.fields);
      if (found) fail(found);
      else if (stepIndex.value < steps.value.length - 1) move(1);
      else void model.submit();
    },

    back: () => move(-1),

    async submit() {
      if (status.value === 'sending' || status.value === 'done') return;
      // Every step again; the first step with a problem is shown with its summary.
      for (const [i, s] of steps.value.entries()) {
        const found = check(s.fields);
        if (found) {
          stepIndex.value = i;
          return fail(found);
        }
      }
      const lead = buildLead(
        {
          id: leadId,
          formId: config.id,
          fields: config.fields.filter(shown),
          values: values.value,
          honeypot: model.honeypot.value,
          fillMs: Date.now() - startedAt,
          turnstileToken: model.turnstileToken,
        },
        env.context(),
      );
      set('sending', t('sending'));
      env.emit('submit', { lead });
      const outcome = await env.deliver(lead);
      if (outcome.ok) return succeed(lead);
      if (outcome.queued) {
        waiting = lead;
        set('queued', t('queued'));
        return env.emit('error', { lead, queued: true, error: 'unreachable' });
      }
      env.emit('error', { lead, error: outcome.error, issues: outcome.issues });
      // Field problems the server found go back to their step, shown like our own.
      const found: Record<string, string> = {};
      for (const { path, message } of outcome.issues ?? []) {
        const name = /^fields\.([\w-]+)/.exec(path)?.[1];
        if (name && byName.has(name)) found[name] = message;
      }
      const i = steps.value.findIndex((s) => s.fields.some((f) => found[f.name]));
      if (i < 0) return set('failed', t('failed', { error: outcome.error }));
      set('idle');
      stepIndex.value = i;
      fail(found);
    },

    started() {
      startedAt = Date.now();
    },

    delivered(id) {
      if (waiting?.id === id && status.value === 'queued') succeed(waiting);
    },
  };
  return model;
}
