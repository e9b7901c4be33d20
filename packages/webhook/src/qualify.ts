/**
 * Qualification at intake: score and grade (config `scoring`), stage, then the owner (config `owners`),
 * each step seeing what the previous one decided. Without either key there is no qualification; with
 * only `owners` the score is 0 and the grade comes from the default thresholds.
 */
import type { Lead } from '@leadkit/core/lead';
import type { OwnersConfig } from './owners.js';
import { assignOwner } from './owners.js';
import { DEFAULT_GRADES, gradeOf, type ScoringConfig, scoreLead } from './scoring.js';
import type { Qualification, Store } from './store/types.js';
import { buildSubject } from './subject.js';

export interface QualifyConfig {
  scoring?: ScoringConfig | undefined;
  owners?: OwnersConfig | undefined;
}

export async function qualifyLead(
  config: QualifyConfig,
  lead: Lead,
  receivedAt: number,
  options: { store: Pick<Store, 'nextCounter'>; assignOwner: boolean },
): Promise<Qualification | undefined> {
  if (!config.scoring && !config.owners) return undefined;
  const base = buildSubject({ lead, receivedAt });
  const scored = config.scoring
    ? scoreLead(config.scoring, base)
    : { score: 0, grade: gradeOf(0, DEFAULT_GRADES), fired: [], stage: 'lead' as const };
  const qualification: Qualification = { ...scored };
  if (config.owners && options.assignOwner) {
    const subject = buildSubject({
      lead,
      receivedAt,
      score: scored.score,
      grade: scored.grade,
      stage: scored.stage,
    });
    qualification.owner = await assignOwner(config.owners, subject, options.store);
  }
  return qualification;
}
