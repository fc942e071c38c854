import { describe, expect, it } from 'vitest';
import { ambiguousComposeProjects, matchesSelector } from '../../../../src/targets/docker/container-facts.js';

const compose = (project: string, service: string) => ({ 'com.docker.compose.project': project, 'com.docker.compose.service': service });

describe('Compose service and project in the Docker selector', () => {
  it('matches the service in any project, or in the named project only', () => {
    expect(matchesSelector({ labels: {}, service: 'web' }, compose('shop', 'web'), 'shop-web-1')).toBe(true);
    expect(matchesSelector({ labels: {}, service: 'web' }, compose('blog', 'web'), 'blog-web-1')).toBe(true);
    expect(matchesSelector({ labels: {}, service: 'web', project: 'shop' }, compose('blog', 'web'), 'blog-web-1')).toBe(false);
    expect(matchesSelector({ labels: {}, service: 'web', project: 'shop' }, compose('shop', 'web'), 'shop-web-1')).toBe(true);
    expect(matchesSelector({ labels: {}, project: 'shop' }, compose('shop', 'db'), 'shop-db-1')).toBe(true);
  });

  it('calls a service of more than one project ambiguous, with each project\'s containers; never with a project named', () => {
    const containers = [
      { name: 'shop-web-2', labels: compose('shop', 'web') },
      { name: 'blog-web-1', labels: compose('blog', 'web') },
      { name: 'shop-web-1', labels: compose('shop', 'web') },
    ];
    expect(ambiguousComposeProjects({ labels: {}, service: 'web' }, containers)).toEqual(
      new Map([
        ['shop', ['shop-web-2', 'shop-web-1']],
        ['blog', ['blog-web-1']],
      ]),
    );
    expect(ambiguousComposeProjects({ labels: {}, service: 'web', project: 'shop' }, containers)).toBeUndefined();
    expect(ambiguousComposeProjects({ labels: {}, service: 'web' }, containers.filter((container) => container.name.startsWith('shop')))).toBeUndefined();
    // Without system.service the selection is by labels, which say exactly what they mean.
    expect(ambiguousComposeProjects({ labels: { app: 'web' } }, containers)).toBeUndefined();
  });

  it('counts a matched container without a project label as a project of its own', () => {
    const containers = [
      { name: 'shop-web-1', labels: compose('shop', 'web') },
      { name: 'hand-made', labels: { 'com.docker.compose.service': 'web' } },
    ];
    expect([...(ambiguousComposeProjects({ labels: {}, service: 'web' }, containers)?.keys() ?? [])]).toEqual(['shop', '(no Compose project)']);
  });
});
