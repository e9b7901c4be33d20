/**
 * Lifecycle stage from the intake stage and the outcomes a CRM reported. Pure, so every store derives the
 * stage the same way and the report can recompute it.
 */
import type { OutcomeStatus, Stage } from './store/types.js';

const STAGE_OF: Record<OutcomeStatus, Stage | undefined> = {
  contacted: undefined,
  qualified: 'sql',
  won: 'customer',
  disqualified: 'disqualified',
  lost: 'lost',
};

interface Outcome {
  status: OutcomeStatus;
  at: number;
}

/** The newest outcome that sets a stage wins (by `at`; a later report of the same time wins ties). */
export function stageOf(intakeStage: Stage, outcomes: readonly Outcome[]): Stage {
  let stage = intakeStage;
  let when = Number.NEGATIVE_INFINITY;
  for (const o of outcomes) {
    const next = STAGE_OF[o.status];
    if (next && o.at >= when) {
      stage = next;
      when = o.at;
    }
  }
  return stage;
}

/** Any outcome means sales reached the person: speed-to-lead ends at the earliest one. */
export function contactedAt(outcomes: readonly Outcome[]): number | null {
  let first: number | null = null;
  for (const o of outcomes) if (first === null || o.at < first) first = o.at;
  return first;
}
