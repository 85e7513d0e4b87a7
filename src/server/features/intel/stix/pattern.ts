/**
 * STIX 2.1 Patterning (STIX 2.1 §9): a hand-written recursive-descent parser.
 *
 * It follows the OASIS ANTLR grammar STIXPattern.g4 of STIX 2.1 (oasis-open/cti-stix2-json-schemas,
 * pattern_grammar/; the 2.1 revision with EXISTS and `START TimestampLiteral STOP TimestampLiteral`):
 *
 *   pattern                := observationExpressions EOF
 *   observationExpressions := observationExpressionOr (FOLLOWEDBY observationExpressionOr)*     (lowest, left-assoc)
 *   observationExpressionOr  := observationExpressionAnd (OR observationExpressionAnd)*
 *   observationExpressionAnd := observationExpression (AND observationExpression)*
 *   observationExpression  := ( '[' comparisonExpression ']' | '(' observationExpressions ')' ) qualifier*
 *   qualifier              := START TimestampLiteral STOP TimestampLiteral
 *                           | WITHIN (IntPosLiteral | FloatPosLiteral) SECONDS
 *                           | REPEATS IntPosLiteral TIMES
 *   comparisonExpression   := comparisonExpressionAnd (OR comparisonExpressionAnd)*
 *   comparisonExpressionAnd:= propTest (AND propTest)*
 *   propTest               := objectPath NOT? (= | == | != | <>) primitiveLiteral
 *                           | objectPath NOT? (> | < | >= | <=) orderableLiteral
 *                           | objectPath NOT? IN setLiteral
 *                           | objectPath NOT? (LIKE | MATCHES | ISSUBSET | ISSUPERSET) StringLiteral
 *                           | '(' comparisonExpression ')'
 *                           | EXISTS objectPath
 *   objectPath             := objectType ':' (Identifier | StringLiteral) ( '.' (Identifier | StringLiteral) | '[' (Int | '*') ']' )*
 *
 * Lexical rules (also from the grammar): keywords are upper case and case sensitive (true/false lower case);
 * strings are single-quoted and only `\'` and `\\` are escapes; h'..' is an even number of hex digits;
 * b'..' is padded base64; t'..' is an RFC 3339 UTC timestamp `YYYY-MM-DDTHH:MM:SS(.s+)?Z`; integers have
 * no leading zeros; floats are `[+-]?[0-9]*.[0-9]+`; property names may not contain an unquoted hyphen
 * (object types may); whitespace, `/* *\/` and `//` comments are skipped.
 *
 * Checks beyond the grammar, as STIX requires:
 *  - object type names: lower-case letters, digits and hyphens, 3–250 characters (the `type` rule of the
 *    OASIS core schema);
 *  - comparisons joined by AND inside one observation expression must use the same object type (they are
 *    evaluated against one SCO; the rule OASIS' python-stix2 enforces: "All operands to an 'AND'
 *    expression must have the same object type"). This applies to every comparison below an AND,
 *    including those inside a parenthesised OR, so `(a:x = 1 OR b:y = 1) AND a:z = 1` is rejected;
 *    OR may mix types freely;
 *  - START must be before STOP; WITHIN must be > 0; REPEATS must be a positive integer;
 *  - the same qualifier kind may not be applied twice directly to one `[...]` (as cti-pattern-validator).
 *
 * Errors are PatternError with a 0-based `position` into the text; messages read like
 * "expected ']' at 37 (found 'OR')".
 */

// ---------------------------------------------------------------------------------------------
// AST

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'int'; value: number | string } // string when beyond Number.MAX_SAFE_INTEGER (decimal text)
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'hex'; value: string } // lower-case hex digits, without h''
  | { kind: 'binary'; value: string } // base64 text, without b''
  | { kind: 'timestamp'; value: string }; // RFC 3339 text, without t''

export interface SetLiteral {
  kind: 'set';
  items: Literal[];
}

/** One step of an object path after the object type: a property name or a list index (`null` = `[*]`). */
export type PathStep = { key: string } | { index: number | null };

export interface ObjectPath {
  objectType: string;
  /** First element is always a `{ key }` (the first path component). */
  steps: PathStep[];
}

