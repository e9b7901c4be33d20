import type { Catalogue } from './en.js';

/** Spanish. */
export const es: Catalogue = {
  errorSummary: 'Hay un problema',
  errorPrefix: 'Error:',
  optional: '(opcional)',
  requiredNote: 'Los campos obligatorios están marcados con un asterisco (*)',
  enter: 'Introduzca {label}',
  choose: 'Seleccione {label}',
  agree: 'Marque la casilla para aceptar: {Label}',
  email:
    'Introduzca una dirección de correo electrónico con el formato correcto, por ejemplo nombre@example.com',
  tel: 'Introduzca un número de teléfono con el formato correcto, por ejemplo +34 912 345 678',
  url: 'Introduzca una dirección web con el formato correcto, por ejemplo example.com',
  number: '{Label} debe ser un número',
  min: '{Label} debe ser {n} o más',
  max: '{Label} debe ser {n} o menos',
  tooShort: {
    one: '{Label} debe tener al menos {n} carácter',
    other: '{Label} debe tener al menos {n} caracteres',
  },
  tooLong: {
    one: '{Label} debe tener como máximo {n} carácter',
    other: '{Label} debe tener como máximo {n} caracteres',
  },
  pattern: 'Introduzca {label} con el formato correcto',
  continue: 'Continuar',
  back: 'Atrás',
  submit: 'Enviar',
  close: 'Cerrar',
  sending: 'Enviando…',
  successTitle: 'Gracias',
  successBody: 'Hemos recibido sus datos.',
  failed: 'No se han podido enviar sus datos: {error}. Revise sus respuestas e inténtelo de nuevo.',
  queued:
    'Guardado en este dispositivo. No hemos podido conectar con el servidor; enviaremos sus datos cuando vuelva a estar en línea.',
  retry: 'Volver a enviar',
  step: 'Paso {n} de {total}',
  launcher: 'Contacto',
  honeypot: 'Deje este campo vacío',
  newTab: '(se abre en una pestaña nueva)',
};
