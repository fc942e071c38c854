import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAULT_TOOLS_IMAGE, FAULT_TOOLS_TAG } from '../../../../src/targets/fault-tools/index.js';

describe('the fault-tools image name', () => {
  it('uses the tag scripts/kind/versions.sh builds', () => {
    const versions = readFileSync(new URL('../../../../scripts/kind/versions.sh', import.meta.url), 'utf8');
    expect(/^FAULT_TOOLS_TAG=(\S+)$/m.exec(versions)?.[1]).toBe(FAULT_TOOLS_TAG);
    expect(FAULT_TOOLS_IMAGE).toBe(`rebound/fault-tools:${FAULT_TOOLS_TAG}`);
  });
});
