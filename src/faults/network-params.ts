import { z } from 'zod';
import { durationSchema } from '../common/schema-primitives.js';

// Parameters the network faults share. Every network fault acts in the instance's own network
// namespace and ends by itself at its deadline (a helper applies, keeps and removes it), so each one
// needs a `duration`.

/** Every network fault ends by itself: this long after it is applied (at most an hour). */
export const networkDurationSchema = durationSchema
  .refine((ms) => ms >= 100 && ms <= 3_600_000, { message: 'expected a duration between 100ms and 1h' })
  .describe('How long the fault stays; the helper removes it then by itself, even if rebound is killed.');

export const portsSchema = z
  .array(z.int().min(1).max(65_535))
  .min(1)
  .max(15)
  .refine((ports) => new Set(ports).size === ports.length, { message: 'each port once' })
  .optional();

/** ingress: what the instance receives; egress: what it sends. */
export const directionSchema = z.enum(['ingress', 'egress', 'both']);
export type NetworkDirection = z.infer<typeof directionSchema>;

/**
 * A share of packets or connections: 30 or "30%" (0 < p <= 100). Named after what it is a share of
 * (`loss`, `share`, …): `percent` is the instance selection's (34 % of 3 instances is 1).
 */
export const percentSchema = z.union([z.number(), z.string()]).transform((value, context) => {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(String(value));
  const percent = match ? Number(match[1]) : Number.NaN;
  if (!(percent > 0 && percent <= 100)) {
    context.addIssue({ code: 'custom', message: `expected a share such as 30 or "30%" (more than 0, at most 100), got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return percent;
});

// tc's rate units (tc(8) "RATES"): bit, kbit, mbit, gbit (bits per second) and bps, kbps, mbps,
// gbps (bytes per second); k/m/g are powers of 1000 there, "kibit" and friends powers of 1024.
const TC_RATE = /^(\d+(?:\.\d+)?)(bit|kbit|mbit|gbit|kibit|mibit|gibit|bps|kbps|mbps|gbps|kibps|mibps|gibps)$/;
const RATE_FACTORS: Record<string, number> = {
  bit: 1, kbit: 1e3, mbit: 1e6, gbit: 1e9, kibit: 1024, mibit: 1024 ** 2, gibit: 1024 ** 3,
  bps: 8, kbps: 8e3, mbps: 8e6, gbps: 8e9, kibps: 8 * 1024, mibps: 8 * 1024 ** 2, gibps: 8 * 1024 ** 3,
};

/** Bits per second of a tc rate ("1mbit" → 1e6), or undefined when it is not one. */
export function tcRateBits(text: string): number | undefined {
  const match = TC_RATE.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  return Number(match[1]) * RATE_FACTORS[match[2]!]!;
}

/** A tc rate, kept as tc writes it ("1mbit"), 8 kbit/s to 10 gbit/s. */
export const tcRateSchema = z.string().transform((value, context) => {
  const bits = tcRateBits(value);
  if (bits === undefined || bits < 8000 || bits > 1e10) {
    context.addIssue({ code: 'custom', message: `expected a rate such as "1mbit", "500kbit" or "2mbps" (tc units, 8kbit to 10gbit), got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return value.trim().toLowerCase();
});

// tc sizes (tc(8) "SIZES"): b (bytes), kbit, mbit, k/kb (kilobytes), m/mb, or a bare number of bytes.
const TC_SIZE = /^(\d+)(b|kbit|mbit|k|kb|m|mb)?$/;
const SIZE_BYTES: Record<string, number> = { b: 1, kbit: 125, mbit: 125_000, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2 };

export function tcSizeBytes(text: string): number | undefined {
  const match = TC_SIZE.exec(text.trim().toLowerCase());
  return match ? Number(match[1]) * SIZE_BYTES[match[2] ?? 'b']! : undefined;
}

export const tcSizeSchema = z.string().transform((value, context) => {
  const bytes = tcSizeBytes(value);
  if (bytes === undefined || bytes < 1600 || bytes > 64 * 1024 ** 2) {
    context.addIssue({ code: 'custom', message: `expected a size such as "32kbit", "16kb" or "4096" bytes (at least one 1600-byte packet, at most 64mb), got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return value.trim().toLowerCase();
});

/** Other instances, by label, or networks by CIDR: a partition then cuts only the traffic with them. */
export const peersSchema = z
  .strictObject({
    selector: z.record(z.string(), z.string()).optional().describe('Labels of the peer containers / pods (resolved to their addresses when the fault starts).'),
    cidrs: z
      .array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/, 'expected an IPv4 address or CIDR such as "10.0.0.0/8"'))
      .min(1)
      .optional()
      .describe('IPv4 addresses or CIDRs.'),
  })
  .refine((peers) => peers.selector !== undefined || peers.cidrs !== undefined, { message: 'peers needs a selector or cidrs' });
