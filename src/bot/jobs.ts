/** Work ingress hands to the worker after acking Slack: each names who asked and where to answer. */
export type BotJob = QuestionJob | DecisionJob | ReportJob | MemoryJob | ForgetJob | WhyJob;

interface FromUser {
  /**
   * Slack's id for the delivery that made this job (the event id, or the trigger id of a click,
   * submission or command): what a queue deduplicates on (SQS FIFO's MessageDeduplicationId).
   */
  readonly deliveryId: string;
  readonly teamId: string;
  readonly userId: string;
  readonly channelId: string;
}

/** An @mention or a direct message. */
export interface QuestionJob extends FromUser {
  readonly kind: 'question';
  readonly ts: string;
  readonly threadTs?: string;
  readonly text: string;
  readonly direct: boolean;
}

/** Approve / Reject on an escalated match (Reject with the modal's reason). */
export interface DecisionJob extends FromUser {
  readonly kind: 'decision';
  readonly matchId: string;
  readonly decision: 'APPROVE' | 'REJECT';
  readonly reason?: string;
  /** The alert message to update. */
  readonly messageTs: string;
  readonly responseUrl?: string;
}

/** `/settle-report [date] [desk] [public]`. */
export interface ReportJob extends FromUser {
  readonly kind: 'report';
  readonly args: string;
  readonly responseUrl: string;
}

/** `/settle-memory`. */
export interface MemoryJob extends FromUser {
  readonly kind: 'memory';
  readonly responseUrl: string;
}

/** Forget / Forget all on the memory view. */
export interface ForgetJob extends FromUser {
  readonly kind: 'forget';
  readonly factId?: string;
  readonly all: boolean;
  readonly responseUrl: string;
}

/** Why? on an answer: its trace, to the asker only. */
export interface WhyJob extends FromUser {
  readonly kind: 'why';
  readonly traceId: string;
  readonly responseUrl: string;
}
