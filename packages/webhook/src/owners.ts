/**
 * Owner assignment (config `owners`): the first rule whose condition holds names the rep, or a list of
 * reps to rotate through; otherwise every rep in turn. The turn comes from a store counter, so several
 * server processes share one fair rotation.
 */
import { z } from 'zod';
import { type Condition, ConditionSchema, evaluate, pathsOf } from './conditions.js';
import type { Owner, Store } from './store/types.js';
import type { Subject } from './subject.js';

/** A UPN (name@domain) or an Entra object id (a GUID): the user ids a Teams card mention accepts. */
const TEAMS_USER_ID =
  /^(?:[^\s@<>"]{1,113}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export const RepSchema = z.strictObject({
  /** Unique; rules assign by it, and chat messages show it where the rep has no id for that tool. */
  name: z.string().min(1).max(100),
  email: z.email().optional(),
  /** Slack member id (U… or W…): the Slack message mentions the rep. */
  slack: z
    .string()
    .regex(
      /^[UW][A-Z0-9]{2,20}$/,
      'must be a Slack member id such as U024BE7LH (profile → ⋮ → Copy member ID)',
    )
    .optional(),
  /**
   * Teams: the rep's sign-in name (UPN) or Entra object id, so the Teams card mentions them. Not taken
   * from `email`: by convention a UPN is the mail address, but an admin can set it to anything else.
   */
  teams: z
    .string()
    .regex(
      TEAMS_USER_ID,
      'must be the rep’s Teams sign-in name (UPN, e.g. grace@contoso.com) or Entra object id (e.g. 87d349ed-44d7-43e1-9a83-5f2406dee5bd; Entra admin center → Users → the rep → Object ID)',
    )
    .optional(),
  /** Discord user id (a snowflake): the Discord message pings the rep. */
  discord: z
    .string()
    .regex(
      /^\d{17,20}$/,
      'must be a Discord user id, 17 to 20 digits (Developer Mode on, then right-click the user → Copy User ID)',
    )
    .optional(),
  /** The rep's id in the CRM (e.g. HubSpot owner id), for field maps as `owner.id`. */
  id: z.string().min(1).max(100).optional(),
});

export const OwnerRuleSchema = z.strictObject({
  when: ConditionSchema,
  /** A rep's name, or several to rotate through. */
  assign: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(100)]),
});

export const OwnersSchema = z
  .strictObject({
    reps: z.array(RepSchema).min(1, 'needs at least one rep').max(500),
    rules: z.array(OwnerRuleSchema).max(200).default([]),
    /** What happens when no rule matches; round-robin over every rep is the only kind for now. */
    fallback: z.literal('round-robin').default('round-robin'),
  })
  .superRefine((o, ctx) => {
    const names = new Set<string>();
    o.reps.forEach((r, i) => {
      if (names.has(r.name)) {
        ctx.addIssue({ code: 'custom', path: ['reps', i, 'name'], message: `"${r.name}" is used twice` });
      }
      names.add(r.name);
    });
    o.rules.forEach((rule, i) => {
      const assigned = typeof rule.assign === 'string' ? [rule.assign] : rule.assign;
      for (const name of assigned) {
        if (!names.has(name)) {
          ctx.addIssue({
            code: 'custom',
            path: ['rules', i, 'assign'],
            message: `"${name}" is not a rep; use one of ${[...names].join(', ')}`,
          });
        }
      }
      if (pathsOf(rule.when).includes('owner')) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'when'],
          message: 'an owner rule cannot use owner: it is what the rule decides',
        });
      }
    });
  });
export type OwnersConfig = z.output<typeof OwnersSchema>;

function toOwner(rep: OwnersConfig['reps'][number]): Owner {
  const owner: Owner = { name: rep.name };
  if (rep.email) owner.email = rep.email;
  if (rep.slack) owner.slack = rep.slack;
  if (rep.teams) owner.teams = rep.teams;
  if (rep.discord) owner.discord = rep.discord;
  if (rep.id) owner.id = rep.id;
  return owner;
}

/** The pool a lead is assigned from: the first matching rule's reps, else all of them. */
export function ownerPool(config: OwnersConfig, subject: Subject): { key: string; reps: string[] } {
  const rule = config.rules.find((r) => evaluate(r.when as Condition, subject));
  if (!rule) return { key: '*', reps: config.reps.map((r) => r.name) };
  const reps = typeof rule.assign === 'string' ? [rule.assign] : rule.assign;
  return { key: reps.join(','), reps };
}

/** A round-robin pool: the store's `counter` gives the turn, and turn n is `reps[(n - 1) % reps.length]`. */
export interface Rotation {
  counter: string;
  reps: readonly Owner[];
}

/**
 * The owner a lead gets without taking a turn: the rep when the pool has one (so the counter is never
 * touched and other pools' rotations stay as they are), else the rotation whose next turn decides.
 */
export function decideOwner(
  config: OwnersConfig,
  subject: Subject,
): { owner: Owner } | { rotation: Rotation } {
  const pool = ownerPool(config, subject);
  const reps = pool.reps.map((name) => toOwner(config.reps.find((r) => r.name === name)!));
  if (reps.length === 1) return { owner: reps[0]! };
  return { rotation: { counter: `owners:${pool.key}`, reps } };
}

export function ownerOfTurn(rotation: Rotation, turn: number): Owner {
  return rotation.reps[(turn - 1) % rotation.reps.length]!;
}

/**
 * Assigns an owner, taking the turn from the store at once. Intake does not use this: it lets the store
 * take the turn in the transaction that saves the lead (`NewLead.turn`), so a failed save spends none.
 */
export async function assignOwner(
  config: OwnersConfig,
  subject: Subject,
  store: Pick<Store, 'nextCounter'>,
): Promise<Owner> {
  const decided = decideOwner(config, subject);
  if ('owner' in decided) return decided.owner;
  return ownerOfTurn(decided.rotation, await store.nextCounter(decided.rotation.counter));
}
