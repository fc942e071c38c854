import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNetnsInventory, reboundLeftovers, refusalReasons } from '../../../../src/targets/fault-tools/index.js';

// Captured from a real container on a user-defined Docker network (Docker's DNS rules in nat),
// after adding a foreign tbf root qdisc, rebound's ingress ifb, a chain of rebound's, a foreign
// REDIRECT (nft) and a foreign DNAT (iptables-legacy).
const captured = readFileSync(new URL('./fixtures/netns-inventory-docker.txt', import.meta.url), 'utf8');

describe('network namespace inventory', () => {
  const inventory = parseNetnsInventory(captured);

  it('finds rebound\'s chains, qdiscs and ifb', () => {
    expect(inventory.reboundChains).toEqual([{ backend: 'nft', table: 'filter', chain: 'REBOUND-abc' }]);
    expect(inventory.reboundIfb).toBe(true);
    expect(inventory.reboundIngress).toEqual(['eth0']);
    expect(reboundLeftovers(inventory)).toEqual([
      'iptables chain REBOUND-abc (filter, nft)',
      'tbf qdisc 7262: on rebound-ifb',
      'ingress qdisc on eth0 redirecting to rebound-ifb',
      'ifb device rebound-ifb',
    ]);
  });

  it('finds foreign root qdiscs and redirects in both iptables backends, Docker\'s DNS rules among them', () => {
    expect(inventory.foreignRootQdiscs).toEqual([{ kind: 'tbf', handle: '1:', device: 'eth0', root: true }]);
    expect(inventory.legacyTables).toEqual(['nat']);
    expect(inventory.foreignRedirects.map((rule) => [rule.backend, rule.chain, rule.port])).toEqual([
      ['nft', 'PREROUTING', 8080],
      ['nft', 'DOCKER_OUTPUT', 53],
      ['nft', 'DOCKER_OUTPUT', 53],
      ['legacy', 'PREROUTING', 8081],
    ]);
  });

  it('says why a fault must refuse', () => {
    expect(refusalReasons(inventory, { shapeDevice: 'eth0', shapeDirection: 'egress' })).toEqual(["eth0 already has a root qdisc that is not rebound's (tbf 1:)"]);
    expect(refusalReasons(inventory, { shapeDevice: 'eth0', shapeDirection: 'ingress' })).toEqual(['eth0 is already shaped on ingress by rebound (rebound-ifb): another fault shapes it']);
    expect(refusalReasons(inventory, { redirectPorts: [8080, 8081, 9000] })).toEqual([
      'port 8080 is already redirected by someone else (nft nat/PREROUTING: -A PREROUTING -p tcp -m tcp --dport 8080 -j REDIRECT --to-ports 9999)',
      'port 8081 is already redirected by someone else (legacy nat/PREROUTING: -A PREROUTING -p tcp -m tcp --dport 8081 -j DNAT --to-destination 1.2.3.4:80)',
    ]);
  });

  it('sees nothing in a fresh namespace', () => {
    const fresh = parseNetnsInventory('#rebound:iptables-nft\n#rebound:legacy-tables\n#rebound:iptables-legacy\n#rebound:qdiscs\nqdisc noqueue 0: dev lo root refcnt 2\nqdisc noqueue 0: dev eth0 root refcnt 2\n#rebound:ingress-filters\n#rebound:links\n#rebound:end\n');
    expect(reboundLeftovers(fresh)).toEqual([]);
    expect(refusalReasons(fresh, { shapeDevice: 'eth0', shapeDirection: 'egress', redirectPorts: [8080] })).toEqual([]);
  });

  it('knows the default route\'s device, and ports another rebound fault already proxies', () => {
    const busy = parseNetnsInventory(
      '#rebound:iptables-nft\n*nat\n:PREROUTING ACCEPT [0:0]\n:REBOUND-rb1 - [0:0]\n-A PREROUTING -j REBOUND-rb1\n-A REBOUND-rb1 -p tcp -m tcp --dport 8080 --tcp-flags FIN,SYN,RST,ACK SYN -j REDIRECT --to-ports 17262\nCOMMIT\n' +
        '#rebound:legacy-tables\n#rebound:iptables-legacy\n#rebound:qdiscs\n#rebound:ingress-filters\n#rebound:links\n#rebound:default-route\ndefault via 172.17.0.1 dev eth0 \n#rebound:end\n',
    );
    expect(busy.defaultDevice).toBe('eth0');
    expect(busy.foreignRedirects).toEqual([]);
    expect(refusalReasons(busy, { redirectPorts: [8080] })).toEqual(["port 8080 already goes through rebound's proxy of another fault (REBOUND-rb1)"]);
    expect(refusalReasons(inventory, { shapeDevice: 'eth0', shapeDirection: 'both' })).toHaveLength(2);
  });

  it('refuses to read an inventory that ended early', () => {
    expect(() => parseNetnsInventory('#rebound:iptables-nft\n')).toThrow(/ended early/);
  });
});
