import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureJsonFiles } from '../../../test/fixtures.js';
import {
  checkPattern,
  parsePattern,
  patternComparisons,
  PatternError,
  printPattern,
  type ComparisonExpr,
  type Literal,
  type ObservationExpr,
  type PathStep,
  type PatternComparison,
  type Qualifier,
  type SetLiteral,
} from './pattern.js';

function stixPatternsIn(file: string): string[] {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  const objects: unknown[] = Array.isArray(doc)
    ? doc
    : doc && typeof doc === 'object' && Array.isArray((doc as { objects?: unknown[] }).objects)
      ? (doc as { objects: unknown[] }).objects
      : [doc];
  return objects
    .filter(
      (o): o is { type: string; pattern: string; pattern_type: string } =>
        !!o && typeof o === 'object' && (o as { type?: unknown }).type === 'indicator',
    )
    .filter((o) => o.pattern_type === 'stix')
    .map((o) => o.pattern);
}

const comparisonsOf = (p: string) => patternComparisons(parsePattern(p));
const strip = (cs: PatternComparison[]) => cs.map(({ position: _p, ...rest }) => rest);

describe('real patterns', () => {
  it('parses every stix indicator pattern of the OASIS STIX 2.1 examples', () => {
    const patterns = fixtureJsonFiles('stix2-examples').flatMap(stixPatternsIn);
    expect(patterns.length).toBeGreaterThanOrEqual(40);
    for (const p of patterns) {
      expect(checkPattern(p), p).toBeNull();
      expect(comparisonsOf(p).length).toBeGreaterThan(0);
    }
  });

  // The examples of the STIX 2.1 patterning section (as collected by OASIS cti-pattern-validator spec_examples.txt)
  const SPEC = [
    String.raw`[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']`,
    String.raw`[email-message:from_ref.value MATCHES '.+\\@example\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\.exe$']`,
    String.raw`[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' AND file:mime_type = 'application/x-pdf']`,
    String.raw`[file:hashes.'SHA-256' = 'bf07a7fbb825fc0aae7bf4a1177b2b31fcf8a3feeaf7092761e18c859ee52a9c' OR file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f'] AND [file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']`,
    String.raw`([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [win-registry-key:key = 'HKEY_LOCAL_MACHINE\\foo\\bar']) WITHIN 300 SECONDS`,
    String.raw`[user-account:account_type = 'unix' AND user-account:user_id = '1007' AND user-account:account_login = 'Peter'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1008' AND user-account:account_login = 'Paul'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1009' AND user-account:account_login = 'Mary']`,
    String.raw`[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND artifact:payload_bin MATCHES '\\xd4\\xc3\\xb2\\xa1\\x02\\x00\\x04\\x00']`,
    String.raw`[file:name = 'foo.dll' AND file:parent_directory_ref.path = 'C:\\Windows\\System32']`,
    String.raw`[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]`,
    String.raw`[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8']`,
    String.raw`[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32']`,
    String.raw`[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS`,
    String.raw`[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']`,
    String.raw`[url:value = 'http://example.com/foo' OR url:value = 'http://example.com/bar']`,
    String.raw`[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28']`,
    String.raw`[windows-registry-key:key = 'HKEY_CURRENT_USER\\Software\\CryptoLocker\\Files' OR windows-registry-key:key = 'HKEY_CURRENT_USER\\Software\\Microsoft\\CurrentVersion\\Run\\CryptoLocker_0388']`,
    String.raw`[(file:name = 'pdf.exe' OR file:size = '371712') AND file:created = t'2014-01-13T07:03:17Z']`,
    String.raw`[email-message:sender_ref.value = 'jdoe@example.com' AND email-message:subject = 'Conference Info']`,
    String.raw`[x-usb-device:usbdrive.serial_number = '575833314133343231313937']`,
    String.raw`[process:command_line MATCHES '^.+>-add GlobalSign.cer -c -s -r localMachine Root$'] FOLLOWEDBY [process:command_line MATCHES'^.+>-add GlobalSign.cer -c -s -r localMachineTrustedPublisher$'] WITHIN 300 SECONDS`,
    String.raw`[network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']`,
    String.raw`([file:name = 'foo.dll'] AND [win-registry-key:key = 'HKEY_LOCAL_MACHINE\\foo\\bar']) OR [process:name = 'fooproc' OR process:name = 'procfoo']`,
    // further forms from the 2.1 text: EXISTS, NOT, START/STOP, IN, LIKE, ISSUPERSET, binary, booleans
    String.raw`[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32' OR ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128'] FOLLOWEDBY [domain-name:value = 'example.com'] WITHIN 600 SECONDS`,
    String.raw`[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'`,
    String.raw`[EXISTS windows-registry-key:values]`,
    String.raw`[file:name NOT = 'svchost.exe' AND file:size NOT IN (0, 1024)]`,
    String.raw`[file:name LIKE 'inv%.exe']`,
    String.raw`[ipv4-addr:value ISSUPERSET '198.51.100.0/24']`,
    String.raw`[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']`,
    String.raw`[process:is_hidden = true AND process:pid > 0]`,
    String.raw`[network-traffic:dst_port IN (443, 6443, 8443) AND network-traffic:src_packets != 0]`,
  ];

  it.each(SPEC)('accepts the spec example %s', (p) => {
    expect(checkPattern(p)).toBeNull();
  });

  it('accepts the pass cases of cti-pattern-validator that are valid STIX 2.1', () => {
    for (const p of [
      '[file:size = 1280]',
      '[file:size != 1280]',
      '[file:size <= 1024]',
      '[file:size >= 1024]',
      "[file:extended_properties.'ntfs-ext'.sid = '234']",
      "[ipv4-addr:value NOT ISSUBSET '192.168.0.1/24']",
      "[user-account:value = 'Peter'] AND [user-account:value != 'Paul'] AND [user-account:value = 'Mary'] WITHIN 5 SECONDS",
      "[file:file_name IN ('test.txt', 'test2.exe', 'README')]",
      "[network-connection:extended_properties[0].source_payload MATCHES 'dGVzdHRlc3R0ZXN0']",
      "[x-whatever:detected == t'2018-03-22T12:11:14.1Z']",
      '[foo:bar=1] REPEATS 9 TIMES',
      '( [(network-traffic:dst_port IN(443,6443,8443) AND network-traffic:src_packets != 0) ])',
      "([win-registry-key:key = 'hkey_local_machine\\\\foo\\\\bar']) WITHIN 5 SECONDS WITHIN 6 SECONDS",
      "([win-registry-key:key = 'hkey_local_machine\\\\foo\\\\bar'] REPEATS 2 TIMES) REPEATS 2 TIMES",
      "[ipv4-addr:value = '1.2.3.4'] /* a comment */ OR // another\n [ipv4-addr:value = '1.2.3.5']",
      '[file:size < -1] WITHIN .5 SECONDS',
      "[file:x[-1] <> 'a']",
    ]) {
      expect(checkPattern(p), p).toBeNull();
    }
  });
});

