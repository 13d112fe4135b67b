// A strict JSON parser that keeps every number as its literal text (class JsonNumber), so that
// integers beyond 2^53 stay exact and a float sent where the venue wants an integer can be told
// apart from an integer (JSON.parse would turn 5.0 into 5). Objects are plain objects created with
// a null prototype (so "__proto__" is an ordinary key); duplicate keys are an error, as they
// make "what was signed" ambiguous.

export class JsonNumber {
  constructor(raw) { this.raw = raw; }
  get isInteger() { return /^-?(0|[1-9][0-9]*)$/.test(this.raw); }
  toBigInt() { return BigInt(this.raw); }
  toJSON() { return Number(this.raw); }
}

export class JsonSyntaxError extends Error {
  constructor(msg, pos) { super(`${msg} at position ${pos}`); this.pos = pos; }
}

const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const MAX_DEPTH = 64;

export function parseExact(text) {
  let i = 0;
  const fail = (msg) => { throw new JsonSyntaxError(msg, i); };
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };

  function string() {
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text[i];
      if (c === '"') { i++; return out; }
      if (c === '\\') {
        const e = text[i + 1];
        const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }[e];
        if (simple !== undefined) { out += simple; i += 2; continue; }
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          continue;
        }
        fail('bad escape');
      }
      if (c < ' ') fail('control character in string');
      out += c;
      i++;
    }
  }

  function value(depth) {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj = Object.create(null);
      ws();
      if (text[i] === '}') { i++; return obj; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a string key');
        const k = string();
        if (Object.prototype.hasOwnProperty.call(obj, k)) fail(`duplicate key "${k}"`);
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        obj[k] = value(depth + 1);
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return obj; }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const arr = [];
      ws();
      if (text[i] === ']') { i++; return arr; }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return arr; }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return string();
    if (text.startsWith('true', i)) { i += 4; return true; }
    if (text.startsWith('false', i)) { i += 5; return false; }
    if (text.startsWith('null', i)) { i += 4; return null; }
    NUMBER_RE.lastIndex = i;
    const m = NUMBER_RE.exec(text);
    if (m && m[0].length > 0) { i += m[0].length; return new JsonNumber(m[0]); }
    fail(i >= text.length ? 'unexpected end of input' : `unexpected character ${JSON.stringify(c)}`);
  }

  const v = value(0);
  ws();
  if (i !== text.length) fail('trailing characters after the JSON value');
  return v;
}

// Converts a parsed value to ordinary JS (numbers become Number, or BigInt when not safe) for
// places that do not need the literal text.
export function toPlain(v) {
  if (v instanceof JsonNumber) {
    const n = Number(v.raw);
    return v.isInteger && !Number.isSafeInteger(n) ? BigInt(v.raw) : n;
  }
  if (Array.isArray(v)) return v.map(toPlain);
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v)) o[k] = toPlain(v[k]);
    return o;
  }
  return v;
}
