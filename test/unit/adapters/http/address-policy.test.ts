import assert from 'node:assert/strict';
import { blockedReason } from '../../../../src/adapters/http/address-policy';

/**
 * The SSRF address policy (issue 30 item 9): IPv4 and IPv6 special-purpose ranges (IANA registries) are refused,
 * and an IPv6 address that embeds an IPv4 one (mapped, compatible, translated, NAT64, 6to4) is judged by the IPv4
 * address it carries, in every way it can be written.
 */
const strict = { allowLoopback: false };
const local = { allowLoopback: true };

/** Private, loopback, link-local, shared, documentation, benchmarking, multicast and reserved IPv4 addresses. */
const NON_PUBLIC_V4 = [
  '0.0.0.0',
  '0.1.2.3',
  '10.0.0.1',
  '10.255.255.255',
  '100.64.0.1',
  '100.127.255.254',
  '127.0.0.1',
  '127.1.2.3',
  '169.254.169.254',
  '172.16.5.4',
  '172.31.255.255',
  '192.0.0.8',
  '192.0.2.1',
  '192.88.99.1',
  '192.168.1.1',
  '198.18.0.1',
  '198.19.255.255',
  '198.51.100.7',
  '203.0.113.9',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
];
const PUBLIC_V4 = ['93.184.216.34', '52.92.16.1', '8.8.8.8', '1.1.1.1', '100.63.255.255', '172.32.0.1', '11.0.0.1'];

const hex = (a: number, b: number): string => ((a << 8) | b).toString(16);

/** Every IPv6 form that carries `v4`, in hex and (where it is written so) dotted notation. */
function embeddings(v4: string): string[] {
  const [a, b, c, d] = v4.split('.').map(Number);
  const lo = `${hex(a!, b!)}:${hex(c!, d!)}`;
  return [
    `::ffff:${v4}`,
    `::ffff:${lo}`,
    `0:0:0:0:0:ffff:${lo}`,
    `::${lo}`, // IPv4-compatible (deprecated)
    `::ffff:0:${lo}`, // IPv4-translated
    `::ffff:0:${v4}`,
    `64:ff9b::${lo}`,
    `64:ff9b::${v4}`,
    `2002:${hex(a!, b!)}:${hex(c!, d!)}::1`, // 6to4
    `2002:${hex(a!, b!)}:${hex(c!, d!)}:1234:5678:9abc:def0:1`,
  ];
}

/** IPv6 special-purpose ranges that are not globally reachable, or must never be fetched from. */
const NON_PUBLIC_V6 = [
  '::',
  '::1',
  '0:0:0:0:0:0:0:1',
  'fe80::1',
  'fe80::1%eth0',
  'febf:ffff::1',
  'fec0::1', // site-local (deprecated)
  'feff::1',
  'fc00::1',
  'fd00:ec2::254', // the AWS metadata service over IPv6
  'ff02::1',
  'ff05::1:3',
  '2001:db8::1',
  '2001:db8:ffff::1',
  '3fff::1', // documentation (RFC 9637)
  '100::1', // discard-only
  '100::ffff:1',
  '64:ff9b:1::1', // local-use NAT64
  '64:ff9b:1:ffff::7f00:1',
  '2001::1', // Teredo
  '2001:0:4136:e378:8000:63bf:3fff:fdd2',
  '2001:2::1', // benchmarking
  '2001:10::1', // ORCHID
  '2001:20::1',
  '5f00::1', // SRv6 SIDs
  '1::1', // unallocated, outside global unicast 2000::/3
  '4000::1',
  'e000::1',
  '0:1::1', // reserved ::/8 without an IPv4 address in it
];
const PUBLIC_V6 = [
  '2606:2800:220:1:248:1893:25c8:1946',
  '2a00:1450:4001:82a::200e',
  '2001:4860:4860::8888',
  '2620:fe::fe',
  '2001:200::1',
];

describe('address policy (issue 30 item 9)', () => {
  it('refuses every non-public IPv4 address', () => {
    for (const ip of NON_PUBLIC_V4) assert.ok(blockedReason(ip, strict), ip);
  });

  it('allows public IPv4 addresses', () => {
    for (const ip of PUBLIC_V4) assert.equal(blockedReason(ip, strict), undefined, ip);
  });

  it('judges an IPv6 address that carries an IPv4 one by that address, however it is written', () => {
    for (const v4 of NON_PUBLIC_V4) {
      for (const ip of embeddings(v4)) assert.ok(blockedReason(ip, strict), `${ip} (carries ${v4})`);
    }
    for (const v4 of PUBLIC_V4) {
      for (const ip of embeddings(v4)) assert.equal(blockedReason(ip, strict), undefined, `${ip} (carries ${v4})`);
    }
  });

  it('refuses the IPv6 special-purpose and unallocated ranges', () => {
    for (const ip of NON_PUBLIC_V6) assert.ok(blockedReason(ip, strict), ip);
  });

  it('allows public IPv6 addresses', () => {
    for (const ip of PUBLIC_V6) assert.equal(blockedReason(ip, strict), undefined, ip);
  });

  it('allows loopback only when asked, in IPv4 and IPv6 forms, and no other private range then', () => {
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1']) {
      assert.equal(blockedReason(ip, local), undefined, ip);
      assert.match(blockedReason(ip, strict) ?? '', /loopback/, ip);
    }
    for (const ip of ['10.0.0.1', '::ffff:10.0.0.1', 'fe80::1', '64:ff9b:1::1', '2001::1', 'fec0::1'])
      assert.ok(blockedReason(ip, local), ip);
  });

  it('refuses what is not an IP address', () => {
    for (const s of ['', 'localhost', '1.2.3', '::g', '1.2.3.4.5'])
      assert.match(blockedReason(s, strict) ?? '', /not an IP/);
  });
});