describe('structure', () => {
  it('gives FOLLOWEDBY the lowest precedence, then OR, then AND; qualifiers bind tightest', () => {
    const ast = parsePattern(
      "[foo:a = 1] AND [foo:b = 2] OR [foo:c = 3] FOLLOWEDBY [foo:d = 4] AND [foo:e = 5] WITHIN 5 SECONDS",
    );
    expect(ast.type).toBe('followedby');
    if (ast.type !== 'followedby') return;
    expect(ast.operands.map((o) => o.type)).toEqual(['obs-or', 'obs-and']);
    const [left, right] = ast.operands;
    if (left.type !== 'obs-or' || right.type !== 'obs-and') return;
    expect(left.operands.map((o) => o.type)).toEqual(['obs-and', 'observation']);
    expect(right.operands.map((o) => o.type)).toEqual(['observation', 'qualified']);
  });

  it('keeps parentheses as group nodes and applies a qualifier to the whole group', () => {
    const ast = parsePattern("([foo:a = 1] OR [foo:b = 2]) REPEATS 3 TIMES");
    expect(ast).toMatchObject({
      type: 'qualified',
      qualifier: { kind: 'repeats', times: 3 },
      expr: { type: 'obs-group', expr: { type: 'obs-or' } },
    });
  });

  it('parses AND before OR inside an observation and keeps comparison parentheses', () => {
    const ast = parsePattern("[foo:a = 1 OR foo:b = 2 AND foo:c = 3 OR (foo:d = 4)]");
    expect(ast).toMatchObject({
      type: 'observation',
      comparison: {
        type: 'cmp-or',
        operands: [{ type: 'comparison' }, { type: 'cmp-and' }, { type: 'cmp-group' }],
      },
    });
  });

  it('reads every qualifier', () => {
    const ast = parsePattern(
      "[foo:a = 1] START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00Z' WITHIN 2.5 SECONDS REPEATS 2 TIMES",
    );
    const qs: Qualifier[] = [];
    let n: ObservationExpr = ast;
    while (n.type === 'qualified') {
      qs.unshift(n.qualifier);
      n = n.expr;
    }
    expect(qs).toEqual([
      { kind: 'startstop', start: '2016-06-01T01:30:00.123Z', stop: '2016-06-01T02:20:00Z' },
      { kind: 'within', seconds: 2.5 },
      { kind: 'repeats', times: 2 },
    ]);
  });

  it('reports comparisons with paths, operators, negation and literal kinds', () => {
    const cs = comparisonsOf(
      String.raw`[file:hashes.'SHA-256' = 'ab' AND file:name NOT MATCHES '^a\'b\\c$' AND file:size >= 10 AND file:x[*].y[2] = 1.5 AND file:magic_number_hex = h'FFD8' AND file:payload = b'AAAA' AND file:created > t'2020-01-01T00:00:00Z' AND file:flag != false AND file:ext IN ('a', 2) AND EXISTS file:z AND file:n == -3 AND file:w <> 'q']`,
    );
    expect(
      cs.map((c) => [c.objectType, c.path, c.operator, c.negated, c.value, c.valueKind]),
    ).toEqual([
      ['file', "hashes.'SHA-256'", '=', false, 'ab', 'string'],
      ['file', 'name', 'MATCHES', true, String.raw`^a'b\c$`, 'string'],
      ['file', 'size', '>=', false, 10, 'int'],
      ['file', 'x[*].y[2]', '=', false, 1.5, 'float'],
      ['file', 'magic_number_hex', '=', false, 'ffd8', 'hex'],
      ['file', 'payload', '=', false, 'AAAA', 'binary'],
      ['file', 'created', '>', false, '2020-01-01T00:00:00Z', 'timestamp'],
      ['file', 'flag', '!=', false, false, 'bool'],
      ['file', 'ext', 'IN', false, 'a', 'string'],
      ['file', 'ext', 'IN', false, 2, 'int'],
      ['file', 'z', 'EXISTS', false, null, 'none'],
      ['file', 'n', '=', false, -3, 'int'],
      ['file', 'w', '!=', false, 'q', 'string'],
    ]);
    expect(cs[0].steps).toEqual([{ key: 'hashes' }, { key: 'SHA-256' }]);
    expect(cs[3].steps).toEqual([{ key: 'x' }, { index: null }, { key: 'y' }, { index: 2 }]);
    expect(cs[0].position).toBe(1);
  });

  it('reports an empty set as one entry of kind set', () => {
    expect(comparisonsOf('[file:name IN ()]')).toMatchObject([{ operator: 'IN', value: null, valueKind: 'set' }]);
  });

  it('lets OR mix object types within one observation', () => {
    expect(checkPattern("[domain-name:value = 'a.example' OR ipv4-addr:value = '1.2.3.4']")).toBeNull();
  });

  it('throws PatternError with a position', () => {
    try {
      parsePattern('[file:name = ');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PatternError);
      expect((e as PatternError).position).toBe(13);
      expect((e as PatternError).message).toBe('expected a literal value at 13 (found end of pattern)');
    }
  });
});

