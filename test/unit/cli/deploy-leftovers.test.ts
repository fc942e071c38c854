import { describe, expect, it } from 'vitest';
import { deployLeftovers } from '../../../src/cli/deploy-leftovers.js';
import type { JournalState } from '../../../src/safety/journal.js';
import type { Target, TargetKind } from '../../../src/targets/target.js';

const journal = (runId: string, started: Partial<NonNullable<JournalState['started']>>, ended = false): JournalState => ({
  runId,
  file: `/state/journal/${runId}.jsonl`,
  ended,
  faults: [],
  pending: [],
  started: { type: 'run-started', runId, pid: 1, experiment: 'web', target: 'docker', at: '2025-01-01T00:00:00Z', ...started },
});

const target = (found: string[]) => ({ findDeployment: async () => ({ found, lookedFor: 'container labelled rebound.dev/deploy=web' }) }) as unknown as Target;

describe('deploy leftovers for rebound recover', () => {
  it('names a deploy a killed run left, once, with the teardown command', async () => {
    const asked: TargetKind[] = [];
    const lines = await deployLeftovers(
      [
        journal('r1', { file: `${process.cwd()}/experiments/web.yaml`, deploy: { name: 'web' } }),
        journal('r2', { file: `${process.cwd()}/experiments/web.yaml`, deploy: { name: 'web' } }),
        journal('r3', { deploy: { name: 'web' } }, true),
        journal('r4', {}),
      ],
      async (kind) => (asked.push(kind), target(['web-0', 'web-1'])),
    );
    expect(lines).toEqual(['the deploy of web is still on docker (run r1 never ended): web-0, web-1; rebound teardown experiments/web.yaml --target docker removes it']);
    expect(asked).toEqual(['docker']);
  });

  it('says nothing once the deploy is gone, and why it could not look when the engine does not answer', async () => {
    expect(await deployLeftovers([journal('r1', { deploy: { name: 'web' } })], async () => target([]))).toEqual([]);
    const lines = await deployLeftovers([journal('r1', { deploy: { name: 'web' }, target: 'kubernetes' }), journal('r2', { deploy: { name: 'api' }, target: 'kubernetes' })], async () => {
      throw new Error('the Kubernetes API does not answer');
    });
    expect(lines).toEqual(['could not look for deploys left on kubernetes: the Kubernetes API does not answer']);
  });
});