export type ComparisonOperator =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'IN'
  | 'LIKE'
  | 'MATCHES'
  | 'ISSUBSET'
  | 'ISSUPERSET'
  | 'EXISTS';

export type ComparisonExpr =
  | {
      type: 'comparison';
      path: ObjectPath;
      operator: ComparisonOperator;
      negated: boolean;
      /** null for EXISTS */
      value: Literal | SetLiteral | null;
      position: number;
    }
  | { type: 'cmp-and'; operands: ComparisonExpr[]; position: number }
  | { type: 'cmp-or'; operands: ComparisonExpr[]; position: number }
  | { type: 'cmp-group'; expr: ComparisonExpr; position: number };

export type Qualifier =
  | { kind: 'within'; seconds: number }
  | { kind: 'repeats'; times: number }
  | { kind: 'startstop'; start: string; stop: string };

export type ObservationExpr =
  | { type: 'observation'; comparison: ComparisonExpr; position: number }
  | { type: 'obs-group'; expr: ObservationExpr; position: number }
  | { type: 'qualified'; expr: ObservationExpr; qualifier: Qualifier; position: number }
  | { type: 'obs-and'; operands: ObservationExpr[]; position: number }
  | { type: 'obs-or'; operands: ObservationExpr[]; position: number }
  | { type: 'followedby'; operands: ObservationExpr[]; position: number };

export type PatternAst = ObservationExpr;

export interface PatternComparison {
  objectType: string;
  /** The object path after the ':' in canonical text form, e.g. `hashes.'SHA-256'`, `body_multipart[*].body_raw_ref.name`. */
  path: string;
  /** '=', '!=', '<', '<=', '>', '>=', 'IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET', 'EXISTS' ('==' and '<>' are reported as '=' and '!='). */
  operator: string;
  negated: boolean;
  /** The literal's value; for IN one entry per set element (an empty set gives one entry: value null, kind 'set'); null for EXISTS. */
  value: string | number | boolean | null;
  valueKind: 'string' | 'int' | 'float' | 'bool' | 'hex' | 'binary' | 'timestamp' | 'set' | 'none';
  /** The same path as structured steps. */
  steps: PathStep[];
  /** 0-based offset of the comparison in the pattern text. */
  position: number;
}

export class PatternError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = 'PatternError';
    this.position = position;
  }
}

// ---------------------------------------------------------------------------------------------
// Lexer (on demand, so the first error in text order is the one reported)

const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'FOLLOWEDBY',
  'LIKE',
  'MATCHES',
  'ISSUPERSET',
  'ISSUBSET',
  'EXISTS',
  'LAST',
  'IN',
  'START',
  'STOP',
  'SECONDS',
  'WITHIN',
  'REPEATS',
  'TIMES',
]);

type Tok =
  | { t: 'ident'; text: string; hyphen: boolean; pos: number; end: number }
  | { t: 'kw'; text: string; pos: number; end: number }
  | { t: 'lit'; lit: Literal; text: string; pos: number; end: number }
  | { t: 'op'; text: string; pos: number; end: number }
  | { t: 'punct'; text: string; pos: number; end: number }
  | { t: 'eof'; text: ''; pos: number; end: number }
  /** a character no token starts with; the parser reports it as "expected … (found 'x')" */
  | { t: 'bad'; text: string; pos: number; end: number };

const WS = new Set(
  [
    ' ',
    '\t',
    '\r',
    '\n',
    '\u000B',
    '\u000C',
    '\u0085',
    '\u00a0',
    '\u1680',
    '\u2000',
    '\u2001',
    '\u2002',
    '\u2003',
    '\u2004',
    '\u2005',
    '\u2006',
    '\u2007',
    '\u2008',
    '\u2009',
    '\u200a',
    '\u2028',
    '\u2029',
    '\u202f',
    '\u205f',
    '\u3000',
  ],
);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isIdentStart = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
const isIdentPart = (c: string | undefined): boolean => isIdentStart(c) || isDigit(c);

const TIMESTAMP_RE =
  /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(\.\d+)?Z$/;
const BASE64_RE = /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$/;
const HEX_RE = /^([0-9A-Fa-f]{2})*$/;
export const OBJECT_TYPE_RE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*-?$/;

