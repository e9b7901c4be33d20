/**
 * Qualification at intake: score and grade (config `scoring`), stage, then the owner (config `owners`),
 * each step seeing what the previous one decided. Without either key there is no qualification; with
 * only `owners` the score is 0 and the grade comes from the default thresholds.
 */
import type { Lead } from '@leadkit/core/lead';
import type { OwnersConfig } from './owners.js';
import { decideOwner, ownerOfTurn, type Rotation } from './owners.js';
import { DEFAULT_GRADES, gradeOf, type ScoringConfig, scoreLead } from './scoring.js';
import type { Qualification, Store } from './store/types.js';
import { buildSubject } from './subject.js';

export interface QualifyConfig {
  scoring?: ScoringConfig | undefined;
  owners?: OwnersConfig | undefined;
}

/**
 * Qualifies a lead without taking a round-robin turn: the qualification (with its owner when no turn is
 * needed) and, when one is, the rotation whose turn the store takes as it saves the lead (`NewLead.turn`).
 */
export function planQualification(
  config: QualifyConfig,
  lead: Lead,
  receivedAt: number,
  options: { assignOwner: boolean },
): { qualification: Qualification; rotation?: Rotation | undefined } | undefined {
  if (!config.scoring && !config.owners) return undefined;
  const base = buildSubject({ lead, receivedAt });
  const scored = config.scoring
    ? scoreLead(config.scoring, base)
    : { score: 0, grade: gradeOf(0, DEFAULT_GRADES), fired: [], stage: 'lead' as const };
  const qualification: Qualification = { ...scored };
  if (!config.owners || !options.assignOwner) return { qualification };
  const subject = buildSubject({
    lead,
    receivedAt,
    score: scored.score,
    grade: scored.grade,
    stage: scored.stage,
  });
  const decided = decideOwner(config.owners, subject);
  if ('rotation' in decided) return { qualification, rotation: decided.rotation };
  qualification.owner = decided.owner;
  return { qualification };
}

/** Qualifies a lead, taking the owner's turn (if any) from the store at once, outside any save. */
export async function qualifyLead(
  config: QualifyConfig,
  lead: Lead,
  receivedAt: number,
  options: { store: Pick<Store, 'nextCounter'>; assignOwner: boolean },
): Promise<Qualification | undefined> {
  const plan = planQualification(config, lead, receivedAt, options);
  if (!plan?.rotation) return plan?.qualification;
  const turn = await options.store.nextCounter(plan.rotation.counter);
  return { ...plan.qualification, owner: ownerOfTurn(plan.rotation, turn) };
}
