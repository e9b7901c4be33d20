/**
 * Lead scoring (config `scoring`): points from rules on fields, address type, channel, campaign and the
 * journey; a grade from score thresholds; `mql` once the score reaches `mqlThreshold`.
 */
import { z } from 'zod';
import { type Condition, ConditionSchema, describeCondition, evaluate, pathsOf } from './conditions.js';
import type { Subject } from './subject.js';

// Decided by scoring or later steps, so a scoring rule cannot read them.
const NOT_YET_KNOWN = ['score', 'grade', 'stage', 'owner'];

export const ScoringRuleSchema = z.strictObject({
  /** Shown in the fired list; defaults to the condition written out. */
  name: z.string().min(1).max(100).optional(),
  when: ConditionSchema,
  /** Negative points are allowed (e.g. -20 for a free-mail address). */
  points: z.number().int().min(-1000).max(1000),
});

export const DEFAULT_GRADES = { A: 80, B: 50, C: 20 } as const;
const LOWEST_GRADE = 'D';

export const ScoringSchema = z
  .strictObject({
    rules: z.array(ScoringRuleSchema).max(200).default([]),
    /** A score at or above this makes the lead an MQL. */
    mqlThreshold: z.number().int().default(50),
    /** Grade → lowest score for it; below all of them the grade is D. */
    grades: z
      .record(
        z.string().regex(/^[A-Za-z0-9+-]{1,8}$/, 'must be a short grade name such as A or B+'),
        z.number().int(),
      )
      .default({ ...DEFAULT_GRADES }),
  })
  .superRefine((s, ctx) => {
    s.rules.forEach((rule, i) => {
      const early = pathsOf(rule.when).filter((p) => NOT_YET_KNOWN.includes(p));
      if (early.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'when'],
          message: `a scoring rule cannot use ${early.join(', ')}: it is decided after scoring; use it in owners.rules or a destination's "when"`,
        });
      }
    });
  });
export type ScoringConfig = z.output<typeof ScoringSchema>;

export interface ScoreResult {
  score: number;
  grade: string;
  fired: { rule: string; points: number }[];
  stage: 'lead' | 'mql';
}

/** The grade whose threshold is the highest one the score reaches. */
export function gradeOf(score: number, grades: Readonly<Record<string, number>>): string {
  let best: [string, number] | undefined;
  for (const [grade, min] of Object.entries(grades)) {
    if (score >= min && (best === undefined || min > best[1])) best = [grade, min];
  }
  return best?.[0] ?? LOWEST_GRADE;
}

const ruleName = (rule: { name?: string | undefined; when: Condition }) =>
  rule.name ?? describeCondition(rule.when);

export function scoreLead(config: ScoringConfig, subject: Subject): ScoreResult {
  const fired: ScoreResult['fired'] = [];
  let score = 0;
  for (const rule of config.rules) {
    if (!evaluate(rule.when, subject)) continue;
    score += rule.points;
    fired.push({ rule: ruleName(rule), points: rule.points });
  }
  return {
    score,
    grade: gradeOf(score, config.grades),
    fired,
    stage: score >= config.mqlThreshold ? 'mql' : 'lead',
  };
}