function describe(tok: Tok): string {
  if (tok.t === 'eof') return 'end of pattern';
  return `'${tok.text.length > 40 ? tok.text.slice(0, 40) + '…' : tok.text}'`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Checks an RFC 3339 UTC timestamp as the grammar allows it (plus day-of-month validity). Returns an error or null. */
function timestampProblem(text: string): string | null {
  const m = TIMESTAMP_RE.exec(text);
  if (!m) return 'expected YYYY-MM-DDTHH:MM:SS[.fraction]Z';
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (day > daysInMonth(year, month)) return `day ${m[3]} does not exist in ${m[1]}-${m[2]}`;
  return null;
}

/** Compares two timestamps accepted by timestampProblem(); -1, 0 or 1. */
export function compareTimestamps(a: string, b: string): number {
  const baseA = a.slice(0, 19);
  const baseB = b.slice(0, 19);
  if (baseA !== baseB) return baseA < baseB ? -1 : 1;
  let fa = a.slice(19, -1).replace('.', '');
  let fb = b.slice(19, -1).replace('.', '');
  const len = Math.max(fa.length, fb.length);
  fa = fa.padEnd(len, '0');
  fb = fb.padEnd(len, '0');
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

class Lexer {
  private i = 0;
  constructor(private readonly s: string) {}

  private fail(message: string, pos: number): never {
    throw new PatternError(`${message} at ${pos}`, pos);
  }

  private skipSpace(): void {
    const s = this.s;
    for (;;) {
      const c = s[this.i];
      if (c !== undefined && WS.has(c)) {
        this.i++;
      } else if (c === '/' && s[this.i + 1] === '*') {
        const end = s.indexOf('*/', this.i + 2);
        if (end < 0) this.fail("unterminated comment (missing '*/')", this.i);
        this.i = end + 2;
      } else if (c === '/' && s[this.i + 1] === '/') {
        while (this.i < s.length && s[this.i] !== '\n' && s[this.i] !== '\r') this.i++;
      } else {
        return;
      }
    }
  }

  /** Reads a quoted body starting at the quote at `q`; returns [unescaped text, index after closing quote]. */
  private quoted(q: number, what: string, start: number): [string, number] {
    const s = this.s;
    let j = q + 1;
    let out = '';
    for (;;) {
      const c = s[j];
      if (c === undefined) this.fail(`unterminated ${what} (missing closing quote)`, start);
      if (c === "'") return [out, j + 1];
      if (c === '\\') {
        const n = s[j + 1];
        if (n === "'" || n === '\\') {
          out += n;
          j += 2;
          continue;
        }
        this.fail(`invalid escape in ${what}: only \\' and \\\\ are allowed`, j);
      }
      out += c;
      j++;
    }
  }

  /** Reads a typed literal body (h'', b'', t''): raw text between the quotes, no escapes allowed. */
  private rawQuoted(q: number, what: string, start: number): [string, number] {
    const end = this.s.indexOf("'", q + 1);
    if (end < 0) this.fail(`unterminated ${what} (missing closing quote)`, start);
    return [this.s.slice(q + 1, end), end + 1];
  }

  next(): Tok {
    this.skipSpace();
    const s = this.s;
    const pos = this.i;
    const c = s[pos];
    if (c === undefined) return { t: 'eof', text: '', pos, end: pos };

    // typed literals: h'..', b'..', t'..'
    if ((c === 'h' || c === 'b' || c === 't') && s[pos + 1] === "'") {
      if (c === 'h') {
        const [body, end] = this.rawQuoted(pos + 1, 'hex literal', pos);
        if (!HEX_RE.test(body)) this.fail('invalid hex literal: expected an even number of hex digits', pos);
        this.i = end;
        return { t: 'lit', lit: { kind: 'hex', value: body.toLowerCase() }, text: s.slice(pos, end), pos, end };
      }
      if (c === 'b') {
        const [body, end] = this.rawQuoted(pos + 1, 'binary literal', pos);
        if (!BASE64_RE.test(body)) this.fail('invalid binary literal: expected padded base64', pos);
        this.i = end;
        return { t: 'lit', lit: { kind: 'binary', value: body }, text: s.slice(pos, end), pos, end };
      }
      const [body, end] = this.rawQuoted(pos + 1, 'timestamp literal', pos);
      const problem = timestampProblem(body);
      if (problem) this.fail(`invalid timestamp literal: ${problem}`, pos);
      this.i = end;
      return { t: 'lit', lit: { kind: 'timestamp', value: body }, text: s.slice(pos, end), pos, end };
    }

    if (isIdentStart(c)) {
      let j = pos + 1;
      let hyphen = false;
      while (j < s.length && (isIdentPart(s[j]) || s[j] === '-')) {
        if (s[j] === '-') hyphen = true;
        j++;
      }
      const text = s.slice(pos, j);
      this.i = j;
      if (text === 'true' || text === 'false')
        return { t: 'lit', lit: { kind: 'bool', value: text === 'true' }, text, pos, end: j };
      if (KEYWORDS.has(text)) return { t: 'kw', text, pos, end: j };
      return { t: 'ident', text, hyphen, pos, end: j };
    }

    if (c === "'") {
      const [value, end] = this.quoted(pos, 'string', pos);
      this.i = end;
      return { t: 'lit', lit: { kind: 'string', value }, text: s.slice(pos, end), pos, end };
    }

    // numbers: [+-]? digits, or [+-]? digits? '.' digits
    const n1 = s[pos + 1];
    const startsNumber =
      isDigit(c) ||
      (c === '.' && isDigit(n1)) ||
      ((c === '+' || c === '-') && (isDigit(n1) || (n1 === '.' && isDigit(s[pos + 2]))));
    if (startsNumber) {
      let j = pos;
      if (s[j] === '+' || s[j] === '-') j++;
      const digitsStart = j;
      while (isDigit(s[j])) j++;
      if (s[j] === '.' && isDigit(s[j + 1])) {
        j++;
        while (isDigit(s[j])) j++;
        const text = s.slice(pos, j);
        this.i = j;
        return { t: 'lit', lit: { kind: 'float', value: Number(text) }, text, pos, end: j };
      }
      const digits = s.slice(digitsStart, j);
      if (digits.length > 1 && digits[0] === '0') this.fail('invalid integer: leading zeros are not allowed', pos);
      const text = s.slice(pos, j);
      this.i = j;
      const n = Number(text);
      const value = Number.isSafeInteger(n) ? n : (text[0] === '-' ? '-' : '') + digits;
      return { t: 'lit', lit: { kind: 'int', value }, text, pos, end: j };
    }

    const two = s.slice(pos, pos + 2);
    if (two === '==' || two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      this.i = pos + 2;
      return { t: 'op', text: two, pos, end: pos + 2 };
    }
    if (c === '=' || c === '<' || c === '>') {
      this.i = pos + 1;
      return { t: 'op', text: c, pos, end: pos + 1 };
    }
    if ('[]():.,*'.includes(c)) {
      this.i = pos + 1;
      return { t: 'punct', text: c, pos, end: pos + 1 };
    }
    if (c === '"') this.fail("unexpected '\"': strings use single quotes", pos);
    const cp = s.codePointAt(pos)!;
    const ch = String.fromCodePoint(cp);
    this.i = pos + ch.length;
    return { t: 'bad', text: ch, pos, end: this.i };
  }
}

// ---------------------------------------------------------------------------------------------
// Parser

type Leaf = Extract<ComparisonExpr, { type: 'comparison' }>;

const MAX_DEPTH = 100;

class Parser {
  private readonly lexer: Lexer;
  private tok: Tok;

  constructor(text: string) {
    this.lexer = new Lexer(text);
    this.tok = this.lexer.next();
  }

  private depth = 0;

  /** Parentheses nest at most MAX_DEPTH deep (keeps recursion far from the stack limit). */
  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      throw new PatternError(`parentheses nested deeper than ${MAX_DEPTH} at ${this.tok.pos}`, this.tok.pos);
    }
  }

  private advance(): Tok {
    const t = this.tok;
    this.tok = this.lexer.next();
    return t;
  }

  private fail(expected: string, tok: Tok = this.tok): never {
    throw new PatternError(`expected ${expected} at ${tok.pos} (found ${describe(tok)})`, tok.pos);
  }

  private isKw(text: string): boolean {
    return this.tok.t === 'kw' && this.tok.text === text;
  }

  /** (a method, not an inline test, so TypeScript does not narrow this.tok across advance()) */
  private isIdent(): boolean {
    return this.tok.t === 'ident';
  }

  private isPunct(text: string): boolean {
    return this.tok.t === 'punct' && this.tok.text === text;
  }

  private expectPunct(text: string): Tok {
    if (!this.isPunct(text)) this.fail(`'${text}'`);
    return this.advance();
  }

  private expectKw(text: string): Tok {
    if (!this.isKw(text)) this.fail(text);
    return this.advance();
  }

  parsePattern(): PatternAst {
    const ast = this.observationExpressions();
    if (this.tok.t !== 'eof') {
      this.fail('AND, OR, FOLLOWEDBY, a qualifier (WITHIN, REPEATS, START) or end of pattern');
    }
    return ast;
  }

  private observationExpressions(): ObservationExpr {
    const first = this.observationOr();
    const operands = [first];
    while (this.isKw('FOLLOWEDBY')) {
      this.advance();
      operands.push(this.observationOr());
    }
    return operands.length === 1 ? first : { type: 'followedby', operands, position: first.position };
  }

  private observationOr(): ObservationExpr {
    const first = this.observationAnd();
    const operands = [first];
    while (this.isKw('OR')) {
      this.advance();
      operands.push(this.observationAnd());
    }
    return operands.length === 1 ? first : { type: 'obs-or', operands, position: first.position };
  }

  private observationAnd(): ObservationExpr {
    const first = this.observationQualified();
    const operands = [first];
    while (this.isKw('AND')) {
      this.advance();
      operands.push(this.observationQualified());
    }
    return operands.length === 1 ? first : { type: 'obs-and', operands, position: first.position };
  }

  private observationQualified(): ObservationExpr {
    let expr: ObservationExpr;
    const start = this.tok;
    let simple = false;
    if (this.isPunct('[')) {
      this.advance();
      const comparison = this.comparisonOr();
      this.expectPunct(']');
      expr = { type: 'observation', comparison, position: start.pos };
      simple = true;
    } else if (this.isPunct('(')) {
      this.enter();
      this.advance();
      const inner = this.observationExpressions();
      this.expectPunct(')');
      this.depth--;
      expr = { type: 'obs-group', expr: inner, position: start.pos };
    } else {
      this.fail("'[' or '(' (an observation expression)");
    }
    const seen = new Set<string>();
    for (;;) {
      const qtok = this.tok;
      let qualifier: Qualifier;
      if (this.isKw('WITHIN')) {
        this.advance();
        const n = this.tok;
        if (n.t !== 'lit' || (n.lit.kind !== 'int' && n.lit.kind !== 'float') || n.text.startsWith('-')) {
          this.fail('a positive number of seconds after WITHIN');
        }
        const seconds = typeof n.lit.value === 'number' ? n.lit.value : Number(n.lit.value);
        if (!(seconds > 0)) throw new PatternError(`WITHIN must be a positive number of seconds at ${n.pos}`, n.pos);
        this.advance();
        this.expectKw('SECONDS');
        qualifier = { kind: 'within', seconds };
      } else if (this.isKw('REPEATS')) {
        this.advance();
        const n = this.tok;
        if (n.t !== 'lit' || n.lit.kind !== 'int' || n.text.startsWith('-')) {
          this.fail('a positive integer after REPEATS');
        }
        const times = typeof n.lit.value === 'number' ? n.lit.value : Number(n.lit.value);
        if (!(times > 0)) throw new PatternError(`REPEATS must be a positive integer at ${n.pos}`, n.pos);
        this.advance();
        this.expectKw('TIMES');
        qualifier = { kind: 'repeats', times };
      } else if (this.isKw('START')) {
        this.advance();
        const a = this.tok;
        if (a.t !== 'lit' || a.lit.kind !== 'timestamp') this.fail("a timestamp t'…' after START");
        this.advance();
        this.expectKw('STOP');
        const b = this.tok;
        if (b.t !== 'lit' || b.lit.kind !== 'timestamp') this.fail("a timestamp t'…' after STOP");
        this.advance();
        const startTs = a.lit.value as string;
        const stopTs = b.lit.value as string;
        if (compareTimestamps(startTs, stopTs) >= 0) {
          throw new PatternError(`START must be before STOP at ${a.pos}`, a.pos);
        }
        qualifier = { kind: 'startstop', start: startTs, stop: stopTs };
      } else {
        break;
      }
      if (simple) {
        if (seen.has(qualifier.kind)) {
          const name = qualifier.kind === 'startstop' ? 'START/STOP' : qualifier.kind.toUpperCase();
          throw new PatternError(`duplicate ${name} qualifier on one observation expression at ${qtok.pos}`, qtok.pos);
        }
        seen.add(qualifier.kind);
      }
      expr = { type: 'qualified', expr, qualifier, position: start.pos };
    }
    return expr;
  }

  private comparisonOr(): ComparisonExpr {
    const first = this.comparisonAnd();
    const operands = [first];
    while (this.isKw('OR')) {
      this.advance();
      operands.push(this.comparisonAnd());
    }
    return operands.length === 1 ? first : { type: 'cmp-or', operands, position: first.position };
  }

  private comparisonAnd(): ComparisonExpr {
    const first = this.propTest();
    const operands = [first];
    while (this.isKw('AND')) {
      this.advance();
      operands.push(this.propTest());
    }
    if (operands.length === 1) return first;
    const node: ComparisonExpr = { type: 'cmp-and', operands, position: first.position };
    const leaves: Leaf[] = [];
    collectLeaves(node, leaves);
    const objectType = leaves[0].path.objectType;
    const other = leaves.find((l) => l.path.objectType !== objectType);
    if (other) {
      throw new PatternError(
        `comparisons joined by AND must use the same object type ('${objectType}' and '${other.path.objectType}') at ${other.position}`,
        other.position,
      );
    }
    return node;
  }

  private propTest(): ComparisonExpr {
    const start = this.tok;
    if (this.isPunct('(')) {
      this.enter();
      this.advance();
      const expr = this.comparisonOr();
      this.expectPunct(')');
      this.depth--;
      return { type: 'cmp-group', expr, position: start.pos };
    }
    if (this.isKw('EXISTS')) {
      this.advance();
      const path = this.objectPath();
      return { type: 'comparison', path, operator: 'EXISTS', negated: false, value: null, position: start.pos };
    }
    if (!this.isIdent()) this.fail("an object path (type:property), '(' or EXISTS");
    const path = this.objectPath();
    let negated = false;
    if (this.isKw('NOT')) {
      this.advance();
      negated = true;
    }
    const opTok = this.tok;
    if (opTok.t === 'op') {
      this.advance();
      const op = opTok.text === '==' ? '=' : opTok.text === '<>' ? '!=' : (opTok.text as ComparisonOperator);
      const lit = this.tok;
      if (lit.t !== 'lit') this.fail('a literal value');
      if ((op === '<' || op === '<=' || op === '>' || op === '>=') && lit.lit.kind === 'bool') {
        this.fail(`an orderable literal after '${opTok.text}' (not a boolean)`);
      }
      this.advance();
      return { type: 'comparison', path, operator: op, negated, value: lit.lit, position: start.pos };
    }
    if (opTok.t === 'kw' && opTok.text === 'IN') {
      this.advance();
      const value = this.setLiteral();
      return { type: 'comparison', path, operator: 'IN', negated, value, position: start.pos };
    }
    if (opTok.t === 'kw' && ['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET'].includes(opTok.text)) {
      this.advance();
      const lit = this.tok;
      if (lit.t !== 'lit' || lit.lit.kind !== 'string') this.fail(`a string literal after ${opTok.text}`);
      this.advance();
      return {
        type: 'comparison',
        path,
        operator: opTok.text as ComparisonOperator,
        negated,
        value: lit.lit,
        position: start.pos,
      };
    }
    this.fail(
      negated
        ? 'a comparison operator after NOT'
        : 'a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET, NOT)',
    );
  }

  private setLiteral(): SetLiteral {
    this.expectPunct('(');
    const items: Literal[] = [];
    if (this.isPunct(')')) {
      this.advance();
      return { kind: 'set', items };
    }
    for (;;) {
      const lit = this.tok;
      if (lit.t !== 'lit') this.fail('a literal value in the set');
      items.push(lit.lit);
      this.advance();
      if (this.isPunct(',')) {
        this.advance();
        continue;
      }
      if (this.isPunct(')')) {
        this.advance();
        return { kind: 'set', items };
      }
      this.fail("',' or ')'");
    }
  }

  private objectPath(): ObjectPath {
    const typeTok = this.tok;
    if (typeTok.t !== 'ident') this.fail('an object type');
    const objectType = typeTok.text;
    if (objectType.length < 3 || objectType.length > 250 || !OBJECT_TYPE_RE.test(objectType)) {
      throw new PatternError(
        `invalid object type '${objectType}': lower-case letters, digits and hyphens, 3-250 characters, starting with a letter at ${typeTok.pos}`,
        typeTok.pos,
      );
    }
    this.advance();
    this.expectPunct(':');
    const steps: PathStep[] = [{ key: this.propertyName() }];
    for (;;) {
      // a step must follow immediately-ish; whitespace is skipped by the lexer as in the grammar
      if (this.isPunct('.')) {
        this.advance();
        steps.push({ key: this.propertyName() });
      } else if (this.isPunct('[')) {
        this.advance();
        const t = this.tok;
        if (t.t === 'punct' && t.text === '*') {
          this.advance();
          steps.push({ index: null });
        } else if (t.t === 'lit' && t.lit.kind === 'int' && typeof t.lit.value === 'number') {
          this.advance();
          steps.push({ index: t.lit.value });
        } else {
          this.fail("a list index (an integer or '*')");
        }
        this.expectPunct(']');
      } else {
        return { objectType, steps };
      }
    }
  }

  private propertyName(): string {
    const t = this.tok;
    if (t.t === 'ident') {
      if (t.hyphen) {
        throw new PatternError(`property name '${t.text}' contains '-' and must be quoted ('${t.text}') at ${t.pos}`, t.pos);
      }
      this.advance();
      return t.text;
    }
    if (t.t === 'lit' && t.lit.kind === 'string') {
      this.advance();
      return t.lit.value;
    }
    this.fail('a property name');
  }
}

