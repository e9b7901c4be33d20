import type { Catalogue } from './en.js';

/** French. `many` is French's plural category for large round numbers (1 000 000). */
export const fr: Catalogue = {
  errorSummary: 'Il y a un problème',
  errorPrefix: 'Erreur :',
  optional: '(facultatif)',
  requiredNote: 'Les champs obligatoires sont marqués d’un astérisque (*)',
  enter: 'Saisissez {label}',
  choose: 'Sélectionnez {label}',
  agree: 'Cochez la case pour accepter : {Label}',
  email: 'Saisissez une adresse e-mail au bon format, par exemple nom@example.com',
  tel: 'Saisissez un numéro de téléphone au bon format, par exemple +33 1 23 45 67 89',
  url: 'Saisissez une adresse de site web au bon format, par exemple example.com',
  number: '{Label} doit être un nombre',
  min: '{Label} doit être supérieur ou égal à {n}',
  max: '{Label} doit être inférieur ou égal à {n}',
  tooShort: {
    one: '{Label} doit comporter au moins {n} caractère',
    other: '{Label} doit comporter au moins {n} caractères',
  },
  tooLong: {
    one: '{Label} doit comporter au plus {n} caractère',
    other: '{Label} doit comporter au plus {n} caractères',
  },
  pattern: 'Saisissez {label} au bon format',
  continue: 'Continuer',
  back: 'Retour',
  submit: 'Envoyer',
  close: 'Fermer',
  sending: 'Envoi en cours…',
  successTitle: 'Merci',
  successBody: 'Nous avons bien reçu vos informations.',
  failed: 'Vos informations n’ont pas pu être envoyées : {error}. Vérifiez vos réponses et réessayez.',
  queued:
    'Enregistré sur cet appareil. Le serveur est injoignable : nous enverrons vos informations dès que vous serez de nouveau en ligne.',
  retry: 'Réessayer l’envoi',
  step: 'Étape {n} sur {total}',
  launcher: 'Nous contacter',
  honeypot: 'Laissez ce champ vide',
  newTab: '(s’ouvre dans un nouvel onglet)',
};
