import net from 'node:net';

/**
 * Addresses an attachment download must never connect to: private, loopback, link-local (incl. the cloud
 * metadata endpoint 169.254.169.254), unique-local, CGNAT, multicast and reserved ranges, also when written as
 * IPv4-mapped or NAT64 IPv6. Loopback can be allowed explicitly (local sample server in tests and --demo).
 */
const blocked = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
  ['::', 128],
  ['fe80::', 10],
  ['fc00::', 7],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['100::', 64],
] as const) {
  blocked.addSubnet(prefix, bits, 'ipv6');
}
const loopback = new net.BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** An IPv4 address embedded in an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::/96) IPv6 address. */
function embeddedIpv4(address: string): string | undefined {
  const m = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address);
  if (!m) return undefined;
  if (m[1]) return m[1];
  const hi = parseInt(m[2], 16);
  const lo = parseInt(m[3], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Why `address` may not be connected to, or undefined when it is a public address. */
export function blockedReason(address: string, opts: { allowLoopback: boolean }): string | undefined {
  const family = net.isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  const v4 = family === 6 ? embeddedIpv4(address) : undefined;
  if (v4) return blockedReason(v4, opts);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (loopback.check(address, type)) return opts.allowLoopback ? undefined : `${address} is a loopback address`;
  if (blocked.check(address, type)) return `${address} is a private, link-local or reserved address`;
  return undefined;
}
