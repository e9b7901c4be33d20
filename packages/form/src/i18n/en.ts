/**
 * English built-in strings, written to GOV.UK's error-message rules: say what to do, use the label's words,
 * no "please", "sorry", "invalid" or "required". `{Label}` is the field label as written, `{label}` the same
 * with a lower-case first letter (for mid-sentence use). Entries with `one`/`other` are plural-aware
 * (`Intl.PluralRules`, count in `{n}`).
 */
export const en = {
  errorSummary: 'There is a problem',
  errorPrefix: 'Error:',
  optional: '(optional)',
  requiredNote: 'Required fields are marked with an asterisk (*)',
  enter: 'Enter {label}',
  choose: 'Select {label}',
  agree: 'Select the box to agree: {Label}',
  email: 'Enter an email address in the correct format, like name@example.com',
  tel: 'Enter a phone number in the correct format, like +44 20 7946 0958',
  url: 'Enter a website address in the correct format, like example.com',
  number: '{Label} must be a number',
  min: '{Label} must be {n} or more',
  max: '{Label} must be {n} or less',
  tooShort: { one: '{Label} must be {n} character or more', other: '{Label} must be {n} characters or more' },
  tooLong: { one: '{Label} must be {n} character or less', other: '{Label} must be {n} characters or less' },
  pattern: 'Enter {label} in the correct format',
  continue: 'Continue',
  back: 'Back',
  submit: 'Send',
  close: 'Close',
  sending: 'Sending…',
  successTitle: 'Thank you',
  successBody: 'We have received your details.',
  failed: 'Your details could not be sent: {error}. Check your answers and try again.',
  queued:
    'Saved on this device. We could not reach the server, so we will send your details when you are back online.',
  retry: 'Try sending again',
  step: 'Step {n} of {total}',
  launcher: 'Contact us',
  honeypot: 'Leave this field empty',
  newTab: '(opens in new tab)',
} as const;

export type MessageKey = keyof typeof en;
export type Message = string | (Partial<Record<Intl.LDMLPluralRule, string>> & { other: string });
export type Catalogue = Record<MessageKey, Message>;

/** Every key a config's `messages` may override. */
export const MESSAGE_KEYS = Object.keys(en) as MessageKey[];
