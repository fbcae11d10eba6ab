/**
 * The clock port: the current instant. The one shape every module takes (`now: Clock`); composition
 * roots pass `systemClock`, the demo day a simulated clock, tests a fixed or stepping one. Latency is
 * measured with `performance.now()`, which is a stopwatch, not a clock.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
