import { describe, expect, it } from 'vitest';
import { formatReboundError, MAX_SHOWN_ISSUES, ValidationError, type ValidationIssue } from '../../../src/common/errors.js';
import { parseExperiment } from '../../../src/experiments/load-experiment.js';

const VALID = `apiVersion: rebound/v1
kind: Experiment
metadata: { name: web-survives }
system:
  selector: { app: web }
  url: http://127.0.0.1:8080/
probe: { rate: 200/s }
faults:
  - crash: { count: 1 }
    at: 10s
assertions:
  - recoveryTime: { max: 15s }
  - replicas: { ready: ">= 3", within: 20s }
  - traffic: { successRate: ">= 99%", maxOutage: 2s, p99: "<= 3x baseline" }
`;

function issuesOf(text: string): ValidationIssue[] {
  try {
    parseExperiment(text, 'x.yaml');
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseExperiment', () => {
  it('turns a valid file into a normalised experiment', () => {
    const experiment = parseExperiment(VALID);
    expect(experiment.faults[0]).toEqual({ name: 'crash', params: { count: 1, pick: 'random' }, at: 10_000, repeat: 1, interval: 0 });
    expect(experiment.probe).toEqual({ rate: 200, timeout: 1000 });
    expect(experiment.assertions.map((assertion) => assertion.name)).toEqual(['recoveryTime', 'replicas', 'traffic']);
    expect(experiment.assertions[2]!.params).toMatchObject({ successRate: { op: '>=', value: 0.99 }, maxOutage: 2000, p99: { kind: 'relative', factor: 3 } });
    expect(experiment.safety.optInLabel).toBe(true);
    expect(experiment.settle).toBe(2000);
  });

  it('locates an unknown fault and suggests the near name', () => {
    const [issue] = issuesOf(VALID.replace('- crash:', '- crsh:'));
    expect(issue).toMatchObject({ file: 'x.yaml', line: 9, column: 5, path: 'faults[0].crsh', suggestion: 'did you mean `crash`?' });
  });

  it('reports wrong types with expected and received', () => {
    const [issue] = issuesOf(VALID.replace('{ count: 1 }', '{ count: "one" }'));
    expect(issue).toMatchObject({ line: 9, path: 'faults[0].crash.count', expected: 'number', received: '"one"' });
  });

  it('reports missing required fields at their parent', () => {
    const issues = issuesOf(VALID.replace('kind: Experiment\n', ''));
    expect(issues[0]).toMatchObject({ path: 'kind', message: 'missing required field `kind`', line: 1 });
  });

  it('suggests enum values', () => {
    const [issue] = issuesOf(VALID.replace('{ count: 1 }', '{ count: 1, pick: oldst }'));
    expect(issue).toMatchObject({ path: 'faults[0].crash.pick', suggestion: 'did you mean "oldest"?' });
  });

  it('rejects bad YAML with a position', () => {
    const [issue] = issuesOf('apiVersion: rebound/v1\nkind: [Experiment\n');
    expect(issue!.message).toMatch(/^YAML:/);
    expect(issue!.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses traffic to anything but loopback', () => {
    const [issue] = issuesOf(VALID.replace('http://127.0.0.1:8080/', 'http://10.0.0.5:8080/'));
    expect(issue).toMatchObject({ path: 'system.url', line: 6 });
    expect(issue!.message).toMatch(/loopback/);
  });

  it('caps YAML alias expansion (billion laughs)', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level++) bomb.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(9).fill(`*${String.fromCharCode(96 + level)}`).join(',')}]`);
    const [issue] = issuesOf(bomb.join('\n'));
    expect(issue!.message).toMatch(/YAML/);
  });

  it('a rollout must say what the new release changes; its parameters are located', () => {
    const rollout = (fault: string) => VALID.replace('- crash: { count: 1 }', `- rollout: ${fault}`);
    expect(parseExperiment(rollout('{ to: { env: { VERSION: v2 } }, duration: 9s }')).faults[0]).toMatchObject({ name: 'rollout', params: { to: { env: { VERSION: 'v2' } }, duration: 9000, stopTimeout: 10_000 } });
    expect(issuesOf(rollout('{ to: {} }'))[0]).toMatchObject({ line: 9, path: 'faults[0].rollout.to', message: expect.stringMatching(/say what the new release changes/) });
    expect(issuesOf(rollout('{ to: { env: { 1X: v2 } } }'))[0]).toMatchObject({ path: expect.stringMatching(/^faults\[0\]\.rollout\.to\.env/) });
    expect(issuesOf(rollout('{ to: { image: app:v2 }, maxSurge: lots }'))[0]).toMatchObject({ path: 'faults[0].rollout.maxSurge' });
  });

  it('needs exactly one fault per entry', () => {
    const [issue] = issuesOf(VALID.replace('  - crash: { count: 1 }\n', '  - crash: { count: 1 }\n    kill: {}\n'));
    expect(issue!.message).toMatch(/one fault per entry/);
  });

  it('checks load profiles for the fields they need', () => {
    const [issue] = issuesOf(`${VALID}load: { profile: spike, rate: 50/s, duration: 30s }\n`);
    expect(issue!.path).toBe('load.peak');
  });

  it('shows the first 20 problems and counts the rest', () => {
    // 100 faults (the most allowed) with 3 wrong fields each, and 34 wrong assertions: 334 problems.
    const faults = Array.from({ length: 100 }, () => '  - { crash: { count: "one" }, at: soon, repeat: twice }').join('\n');
    const assertions = Array.from({ length: 34 }, () => '  - recoveryTime: { max: long }').join('\n');
    const error = errorOf(VALID.replace(/faults:\n[^]*$/, `faults:\n${faults}\nassertions:\n${assertions}\n`));
    expect(error.issues).toHaveLength(MAX_SHOWN_ISSUES);
    expect(error.omitted).toBe(314);
    expect(formatReboundError(error).trimEnd().split('\n').at(-1)).toBe('… and 314 more problems not shown: fix these first');
  });

  it('escapes control characters and cuts every echoed piece of input', () => {
    const key = `k\u009b31m${'x'.repeat(1000)}`; // YAML allows implicit keys of 1,024 characters
    const value = `\u007f\u0085${'v'.repeat(5000)}`;
    const error = errorOf(`${VALID}metadata2: 1\n"${key}": 1\n`.replace('{ name: web-survives }', `{ name: "${value}" }`));
    const text = formatReboundError(error);
    expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
    expect(text).toContain('\\u009b31m');
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThan(400);
    const unknown = error.issues.find((issue) => issue.message.startsWith('unknown field'))!;
    expect(unknown.message).toBe(`unknown field \`metadata2\` (and \`k\\u009b31m${'x'.repeat(70)}…\`)`);
  });

  it('refuses deep nesting before composing it, located, in the style of the other limits', () => {
    const started = performance.now();
    const [issue, ...rest] = issuesOf(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(performance.now() - started).toBeLessThan(200);
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ line: 1, column: 65, message: 'nested more than 64 levels deep: this is not an experiment file' });
    const [block] = issuesOf(`${VALID}deploy:\n${Array.from({ length: 70 }, (_, level) => `${'  '.repeat(level + 1)}k${level}:`).join('\n')}\n`);
    expect(block).toMatchObject({ message: expect.stringMatching(/^nested more than 64 levels/), line: 19 + 60 });
  });
});

function errorOf(text: string): ValidationError {
  try {
    parseExperiment(text, 'x.yaml');
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}
