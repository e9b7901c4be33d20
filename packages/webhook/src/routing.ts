/**
 * Destination filters: each destination's optional `when` decides whether a lead goes there, on the same
 * subject as scoring (fields, channel, campaign, score, grade, stage, owner, ...). No `when` = every lead.
 */
import type { Lead } from '@leadkit/core/lead';
import { type Condition, evaluate } from './conditions.js';
import type { Qualification, Stage, StoredLead } from './store/types.js';
import { buildSubject, type Subject } from './subject.js';

interface RoutedDestination {
  name: string;
  when?: Condition | undefined;
}

/** The names of the destinations whose `when` holds for this subject, in config order. */
export function selectDestinations(
  config: { destinations: readonly RoutedDestination[] },
  subject: Subject,
): string[] {
  return config.destinations
    .filter((d) => d.when === undefined || evaluate(d.when, subject))
    .map((d) => d.name);
}

/** The subject of a lead with what the server decided about it. */
export function leadSubject(
  lead: Lead,
  receivedAt: number,
  qualification: Qualification | null | undefined,
  stage: Stage,
): Subject {
  return buildSubject({
    lead,
    receivedAt,
    score: qualification?.score,
    grade: qualification?.grade,
    stage,
    owner: qualification?.owner,
  });
}

/**
 * Destinations a stored lead matches with its current stage, for after an outcome moved it (e.g. `sql`
 * leads to a CRM): the caller adds deliveries for those it has none for (`store.addDeliveries`).
 */
export function routeAfterStageChange(
  config: { destinations: readonly RoutedDestination[] },
  stored: Pick<StoredLead, 'lead' | 'receivedAt' | 'qualification' | 'stage'>,
): string[] {
  return selectDestinations(
    config,
    leadSubject(stored.lead, stored.receivedAt, stored.qualification, stored.stage),
  );
}
