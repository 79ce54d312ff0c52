import { describe, expect, it } from 'vitest';
import { createLogger, formatLogLine } from '../../src/logger.ts';

function capture(format: 'json' | 'text', colour = false): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, log: createLogger('info', { format, colour, destination: { write: (line: string) => void lines.push(line) } }) };
}

describe('createLogger with an output', () => {
  it('json: the same JSON entry as the operator writes on stdout, credentials redacted', () => {
    const { lines, log } = capture('json');
    log.child({ neo4jInstance: 'prod-graph' }).info({ credentials: { password: 'hunter2' }, connections: 3 }, 'instance status written');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(entry)).toEqual(['level', 'time', 'component', 'neo4jInstance', 'credentials', 'connections', 'msg']);
    expect(entry).toMatchObject({ level: 30, component: 'boltbudget', neo4jInstance: 'prod-graph', credentials: '[redacted]', connections: 3, msg: 'instance status written' });
  });

  it('text: time, level, message and fields on one line, redacted before formatting', () => {
    const { lines, log } = capture('text');
    log.warn({ password: 'hunter2', budget: 'shop/orders', note: 'two words', figures: { planned: 5 } }, 'budget status written');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}budget status written password=\[redacted\] budget=shop\/orders note="two words" figures=\{"planned":5\}\n$/);
    expect(lines[0]).not.toContain('hunter2');
  });

  it('text: an error as type and message, its stack indented below; colour only when asked', () => {
    const { lines, log } = capture('text', true);
    log.error({ err: new TypeError('bad') }, 'reconcile failed');
    const [head, ...stack] = lines[0]!.trimEnd().split('\n');
    expect(head?.endsWith(' \u001b[31mERROR\u001b[0m reconcile failed err="TypeError: bad"')).toBe(true);
    expect(stack.length).toBeGreaterThan(0);
    expect(stack.every((line) => line.startsWith('    at '))).toBe(true);
  });

  it('text: a line that is not JSON passes through as it is', () => {
    expect(formatLogLine('not json', false)).toBe('not json\n');
  });
});
