import assert from 'node:assert/strict';
import fc from 'fast-check';
import { blockedReason } from '../../../../src/adapters/http/address-policy';
import { DownloadError } from '../../../../src/adapters/http/download-error';
import { checkUrl, type UrlPolicy } from '../../../../src/adapters/http/url-policy';
import { anyUnicode, fuzzParams } from '../../../support/fuzz';
import { signedUrl } from '../../../support/fuzz-events';

/**
 * Fuzz (issue 30 Deliver 2a, item 9): the download address policy denies every address inside a private or special
 * range, however it is written (IPv4, IPv6 compressed or expanded, IPv4-mapped, -compatible, SIIT, NAT64, 6to4,
 * Teredo); the URL check refuses what is not allowed with a DownloadError and never shows a secret.
 * Reproduce a failure with the FUZZ_SEED and FUZZ_PATH it prints (see test/support/fuzz.ts).
 */
const strict = { allowLoopback: false };

/**
 * IPv4 ranges no download may reach (RFC 6890 special-purpose, private, loopback, multicast, reserved): written out
 * here on purpose, not imported, so the policy is checked against an independent list.
 */
const V4_RANGES: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
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
];
/** IPv6 ranges no download may reach, as 128-bit prefixes (embedded-IPv4 forms are generated separately). */
const V6_RANGES: [string, number][] = [
  ['::1', 128],
  ['::', 128],
  ['fe80::', 10],
  ['fec0::', 10],
  ['fc00::', 7],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['100::', 64],
  ['2001::', 32],
];

const v4ToInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const intToV4 = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');

/** A random IPv4 address inside one of V4_RANGES. */
const privateV4 = fc
  .constantFrom(...V4_RANGES)
  .chain(([base, bits]) =>
    fc.nat(2 ** (32 - bits) - 1).map((host) => intToV4((v4ToInt(base) & (bits === 0 ? 0 : ~0 << (32 - bits))) + host)),
  );

function v6ToBig(a: string): bigint {
  const [head, tail = ''] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = a.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.reduce((n, g) => (n << 16n) + BigInt(parseInt(g || '0', 16)), 0n);
}
const bigToV6 = (n: bigint) =>
  Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');

/** A random IPv6 address inside one of V6_RANGES, fully expanded. */
const privateV6 = fc.constantFrom(...V6_RANGES).chain(([base, bits]) =>
  fc.bigInt({ min: 0n, max: 2n ** BigInt(128 - bits) - 1n }).map((host) => {
    const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(128 - bits);
    return bigToV6((v6ToBig(base) & mask) + host);
  }),
);

/** A private IPv4 address embedded in IPv6 the ways a resolver (or an attacker's DNS) can hand it out. */
const embeddedV4 = fc
  .tuple(privateV4, fc.constantFrom('::ffff:', '::', '::ffff:0:', '64:ff9b::', '64:ff9b:1::', '2002:'), fc.boolean())
  .map(([v4, prefix, dotted]) => {
    const n = v4ToInt(v4);
    const hex = `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
    if (prefix === '2002:') return `2002:${hex}::1`; // 6to4: the IPv4 address is bits 16-47
    return `${prefix}${dotted ? v4 : hex}`;
  });

/** The address as URL serialisation writes it (compressed IPv6, mapped IPv4 in hex). */
const canonical = (a: string) => (a.includes(':') ? new URL(`http://[${a}]/`).hostname.slice(1, -1) : a);

describe('fuzz: download address policy and URL check', function () {
  this.timeout(300_000);

  for (const [what, arb] of [
    ['IPv4 private and special ranges', privateV4],
    ['IPv6 private and special ranges (incl. Teredo, site-local)', privateV6],
    ['IPv4 inside IPv6 (mapped, compatible, SIIT, NAT64, 6to4)', embeddedV4],
  ] as const) {
    it(`denies every address in the ${what}, in every spelling`, () => {
      fc.assert(
        fc.property(arb, fc.boolean(), (address, upper) => {
          for (const form of new Set([address, canonical(address)])) {
            const written = upper ? form.toUpperCase() : form;
            assert.ok(blockedReason(written, strict), `${written} is allowed`);
          }
        }),
        fuzzParams(500, 20_000),
      );
    });
  }

  it('decides every string without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(anyUnicode(60), fc.ipV4(), fc.ipV6(), fc.ipV4Extended()), (s) => {
        const r = blockedReason(s, strict);
        assert.ok(r === undefined || typeof r === 'string');
      }),
      fuzzParams(500, 20_000),
    );
  });

  const policy: UrlPolicy = {
    allowedHosts: new Set(['files.example.com']),
    httpHosts: new Set(),
    allowLoopback: false,
  };

  it('the URL check refuses with a DownloadError that shows no secret, and accepts only allowed https URLs', () => {
    const url = fc.oneof(
      signedUrl('https://files.example.com').map((u) => ({ ...u, raw: u.url })),
      signedUrl('https://other.example.net').map((u) => ({ ...u, raw: u.url })),
      fc.tuple(signedUrl(), anyUnicode(20)).map(([u, junk]) => ({ ...u, raw: `${junk}${u.url}` })),
      fc
        .tuple(signedUrl(), fc.constantFrom('user:pw@', 'u@'))
        .map(([u, cred]) => ({ ...u, raw: u.url.replace('://', `://${cred}`) })),
    );
    fc.assert(
      fc.property(url, ({ raw, secret }) => {
        try {
          const accepted = checkUrl(raw, policy, new Date('2026-01-01T00:00:00Z'));
          assert.equal(accepted.protocol, 'https:');
          assert.ok(policy.allowedHosts.has(accepted.hostname), accepted.hostname);
          assert.equal(accepted.username + accepted.password, '');
        } catch (err) {
          assert.ok(err instanceof DownloadError, `threw ${String(err)}`);
          assert.ok(!err.message.includes(secret), `error shows the secret: ${err.message}`);
        }
      }),
      fuzzParams(500, 20_000),
    );
  });
});
