// A connection per second; most of them closed again (unlike a leak); at most half kept idle,
// whereas a working pool keeps most of its connections idle between queries.
export const CHURN_OPENED_PER_MINUTE = 60;
export const CHURN_CLOSED_PERCENT_OF_OPENED = 80;
export const CHURN_MAX_IDLE_PERCENT = 50;

export interface ChurnInput {
  openedPerMinute: number;
  closedPerMinute: number;
  /** Idle connections; undefined when the running transactions could not be read. */
  idle: number | undefined;
  total: number;
}

/** HighChurn: connections opened and closed again at a high rate with few idle ones kept. */
export function churnVerdict(input: ChurnInput): { highChurn: boolean; message: string } {
  const { openedPerMinute, closedPerMinute, idle, total } = input;
  const idleText = idle === undefined ? 'idle unknown' : `${idle} of ${total} idle`;
  const figures = `opened ${openedPerMinute}/min, closed ${closedPerMinute}/min, ${idleText}`;
  if (openedPerMinute < CHURN_OPENED_PER_MINUTE) {
    return { highChurn: false, message: `${figures}: below ${CHURN_OPENED_PER_MINUTE} opened/min` };
  }
  if (closedPerMinute * 100 < CHURN_CLOSED_PERCENT_OF_OPENED * openedPerMinute) {
    return { highChurn: false, message: `${figures}: fewer than ${CHURN_CLOSED_PERCENT_OF_OPENED} % of opened are closed again` };
  }
  if (idle !== undefined && idle * 100 > CHURN_MAX_IDLE_PERCENT * total) {
    return { highChurn: false, message: `${figures}: more than ${CHURN_MAX_IDLE_PERCENT} % kept idle, as a pool does` };
  }
  return { highChurn: true, message: `${figures}: connections are opened and closed again instead of reused from a pool` };
}