// [pattern, expected position, message fragment]
const BROKEN: [string, number, string][] = [
  ['', 0, "expected '[' or '('"],
  ['file:size = 1280', 0, "expected '[' or '('"],
  ['[file:size = ]', 13, 'expected a literal value'],
  ['[file:hashes.MD5 = cead3f77f6cda6ec00f57d76c9a6879f]', 19, 'expected a literal value'],
  ['[file.size = 1280]', 5, "expected ':'"],
  ['[file:name MATCHES /.*\\.dll/]', 19, 'expected a string literal after MATCHES'],
  ["[win-registry-key:key = 'a'] WITHIN ]", 36, 'positive number of seconds'],
  ["[win-registry-key:key = 'a'] WITHIN 5 HOURS", 38, 'expected SECONDS'],
  ["[win-registry-key:key = 'a'] WITHIN -5 SECONDS", 36, 'positive number of seconds'],
  ["[win-registry-key:key = 'a'] WITHIN 0 SECONDS", 36, 'WITHIN must be a positive number'],
  ["[win-registry-key:key = 'a'] REPEATS 0 TIMES", 37, 'REPEATS must be a positive integer'],
  ["[win-registry-key:key = 'a'] REPEATS 1.5 TIMES", 37, 'positive integer after REPEATS'],
  ['[network-traffic:dst_ref.value ISSUBSET ]', 40, 'expected a string literal after ISSUBSET'],
  ["[file:hashes.MD5 =? 'cead']", 18, 'expected a literal value'],
  ["[x-whatever:detected == t'2457-73-22T32:81:84.1Z']", 24, 'invalid timestamp literal'],
  ["[x-whatever:detected = t'2021-02-29T00:00:00Z']", 23, 'does not exist'],
  ["[x-whatever:detected = t'2021-02-01T00:00:00']", 23, 'invalid timestamp literal'],
  ["[artifact:payload_bin = b'====']", 24, 'invalid binary literal'],
  ["[artifact:payload_bin = b'abc']", 24, 'invalid binary literal'],
  ["[file:magic_number_hex = h'ffd']", 25, 'invalid hex literal'],
  ['[foo:bar=1] within 2 seconds', 12, 'expected AND, OR, FOLLOWEDBY'],
  ["[win-registry-key:key = 'a'] WITHIN 5 SECONDS WITHIN 6 SECONDS", 46, 'duplicate WITHIN'],
  ["[win-registry-key:key = 'a'] REPEATS 2 TIMES REPEATS 3 TIMES", 45, 'duplicate REPEATS'],
  [
    "[foo:a = 'a'] START t'2016-06-01T01:30:00Z' STOP t'2016-06-01T02:20:00Z' START t'2016-06-01T01:30:00Z' STOP t'2016-06-01T02:20:00Z'",
    73,
    'duplicate START/STOP',
  ],
  ["[foo:a = 'a'] START t'2016-06-01T02:00:00Z' STOP t'2016-06-01T01:00:00Z'", 20, 'START must be before STOP'],
  ["[foo:a = 'a'] START t'2016-06-01T02:00:00.5Z' STOP t'2016-06-01T02:00:00.50Z'", 20, 'START must be before STOP'],
  ["[foo:a = 'a'] START '2016-06-01T02:00:00Z' STOP t'2016-06-01T03:00:00Z'", 20, "a timestamp t'…' after START"],
  ["[network-traffic:src_port = 37020 AND user-account:user_id = 'root']", 38, 'same object type'],
  ["[(file:name = 'a' OR process:name = 'b') AND file:size = 1]", 21, 'same object type'],
  ["[file:name = 'a' AND (file:size = 1 OR process:pid = 2)]", 39, 'same object type'],
  ["[x_whatever:a = 1]", 1, "invalid object type 'x_whatever'"],
  ["[File:name = 'a']", 1, "invalid object type 'File'"],
  ["[ab:name = 'a']", 1, "invalid object type 'ab'"],
  [`[${'a'.repeat(251)}:name = 'a']`, 1, 'invalid object type'],
  ['[file:extensions.windows-pebinary-ext.sections[*].entropy > 7.0]', 17, 'must be quoted'],
  ["[file:name = 'abc]", 13, 'unterminated string'],
  ["[file:name = 'C:\\Windows']", 16, 'invalid escape'],
  ['[file:name = "abc"]', 13, 'strings use single quotes'],
  ["[file:name = 'a'", 16, "expected ']'"],
  ["[file:name = 'a']]", 17, 'expected AND, OR, FOLLOWEDBY'],
  ["[file:name = 'a'] AND", 21, "expected '[' or '('"],
  ["([file:name = 'a']", 18, "expected ')'"],
  ["[file:name IN 'a']", 14, "expected '('"],
  ["[file:name IN ('a' 'b')]", 19, "expected ',' or ')'"],
  ["[file:name IN ('a',)]", 19, 'a literal value in the set'],
  ['[file:size > true]', 13, 'orderable literal'],
  ["[file:name NOT EXISTS]", 15, 'comparison operator after NOT'],
  ["[file:name LIKE 5]", 16, 'a string literal after LIKE'],
  ['[file:size = 007]', 13, 'leading zeros'],
  ['[file:x[a] = 1]', 8, 'list index'],
  ["[file: = 'a']", 7, 'a property name'],
  ["[file:name = 'a'] /* never closed", 18, 'unterminated comment'],
  ["[file:name = 'a' and file:size = 1]", 17, "expected ']'"],
  ["[file:name = 'a'] FOLLOWEDBY", 28, "expected '[' or '('"],
  ['[]', 1, 'an object path'],
  ["[file:name = 'a' # 1]", 17, "expected ']'"],
  [`${'('.repeat(101)}[file:name = 'a']${')'.repeat(101)}`, 100, 'nested deeper than 100'],
  [`[${'('.repeat(101)}file:name = 'a'${')'.repeat(101)}]`, 101, 'nested deeper than 100'],
];

