/** The adapter's log entries as one short line each, for a person watching the demo's terminal. */

const VERBS = {
  ok: 'delivered to',
  retry: 'not yet delivered to',
  dead: 'gave up on',
  failed: 'refused by',
};

const time = () => new Date().toTimeString().slice(0, 8);

/** @param {(line: string) => void} write */
export function demoLogger(write = (line) => console.log(line)) {
  /** @param {{ event: string, level?: string, [key: string]: unknown }} e */
  return (e) => {
    if (e.event === 'intake') {
      const what = e.outcome === 'accepted' ? 'stored' : e.outcome;
      const detail = e.message ? `: ${e.message}` : '';
      write(
        `${time()}  ← lead ${e.id ?? '(no id)'} from form "${e.formId ?? '?'}" ${what} (${e.status})${detail}`,
      );
    } else if (e.event === 'attempt') {
      const status = e.status ? `${e.status}, ` : '';
      const reason = e.reason ? `: ${e.reason}` : '';
      const verb = VERBS[e.outcome] ?? e.outcome;
      const next = e.nextAt ? `, next try ${e.nextAt}` : '';
      write(
        `${time()}  → ${e.leadId} ${verb} ${e.destination} (${status}attempt ${e.attempt}, ${e.ms} ms${next})${reason}`,
      );
    } else if (e.level === 'error' || e.level === 'warn') {
      write(`${time()}  ! ${e.event}: ${e.message ?? JSON.stringify(e)}`);
    }
  };
}
