import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EnvironmentError } from '../../../../../src/common/errors.js';
import { findKind } from '../../../../../src/targets/kubernetes/kind/find-kind.js';
import { kindConfig } from '../../../../../src/targets/kubernetes/kind/kind-config.js';

describe('kind config', () => {
  it('has one control plane publishing 30080-30089 on loopback only, and the workers', () => {
    const config = parse(kindConfig({ nodes: 3, cgroupV1: false })) as { nodes: { role: string; extraPortMappings?: { hostPort: number; listenAddress: string }[] }[]; kubeadmConfigPatches?: string[] };
    expect(config.nodes.map((node) => node.role)).toEqual(['control-plane', 'worker', 'worker']);
    const mappings = config.nodes[0]!.extraPortMappings!;
    expect(mappings.map((mapping) => mapping.hostPort)).toEqual([30080, 30081, 30082, 30083, 30084, 30085, 30086, 30087, 30088, 30089]);
    expect(new Set(mappings.map((mapping) => mapping.listenAddress))).toEqual(new Set(['127.0.0.1']));
    expect(config.kubeadmConfigPatches).toBeUndefined();
    expect(kindConfig({ nodes: 1, cgroupV1: true })).toMatch(/failCgroupV1: false/);
  });
});

describe('findKind', () => {
  it('prefers REBOUND_KIND_BIN, then PATH, else says how to get kind', () => {
    const directory = mkdtempSync(join(tmpdir(), 'rebound-kind-'));
    const kind = join(directory, 'kind');
    writeFileSync(kind, '#!/bin/sh\n');
    chmodSync(kind, 0o755);
    expect(findKind({ REBOUND_KIND_BIN: kind })).toBe(kind);
    expect(findKind({ PATH: `/nonexistent:${directory}` })).toBe(kind);
    expect(() => findKind({ PATH: '/nonexistent' })).toThrow(EnvironmentError);
    expect(() => findKind({ PATH: '/nonexistent' })).toThrow(/kind is not installed/);
    expect(() => findKind({ REBOUND_KIND_BIN: join(directory, 'missing') })).toThrow(/not an executable file/);
  });
});