describe('broken patterns', () => {
  it('has at least 30 cases', () => {
    expect(BROKEN.length).toBeGreaterThanOrEqual(30);
  });

  it.each(BROKEN)('rejects %j at %i', (pattern, position, fragment) => {
    const problem = checkPattern(pattern);
    expect(problem).not.toBeNull();
    expect(problem!.message).toContain(fragment);
    expect(problem!.position).toBe(position);
    expect(problem!.message).toContain(`at ${position}`);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: random ASTs printed as text parse back to the same comparisons (and the same text).

const arbType = fc.constantFrom('file', 'ipv4-addr', 'domain-name', 'x-custom-thing', 'network-traffic');
const arbKey = fc.oneof(
  fc.constantFrom('name', 'value', 'hashes', 'size', '_x1', 'AND', 'true'),
  fc.string({ minLength: 1, maxLength: 8 }), // quoted when needed: any characters incl. ' and \
);
const arbSteps: fc.Arbitrary<PathStep[]> = fc
  .tuple(
    arbKey,
    fc.array(
      fc.oneof(
        arbKey.map((key): PathStep => ({ key })),
        fc.option(fc.integer({ min: -5, max: 50 }), { nil: null }).map((index): PathStep => ({ index })),
      ),
      { maxLength: 3 },
    ),
  )
  .map(([first, rest]) => [{ key: first }, ...rest]);

const arbTimestamp = fc
  .tuple(
    fc.integer({ min: 1970, max: 2100 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: 0, max: 59 }),
    fc.option(fc.integer({ min: 0, max: 999999 }), { nil: undefined }),
  )
  .map(([y, mo, d, h, mi, s, frac]) => {
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${y}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}${frac === undefined ? '' : '.' + frac}Z`;
  });

const arbLiteral: fc.Arbitrary<Literal> = fc.oneof(
  fc.string({ maxLength: 12 }).map((value): Literal => ({ kind: 'string', value })),
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map((value): Literal => ({ kind: 'int', value })),
  fc.integer({ min: -10_000_000, max: 10_000_000 }).map((n): Literal => ({ kind: 'float', value: n / 1000 })),
  fc.boolean().map((value): Literal => ({ kind: 'bool', value })),
  fc.uint8Array({ maxLength: 8 }).map((b): Literal => ({ kind: 'hex', value: Buffer.from(b).toString('hex') })),
  fc.uint8Array({ minLength: 1, maxLength: 8 }).map((b): Literal => ({ kind: 'binary', value: Buffer.from(b).toString('base64') })),
  arbTimestamp.map((value): Literal => ({ kind: 'timestamp', value })),
);

type Leaf = Extract<ComparisonExpr, { type: 'comparison' }>;

function arbLeaf(objectType: string): fc.Arbitrary<ComparisonExpr> {
  const path = arbSteps.map((steps) => ({ objectType, steps }));
  return fc.oneof(
    fc
      .tuple(path, fc.constantFrom('=', '!=') as fc.Arbitrary<Leaf['operator']>, fc.boolean(), arbLiteral)
      .map(([p, operator, negated, value]): ComparisonExpr => ({ type: 'comparison', path: p, operator, negated, value, position: 0 })),
    fc
      .tuple(path, fc.constantFrom('<', '<=', '>', '>=') as fc.Arbitrary<Leaf['operator']>, fc.boolean(), arbLiteral.filter((l) => l.kind !== 'bool'))
      .map(([p, operator, negated, value]): ComparisonExpr => ({ type: 'comparison', path: p, operator, negated, value, position: 0 })),
    fc
      .tuple(path, fc.boolean(), fc.array(arbLiteral, { maxLength: 4 }))
      .map(([p, negated, items]): ComparisonExpr => ({
        type: 'comparison',
        path: p,
        operator: 'IN',
        negated,
        value: { kind: 'set', items } as SetLiteral,
        position: 0,
      })),
    fc
      .tuple(path, fc.constantFrom('LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET') as fc.Arbitrary<Leaf['operator']>, fc.boolean(), fc.string({ maxLength: 10 }))
      .map(([p, operator, negated, s]): ComparisonExpr => ({
        type: 'comparison',
        path: p,
        operator,
        negated,
        value: { kind: 'string', value: s },
        position: 0,
      })),
    path.map((p): ComparisonExpr => ({ type: 'comparison', path: p, operator: 'EXISTS', negated: false, value: null, position: 0 })),
  );
}

/** Comparison expressions where everything under an AND shares one object type (OR may mix). */
const arbComparison = (depth: number): fc.Arbitrary<ComparisonExpr> =>
  arbType.chain((t) => arbComparisonOfType(t, depth, true));

function arbComparisonOfType(t: string, depth: number, mayMix: boolean): fc.Arbitrary<ComparisonExpr> {
  if (depth <= 0) return arbLeaf(t);
  const sub = (mix: boolean) => arbComparisonOfType(t, depth - 1, mix);
  const group = (e: fc.Arbitrary<ComparisonExpr>) => e.map((expr): ComparisonExpr => ({ type: 'cmp-group', expr, position: 0 }));
  // operands of AND must not themselves be OR/AND without parentheses (printing would change the tree)
  const andOperand = fc.oneof(arbLeaf(t), group(sub(false)));
  const orOperand = mayMix
    ? fc.oneof(arbLeaf(t), arbComparison(depth - 1).map((e) => (e.type === 'cmp-or' ? ({ type: 'cmp-group', expr: e, position: 0 } as ComparisonExpr) : e)))
    : fc.oneof(andOperand, fc.array(andOperand, { minLength: 2, maxLength: 3 }).map((operands): ComparisonExpr => ({ type: 'cmp-and', operands, position: 0 })));
  return fc.oneof(
    { weight: 2, arbitrary: arbLeaf(t) },
    { weight: 1, arbitrary: group(sub(mayMix)) },
    { weight: 1, arbitrary: fc.array(andOperand, { minLength: 2, maxLength: 3 }).map((operands): ComparisonExpr => ({ type: 'cmp-and', operands, position: 0 })) },
    { weight: 1, arbitrary: fc.array(orOperand, { minLength: 2, maxLength: 3 }).map((operands): ComparisonExpr => ({ type: 'cmp-or', operands, position: 0 })) },
  );
}

const arbQualifier: fc.Arbitrary<Qualifier> = fc.oneof(
  fc.integer({ min: 1, max: 100000 }).map((seconds): Qualifier => ({ kind: 'within', seconds })),
  fc.integer({ min: 1, max: 99999 }).map((n): Qualifier => ({ kind: 'within', seconds: n / 100 })),
  fc.integer({ min: 1, max: 1000 }).map((times): Qualifier => ({ kind: 'repeats', times })),
  fc
    .tuple(arbTimestamp, arbTimestamp)
    .filter(([a, b]) => a !== b && a.slice(0, 19) !== b.slice(0, 19))
    .map(([a, b]): Qualifier => (a < b ? { kind: 'startstop', start: a, stop: b } : { kind: 'startstop', start: b, stop: a })),
);

function arbObservation(depth: number): fc.Arbitrary<ObservationExpr> {
  const simple = arbComparison(2).map((comparison): ObservationExpr => ({ type: 'observation', comparison, position: 0 }));
  const qualifiedSimple = fc
    .tuple(simple, fc.uniqueArray(arbQualifier, { maxLength: 3, selector: (q) => q.kind }))
    .map(([e, qs]) => qs.reduce<ObservationExpr>((expr, qualifier) => ({ type: 'qualified', expr, qualifier, position: 0 }), e));
  if (depth <= 0) return qualifiedSimple;
  const group = arbObservation(depth - 1).chain((inner) =>
    fc.array(arbQualifier, { maxLength: 2 }).map((qs) =>
      qs.reduce<ObservationExpr>((expr, qualifier) => ({ type: 'qualified', expr, qualifier, position: 0 }), {
        type: 'obs-group',
        expr: inner,
        position: 0,
      }),
    ),
  );
  const atom = fc.oneof(qualifiedSimple, group);
  const and = fc.array(atom, { minLength: 2, maxLength: 3 }).map((operands): ObservationExpr => ({ type: 'obs-and', operands, position: 0 }));
  const orOperand = fc.oneof(atom, and);
  const or = fc.array(orOperand, { minLength: 2, maxLength: 3 }).map((operands): ObservationExpr => ({ type: 'obs-or', operands, position: 0 }));
  const fbOperand = fc.oneof(atom, and, or);
  const fb = fc.array(fbOperand, { minLength: 2, maxLength: 3 }).map((operands): ObservationExpr => ({ type: 'followedby', operands, position: 0 }));
  return fc.oneof({ weight: 3, arbitrary: atom }, { weight: 1, arbitrary: and }, { weight: 1, arbitrary: or }, { weight: 1, arbitrary: fb });
}

describe('round trip (property)', () => {
  it('random ASTs printed to text parse back to the same comparisons', () => {
    fc.assert(
      fc.property(arbObservation(2), (ast) => {
        const text = printPattern(ast);
        const parsed = parsePattern(text);
        expect(strip(patternComparisons(parsed))).toEqual(strip(patternComparisons(ast)));
        expect(printPattern(parsed)).toBe(text);
      }),
      { numRuns: 200 },
    );
  }, 60_000); // generous: the machine is shared; about 1 s when idle

  it('survives very deep nesting and very long patterns', () => {
    expect(checkPattern(`${'('.repeat(100_000)}`)).toMatchObject({ position: 100 });
    const long = Array.from({ length: 20_000 }, (_, i) => `[ipv4-addr:value = '10.0.${i >> 8}.${i & 255}']`).join(' OR ');
    expect(checkPattern(long)).toBeNull();
    expect(patternComparisons(parsePattern(long))).toHaveLength(20_000);
  }, 60_000);

  it('reports a position inside the text for damaged valid patterns', () => {
    fc.assert(
      fc.property(arbObservation(1), fc.nat(), fc.constantFrom('', ']', '[', "'", '(', ')', 'AND', '.', ' '), (ast, at, insert) => {
        const text = printPattern(ast);
        const i = at % text.length;
        const damaged = text.slice(0, i) + insert + text.slice(i + 1);
        const r = checkPattern(damaged);
        if (r) {
          expect(r.position).toBeGreaterThanOrEqual(0);
          expect(r.position).toBeLessThanOrEqual(damaged.length);
          expect(r.message).toContain(`at ${r.position}`);
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('never throws anything but PatternError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const r = checkPattern(s);
        if (r) expect(r.position).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });
});
