// A recommendation's states and the values its workflow fields may take.
export const RecommendationStatus = {
  Issued: 'issued',
  Planned: 'planned',
  ClosureProposed: 'closure_proposed',
  Closed: 'closed',
} as const;
export type RecommendationStatus = (typeof RecommendationStatus)[keyof typeof RecommendationStatus];
export const ALL_STATUSES: readonly RecommendationStatus[] = Object.values(RecommendationStatus);

export const Outcome = {
  Implemented: 'implemented',
  NotImplemented: 'not_implemented',
  Superseded: 'superseded',
} as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

export const PlanResponse = { Agreed: 'agreed', PartlyAgreed: 'partly_agreed', NotAgreed: 'not_agreed' } as const;
export type PlanResponse = (typeof PlanResponse)[keyof typeof PlanResponse];

export const Rag = { Green: 'green', Amber: 'amber', Red: 'red' } as const;
export type Rag = (typeof Rag)[keyof typeof Rag];
