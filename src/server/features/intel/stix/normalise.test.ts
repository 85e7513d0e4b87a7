import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureJsonFiles, readFixture } from '../../../test/fixtures.js';
import {
  normaliseDomain,
  normaliseEmail,
  normaliseHash,
  normaliseHashAlgorithm,
  normaliseIp,
  normaliseUrl,
  valuesFromObservable,
  valuesFromPattern,
} from './normalise.js';

describe('normaliseIp', () => {
  it.each([
    ['198.51.100.1', '198.51.100.1'],
    [' 198.51.100.1 ', '198.51.100.1'],
    ['198.51.100.1/32', '198.51.100.1'],
    ['198.51.100.0/24', '198.51.100.0/24'],
    ['198.51.100.77/24', '198.51.100.0/24'], // host bits cleared
    ['223.166.0.0/15', '223.166.0.0/15'],
    ['10.0.0.0/0', '0.0.0.0/0'],
    // IPv6: RFC 5952 canonical text
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal runs
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'], // longest run, not the first
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['fe80:0:0:0:0:0:0:0', 'fe80::'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['::FFFF:C000:0201', '::ffff:192.0.2.1'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['2001:0db8:dead:beef:dead:beef:dead:0001/128', '2001:db8:dead:beef:dead:beef:dead:1'],
    ['2001:0db8:dead:beef:0000:0000:0000:0000/64', '2001:db8:dead:beef::/64'],
    ['2001:db8:dead:beef:1::/64', '2001:db8:dead:beef::/64'],
  ])('%s -> %s', (input, expected) => {
    expect(normaliseIp(input)).toBe(expected);
  });

  it.each([
    '',
    'example.com',
    '256.1.1.1',
    '1.2.3',
    '01.2.3.4',
    '1.2.3.4/33',
    '1.2.3.4/',
    '1.2.3.4/abc',
    '1.2.3.4/24/1',
    '2001:db8::1::1',
    '2001:db8:1:2:3:4:5:6:7',
    '2001:db8:1:2:3:4:5:6::',
    'fe80::1%eth0',
    '[2001:db8::1]',
    '12345::1',
    '2001:db8::/129',
    ':1::',
  ])('rejects %j', (input) => {
    expect(normaliseIp(input)).toBeNull();
  });

  it('is idempotent and agrees with node:net for random addresses', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (ip) => {
        const n = normaliseIp(ip);
        expect(n).not.toBeNull();
        expect(normaliseIp(n!)).toBe(n);
        // the canonical IPv6 text is what WHATWG URL prints for the same address (except IPv4-mapped, RFC 5952 §5)
        if (ip.includes(':') && !n!.startsWith('::ffff:')) {
          expect(new URL(`http://[${ip}]/`).hostname).toBe(`[${n}]`);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('normaliseDomain', () => {
  it.each([
    ['Example.COM', 'example.com'],
    ['example.com.', 'example.com'],
    [' www.example.com ', 'www.example.com'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['BÜCHER.example.', 'xn--bcher-kva.example'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['münchen.de', 'xn--mnchen-3ya.de'],
    ['例え.テスト', 'xn--r8jz45g.xn--zckzah'],
    ['_dmarc.example.com', '_dmarc.example.com'],
  ])('%s -> %s', (input, expected) => {
    expect(normaliseDomain(input)).toBe(expected);
  });

  it.each(['', '.', 'domain autuo.xicp.net', 'example..com', 'http://example.com', 'a@b.c', 'xn--zz.com', `${'a'.repeat(64)}.com`])(
    'rejects %j',
    (input) => {
      expect(normaliseDomain(input)).toBeNull();
    },
  );
});

describe('normaliseUrl', () => {
  it.each([
    ['HTTP://Example.COM/Path?Q=1#Frag', 'http://example.com/Path?Q=1#Frag'], // path/query case kept
    ['http://example.com:80/a', 'http://example.com/a'],
    ['https://example.com:443/', 'https://example.com/'],
    ['https://example.com:8443/', 'https://example.com:8443/'],
    ['http://example.com:443/', 'http://example.com:443/'], // 443 is not the default for http
    ['ftp://files.example:21/x', 'ftp://files.example/x'],
    ['http://example.com', 'http://example.com/'],
    ['http://example.com./x', 'http://example.com/x'],
    ['http://bücher.example/ä', 'http://xn--bcher-kva.example/%C3%A4'],
    ['http://[2001:DB8:0::1]:8080/', 'http://[2001:db8::1]:8080/'],
    ['http://example.com/a/../b/./c', 'http://example.com/b/c'],
    ['HTTPS://user:Secret@EXAMPLE.com/', 'https://user:Secret@example.com/'],
  ])('%s -> %s', (input, expected) => {
    expect(normaliseUrl(input)).toBe(expected);
  });

  it.each(['', 'example.com/path', '/relative', 'http://', 'http://exa mple.com/'])('rejects %j', (input) => {
    expect(normaliseUrl(input)).toBeNull();
  });
});

describe('normaliseEmail', () => {
  it.each([
    ['John.Doe@Example.COM', 'John.Doe@example.com'],
    [' jdoe@example.com. ', 'jdoe@example.com'],
    ['user@bücher.example', 'user@xn--bcher-kva.example'],
    ['"a@b"@example.com', '"a@b"@example.com'],
  ])('%s -> %s', (input, expected) => {
    expect(normaliseEmail(input)).toBe(expected);
  });

  it.each(['', 'example.com', '@example.com', 'user@', 'us er@example.com', 'user@exa mple.com'])('rejects %j', (input) => {
    expect(normaliseEmail(input)).toBeNull();
  });
});

describe('hashes', () => {
  it.each([
    ['SHA256', 'SHA-256'],
    ['sha-256', 'SHA-256'],
    ['SHA-256', 'SHA-256'],
    ['sha_256', 'SHA-256'],
    ['sha1', 'SHA-1'],
    ['SHA-1', 'SHA-1'],
    ['md5', 'MD5'],
    ['MD5', 'MD5'],
    ['SHA512', 'SHA-512'],
    ['sha3-256', 'SHA3-256'],
    ['SHA3256', 'SHA3-256'],
    ['ssdeep', 'SSDEEP'],
    ['tlsh', 'TLSH'],
    ['x-custom-hash', 'X-CUSTOM-HASH'],
  ])('algorithm %s -> %s', (input, expected) => {
    expect(normaliseHashAlgorithm(input)).toBe(expected);
  });

  const sha256 = 'EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C';
  it('normalises the value to lower-case hex with the canonical algorithm', () => {
    for (const algo of ['SHA256', 'sha-256', 'SHA-256', "SHA_256"]) {
      expect(normaliseHash(algo, sha256)).toBe(`SHA-256:${sha256.toLowerCase()}`);
    }
    expect(normaliseHash('md5', ' 001DD76872D80801692FF942308C64E6 ')).toBe('MD5:001dd76872d80801692ff942308c64e6');
  });

  it('keeps SSDEEP case (base64 alphabet) and rejects malformed hex hashes', () => {
    expect(normaliseHash('ssdeep', '96:s4Ud1Lj96tHHlZDrwciQmA:s4Ud1L5tHHlZDrwciQmA')).toBe(
      'SSDEEP:96:s4Ud1Lj96tHHlZDrwciQmA:s4Ud1L5tHHlZDrwciQmA',
    );
    expect(normaliseHash('SHA-256', 'f00')).toBeNull();
    expect(normaliseHash('MD5', 'zz1dd76872d80801692ff942308c64e6')).toBeNull();
    expect(normaliseHash('MD5', '')).toBeNull();
  });
});

describe('valuesFromObservable', () => {
  it('reads the direct value of each correlatable SCO', () => {
    expect(valuesFromObservable({ type: 'ipv4-addr', id: 'ipv4-addr--1', value: '198.51.100.3/32' })).toEqual([
      { kind: 'ip', value: '198.51.100.3' },
    ]);
    expect(valuesFromObservable({ type: 'ipv6-addr', value: '2001:0DB8::0001' })).toEqual([{ kind: 'ip', value: '2001:db8::1' }]);
    expect(valuesFromObservable({ type: 'domain-name', value: 'Example.COM.' })).toEqual([{ kind: 'domain', value: 'example.com' }]);
    expect(valuesFromObservable({ type: 'url', value: 'HTTP://Example.com:80/x' })).toEqual([
      { kind: 'url', value: 'http://example.com/x' },
    ]);
    expect(valuesFromObservable({ type: 'email-addr', value: 'Jdoe@Example.com' })).toEqual([
      { kind: 'email', value: 'Jdoe@example.com' },
    ]);
  });

  it('reads every hash of a file, once per normalised value', () => {
    expect(
      valuesFromObservable({
        type: 'file',
        name: 'a.exe',
        hashes: {
          MD5: '001DD76872D80801692FF942308C64E6',
          'SHA-256': 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c',
          SHA256: 'EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C',
          'SHA-1': 'not-a-hash',
        },
      }),
    ).toEqual([
      { kind: 'hash', value: 'MD5:001dd76872d80801692ff942308c64e6' },
      { kind: 'hash', value: 'SHA-256:ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c' },
    ]);
  });

  it('follows no references and ignores other types and bad values', () => {
    expect(valuesFromObservable({ type: 'email-message', from_ref: 'email-addr--x', subject: 'hi' })).toEqual([]);
    expect(valuesFromObservable({ type: 'mutex', name: 'x' })).toEqual([]);
    expect(valuesFromObservable({ type: 'ipv4-addr', value: 'not an ip' })).toEqual([]);
    expect(valuesFromObservable({ type: 'ipv4-addr', value: 42 })).toEqual([]);
  });

  it('takes the values of the observables in the OASIS STIX 2.1 examples and none from their other objects', () => {
    const objects = fixtureJsonFiles('stix2-examples').flatMap((f) => (JSON.parse(fs.readFileSync(f, 'utf8')) as { objects?: Record<string, unknown>[] }).objects ?? []);
    expect(objects.length).toBeGreaterThan(200);
    expect(objects.flatMap((o) => valuesFromObservable(o))).toEqual([
      { kind: 'ip', value: '198.51.100.3' },
      { kind: 'domain', value: 'example.com' },
    ]);
  });
});

describe('valuesFromPattern', () => {
  it('takes equality and IN comparisons on value paths', () => {
    expect(valuesFromPattern("[ipv4-addr:value = '198.51.100.1/32']")).toEqual([{ kind: 'ip', value: '198.51.100.1' }]);
    expect(valuesFromPattern("[ipv4-addr:value = '223.166.0.0/15']")).toEqual([{ kind: 'ip', value: '223.166.0.0/15' }]);
    expect(
      valuesFromPattern(
        "[domain-name:value = 'www.webserver.dynssl.com' OR ipv4-addr:value = '113.10.246.30' OR ipv4-addr:value = '113.10.246.30']",
      ),
    ).toEqual([
      { kind: 'domain', value: 'www.webserver.dynssl.com' },
      { kind: 'ip', value: '113.10.246.30' },
    ]);
    expect(valuesFromPattern("[url:value IN ('http://Example.com:80/foo', 'http://example.com/bar')]")).toEqual([
      { kind: 'url', value: 'http://example.com/foo' },
      { kind: 'url', value: 'http://example.com/bar' },
    ]);
    expect(valuesFromPattern("[email-addr:value == 'A@Example.com']")).toEqual([{ kind: 'email', value: 'A@example.com' }]);
  });

  it('normalises hash paths, quoted or not', () => {
    expect(
      valuesFromPattern(
        "[file:hashes.'SHA-256' = 'EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C' OR file:hashes.md5 = '001dd76872d80801692ff942308c64e6' OR file:hashes.SHA256 = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']",
      ),
    ).toEqual([
      { kind: 'hash', value: 'SHA-256:ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c' },
      { kind: 'hash', value: 'MD5:001dd76872d80801692ff942308c64e6' },
    ]);
  });

  it('reads well-known reference value paths', () => {
    expect(
      valuesFromPattern(
        "[email-message:from_ref.value = 'Evil@Example.com' AND email-message:to_refs[*].value = 'victim@example.org']",
      ),
    ).toEqual([
      { kind: 'email', value: 'Evil@example.com' },
      { kind: 'email', value: 'victim@example.org' },
    ]);
    expect(
      valuesFromPattern(
        "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32']",
      ),
    ).toEqual([{ kind: 'ip', value: '203.0.113.33' }]);
    expect(
      valuesFromPattern("[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']"),
    ).toEqual([
      { kind: 'domain', value: 'www.5z8.info' },
      { kind: 'ip', value: '198.51.100.1' },
    ]);
  });

  it('ignores negated, non-equality, non-string and unrelated comparisons, and invalid patterns', () => {
    expect(valuesFromPattern("[ipv4-addr:value != '1.2.3.4']")).toEqual([]);
    expect(valuesFromPattern("[ipv4-addr:value NOT = '1.2.3.4']")).toEqual([]);
    expect(valuesFromPattern("[ipv4-addr:value NOT IN ('1.2.3.4')]")).toEqual([]);
    expect(valuesFromPattern("[ipv4-addr:value ISSUBSET '1.2.3.0/24']")).toEqual([]);
    expect(valuesFromPattern("[domain-name:value LIKE '%.example.com']")).toEqual([]);
    expect(valuesFromPattern("[file:name = 'evil.exe']")).toEqual([]);
    expect(valuesFromPattern("[file:hashes.MD5 = h'001dd76872d80801692ff942308c64e6']")).toEqual([]);
    expect(valuesFromPattern("[ipv4-addr:value = 'not an ip']")).toEqual([]);
    expect(valuesFromPattern("[ipv4-addr:value = '1.2.3.4'")).toEqual([]);
  });

  it('finds values in the example bundles', () => {
    const apt1 = readFixture('stix2-examples/threat-reports/apt1.json') as { objects: { type: string; pattern?: string; pattern_type?: string }[] };
    const values = apt1.objects
      .filter((o) => o.type === 'indicator' && o.pattern_type === 'stix')
      .flatMap((o) => valuesFromPattern(o.pattern!));
    expect(values).toContainEqual({ kind: 'ip', value: '58.246.0.0/15' });
    expect(values).toContainEqual({ kind: 'domain', value: 'hugesoft.org' });
    expect(values).toContainEqual({ kind: 'hash', value: 'MD5:001dd76872d80801692ff942308c64e6' });
  });

  it('agrees with valuesFromObservable for the same value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (ip) => {
        const type = ip.includes(':') ? 'ipv6-addr' : 'ipv4-addr';
        expect(valuesFromPattern(`[${type}:value = '${ip}']`)).toEqual(valuesFromObservable({ type, value: ip }));
      }),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(fc.domain(), (d) => {
        expect(valuesFromPattern(`[domain-name:value = '${d}']`)).toEqual(valuesFromObservable({ type: 'domain-name', value: d }));
      }),
      { numRuns: 100 },
    );
  });
});
