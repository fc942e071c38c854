import { formatMemory } from '../../common/resource-quantity.js';

/**
 * runc's refusal of a memory limit below what the cgroup uses ("unable to set memory limit to N
 * (current usage: U, peak usage: P)"), as Docker's update and the kubelet's resize both report it,
 * in words; undefined for another message. The kernel returns EBUSY when it cannot reclaim down to
 * the new limit, and anonymous memory without swap cannot be reclaimed.
 */
export function belowUsageRefusal(message: string): string | undefined {
  const match = /unable to set memory limit to (\d+) \(current usage: (\d+)/.exec(message);
  if (!match) return undefined;
  return `the kernel cannot take a cgroup's memory limit below what it uses (${formatMemory(Number(match[2]))} in use, ${formatMemory(Number(match[1]))} asked; anonymous memory without swap cannot be reclaimed)`;
}
