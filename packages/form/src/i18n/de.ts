import type { Catalogue } from './en.js';

/** German. Nouns keep their capital letter, so templates use `{Label}` throughout. */
export const de: Catalogue = {
  errorSummary: 'Es gibt ein Problem',
  errorPrefix: 'Fehler:',
  optional: '(optional)',
  requiredNote: 'Pflichtfelder sind mit einem Sternchen (*) markiert',
  enter: 'Geben Sie {Label} ein',
  choose: 'Wählen Sie {Label} aus',
  agree: 'Setzen Sie das Häkchen, um zuzustimmen: {Label}',
  email: 'Geben Sie eine E-Mail-Adresse im richtigen Format ein, zum Beispiel name@example.com',
  tel: 'Geben Sie eine Telefonnummer im richtigen Format ein, zum Beispiel +49 30 901820',
  url: 'Geben Sie eine Webadresse im richtigen Format ein, zum Beispiel example.com',
  number: '{Label} muss eine Zahl sein',
  min: '{Label} muss mindestens {n} sein',
  max: '{Label} darf höchstens {n} sein',
  tooShort: '{Label} muss mindestens {n} Zeichen lang sein',
  tooLong: '{Label} darf höchstens {n} Zeichen lang sein',
  pattern: 'Geben Sie {Label} im richtigen Format ein',
  continue: 'Weiter',
  back: 'Zurück',
  submit: 'Senden',
  close: 'Schließen',
  sending: 'Wird gesendet…',
  successTitle: 'Vielen Dank',
  successBody: 'Wir haben Ihre Angaben erhalten.',
  failed:
    'Ihre Angaben konnten nicht gesendet werden: {error}. Prüfen Sie Ihre Antworten und versuchen Sie es erneut.',
  queued:
    'Auf diesem Gerät gespeichert. Der Server ist nicht erreichbar; wir senden Ihre Angaben, sobald Sie wieder online sind.',
  retry: 'Erneut senden',
  step: 'Schritt {n} von {total}',
  launcher: 'Kontakt',
  honeypot: 'Dieses Feld leer lassen',
  newTab: '(öffnet in neuem Tab)',
};
