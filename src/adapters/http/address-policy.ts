import net from 'node:net';

/**
 * Addresses an attachment download must never connect to (IANA IPv4 and IPv6 special-purpose registries): private,
 * loopback, link-local (incl. the cloud metadata endpoints), shared, documentation, benchmarking, multicast and
 * reserved ranges. IPv6 is allowed only in global unicast (2000::/3) outside its special-purpose blocks; an IPv6
 * address that carries an IPv4 one (mapped, compatible, translated, NAT64 64:ff9b::/96, 6to4) is judged by the
 * IPv4 address. Loopback can be allowed explicitly (local sample server in tests and --demo).
 */
const blockedV4 = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24], // 6to4 relay anycast (deprecated)
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blockedV4.addSubnet(prefix, bits, 'ipv4');
}

/** The only IPv6 block with public addresses today; everything else is reserved, local or special. */
const globalV6 = new net.BlockList();
globalV6.addSubnet('2000::', 3, 'ipv6');
/** Special-purpose blocks inside 2000::/3 (6to4 2002::/16 is judged by its IPv4 address instead). */
const blockedV6 = new net.BlockList();
for (const [prefix, bits] of [
  ['2001::', 23], // IETF protocol assignments: Teredo 2001::/32, benchmarking, ORCHID, AMT, ...
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation
] as const) {
  blockedV6.addSubnet(prefix, bits, 'ipv6');
}

const LOOPBACK_V4 = new net.BlockList();
LOOPBACK_V4.addSubnet('127.0.0.0', 8, 'ipv4');

type Hextets = readonly [number, number, number, number, number, number, number, number];

/**
 * The eight 16-bit groups of a valid IPv6 address (zone id dropped, a dotted IPv4 tail folded in); undefined when
 * `address` does not have eight (not a valid IPv6 address).
 */
function hextets(address: string): Hextets | undefined {
  let s = address.replace(/%.*$/, '');
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (dotted) {
    const [, head = '', a, b, c, d] = dotted;
    s = `${head}${hextet(a, b)}:${hextet(c, d)}`;
  }
  const [head, tail] = s.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  const groups = [...left, ...zeros, ...right].map((h) => parseInt(h, 16));
  return isHextets(groups) ? groups : undefined;
}

const isHextets = (groups: readonly number[]): groups is Hextets => groups.length === 8;

/** Two decimal octets (of a dotted IPv4 tail) as one hex group. */
const hextet = (hi: string | undefined, lo: string | undefined): string =>
  ((Number(hi) << 8) | Number(lo)).toString(16);

const v4Of = (hi: number, lo: number): string => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
const zero = (groups: readonly number[]): boolean => groups.every((g) => g === 0);

/** The IPv4 address an IPv6 address carries in one of the standard embeddings, if any. */
function embeddedIpv4(g: Hextets): string | undefined {
  if (zero(g.slice(0, 5)) && g[5] === 0xffff) return v4Of(g[6], g[7]); // ::ffff:a.b.c.d (mapped)
  if (zero(g.slice(0, 6))) return v4Of(g[6], g[7]); // ::a.b.c.d (compatible; :: and ::1 are handled first)
  if (zero(g.slice(0, 4)) && g[4] === 0xffff && g[5] === 0) return v4Of(g[6], g[7]); // ::ffff:0:a.b.c.d (translated)
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(g.slice(2, 6))) return v4Of(g[6], g[7]); // 64:ff9b::/96 (NAT64)
  if (g[0] === 0x2002) return v4Of(g[1], g[2]); // 6to4
  return undefined;
}

const LOOPBACK = (address: string) => `${address} is a loopback address`;
const RESERVED = (address: string) => `${address} is a private, link-local or reserved address`;

function blockedV4Reason(address: string, shown: string, allowLoopback: boolean): string | undefined {
  if (LOOPBACK_V4.check(address, 'ipv4')) return allowLoopback ? undefined : LOOPBACK(shown);
  return blockedV4.check(address, 'ipv4') ? RESERVED(shown) : undefined;
}

/** Why `address` may not be connected to, or undefined when it is a public address. */
export function blockedReason(address: string, opts: { allowLoopback: boolean }): string | undefined {
  const family = net.isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  if (family === 4) return blockedV4Reason(address, address, opts.allowLoopback);
  const g = hextets(address);
  if (!g) return RESERVED(address); // net.isIP said IPv6: never so, but a check of this kind fails closed
  if (zero(g.slice(0, 7)) && g[7] === 1) return opts.allowLoopback ? undefined : LOOPBACK(address);
  if (zero(g)) return RESERVED(address);
  const v4 = embeddedIpv4(g);
  if (v4) return blockedV4Reason(v4, `${address} (IPv4 ${v4})`, opts.allowLoopback);
  const normal = g.map((h) => h.toString(16)).join(':');
  if (!globalV6.check(normal, 'ipv6') || blockedV6.check(normal, 'ipv6')) return RESERVED(address);
  return undefined;
}