function collectLeaves(node: ComparisonExpr, out: Leaf[]): void {
  switch (node.type) {
    case 'comparison':
      out.push(node);
      return;
    case 'cmp-group':
      collectLeaves(node.expr, out);
      return;
    default:
      for (const o of node.operands) collectLeaves(o, out);
  }
}

// ---------------------------------------------------------------------------------------------
// Public API

/** Parses a STIX 2.1 pattern; throws PatternError (with a 0-based position) when it is not valid. */
/**
 * The last pattern parsed and its tree: ingest validates a pattern and then takes its
 * correlation values from the same text, one right after the other; this spares the
 * second parse. Trees are never modified by their readers.
 */
let lastParsed: { text: string; ast: PatternAst } | null = null;

export function parsePattern(text: string): PatternAst {
  if (typeof text !== 'string') throw new PatternError('pattern must be a string at 0', 0);
  if (lastParsed && lastParsed.text === text) return lastParsed.ast;
  const ast = new Parser(text).parsePattern();
  lastParsed = { text, ast };
  return ast;
}

/** null when the pattern is valid, else the first problem. */
export function checkPattern(text: string): { message: string; position: number } | null {
  try {
    parsePattern(text);
    return null;
  } catch (e) {
    if (e instanceof PatternError) return { message: e.message, position: e.position };
    throw e;
  }
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Path steps as text: `hashes.'SHA-256'`, `sections[*].entropy`. */
export function printPath(steps: PathStep[]): string {
  let out = '';
  steps.forEach((step, i) => {
    if ('key' in step) {
      const k = PLAIN_KEY.test(step.key) && !KEYWORDS.has(step.key) && step.key !== 'true' && step.key !== 'false' ? step.key : quote(step.key);
      out += i === 0 ? k : `.${k}`;
    } else {
      out += step.index === null ? '[*]' : `[${step.index}]`;
    }
  });
  return out;
}

function printNumber(n: number, float: boolean): string {
  let s = String(n);
  if (s.includes('e')) s = n.toFixed(20).replace(/0+$/, '');
  if (float && !s.includes('.')) s += '.0';
  if (s.endsWith('.')) s += '0';
  return s;
}

export function printLiteral(lit: Literal | SetLiteral): string {
  switch (lit.kind) {
    case 'set':
      return `(${lit.items.map(printLiteral).join(', ')})`;
    case 'string':
      return quote(lit.value);
    case 'int':
      return typeof lit.value === 'number' ? printNumber(lit.value, false) : lit.value;
    case 'float':
      return printNumber(lit.value, true);
    case 'bool':
      return lit.value ? 'true' : 'false';
    case 'hex':
      return `h'${lit.value}'`;
    case 'binary':
      return `b'${lit.value}'`;
    case 'timestamp':
      return `t'${lit.value}'`;
  }
}

function printComparison(node: ComparisonExpr): string {
  switch (node.type) {
    case 'comparison': {
      const path = `${node.path.objectType}:${printPath(node.path.steps)}`;
      if (node.operator === 'EXISTS') return `EXISTS ${path}`;
      return `${path} ${node.negated ? 'NOT ' : ''}${node.operator} ${printLiteral(node.value!)}`;
    }
    case 'cmp-group':
      return `(${printComparison(node.expr)})`;
    case 'cmp-and':
      return node.operands.map(printComparison).join(' AND ');
    case 'cmp-or':
      return node.operands.map(printComparison).join(' OR ');
  }
}

function printQualifier(q: Qualifier): string {
  switch (q.kind) {
    case 'within':
      return `WITHIN ${printNumber(q.seconds, !Number.isInteger(q.seconds))} SECONDS`;
    case 'repeats':
      return `REPEATS ${q.times} TIMES`;
    case 'startstop':
      return `START t'${q.start}' STOP t'${q.stop}'`;
  }
}

/**
 * Prints an AST as pattern text. Structure is kept by the explicit group nodes; the printer adds no
 * parentheses of its own, so an AST built by hand must put 'obs-group'/'cmp-group' where precedence needs them.
 */
export function printPattern(ast: PatternAst): string {
  switch (ast.type) {
    case 'observation':
      return `[${printComparison(ast.comparison)}]`;
    case 'obs-group':
      return `(${printPattern(ast.expr)})`;
    case 'qualified':
      return `${printPattern(ast.expr)} ${printQualifier(ast.qualifier)}`;
    case 'obs-and':
      return ast.operands.map(printPattern).join(' AND ');
    case 'obs-or':
      return ast.operands.map(printPattern).join(' OR ');
    case 'followedby':
      return ast.operands.map(printPattern).join(' FOLLOWEDBY ');
  }
}

function comparisonEntries(node: Leaf): PatternComparison[] {
  const base = {
    objectType: node.path.objectType,
    path: printPath(node.path.steps),
    operator: node.operator,
    negated: node.negated,
    steps: node.path.steps,
    position: node.position,
  };
  const v = node.value;
  if (v === null) return [{ ...base, value: null, valueKind: 'none' }];
  if (v.kind === 'set') {
    if (v.items.length === 0) return [{ ...base, value: null, valueKind: 'set' }];
    return v.items.map((item) => ({ ...base, value: item.value, valueKind: item.kind }));
  }
  return [{ ...base, value: v.value, valueKind: v.kind }];
}

function walkComparisons(node: ComparisonExpr, out: PatternComparison[]): void {
  if (node.type === 'comparison') {
    out.push(...comparisonEntries(node));
  } else if (node.type === 'cmp-group') {
    walkComparisons(node.expr, out);
  } else {
    for (const o of node.operands) walkComparisons(o, out);
  }
}

function walkObservations(node: ObservationExpr, out: PatternComparison[]): void {
  switch (node.type) {
    case 'observation':
      walkComparisons(node.comparison, out);
      return;
    case 'obs-group':
    case 'qualified':
      walkObservations(node.expr, out);
      return;
    default:
      for (const o of node.operands) walkObservations(o, out);
  }
}

/** Every comparison of the pattern in text order, flattened (IN sets: one entry per element). */
export function patternComparisons(ast: PatternAst): PatternComparison[] {
  const out: PatternComparison[] = [];
  walkObservations(ast, out);
  return out;
}
