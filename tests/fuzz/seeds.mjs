// Seed corpora for the fuzz targets, from the shared fixtures and vectors (tests/fuzz/run).
//   node tests/fuzz/seeds.mjs SHARED_DIR OUT_DIR
// Writes OUT_DIR/<target>/<name> files. Fixture payloads are cut out of the fixture text byte
// for byte (not re-serialised), so Lighter's number literals reach the fuzzers as the venue
// printed them.
import fs from 'node:fs';
import path from 'node:path';

const [shared, out] = process.argv.slice(2);
if (!shared || !out) {
  console.error('usage: node tests/fuzz/seeds.mjs SHARED_DIR OUT_DIR');
  process.exit(2);
}

const written = {};
function seed(target, name, content) {
  const dir = path.join(out, target);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name.replace(/[^A-Za-z0-9_.-]/g, '_')), content);
  written[target] = (written[target] || 0) + 1;
}

// The exact text of the value of a top-level member of a JSON object text.
function rawMember(text, wanted) {
  let i = 0, depth = 0;
  const skipString = (j) => { // j at the opening quote; returns the index after the closing one
    for (j++; j < text.length; j++) {
      if (text[j] === '\\') j++;
      else if (text[j] === '"') return j + 1;
    }
    throw new Error('unterminated string');
  };
  const skipValue = (j) => {
    while (/\s/.test(text[j])) j++;
    if (text[j] === '"') return skipString(j);
    if (text[j] === '{' || text[j] === '[') {
      let d = 0;
      for (; j < text.length; j++) {
        const c = text[j];
        if (c === '"') { j = skipString(j) - 1; continue; }
        if (c === '{' || c === '[') d++;
        if (c === '}' || c === ']') { d--; if (d === 0) return j + 1; }
      }
      throw new Error('unbalanced value');
    }
    while (j < text.length && !/[,}\]\s]/.test(text[j])) j++;
    return j;
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') { depth++; continue; }
    if (c === '}' || c === ']') { depth--; continue; }
    if (c !== '"') continue;
    const end = skipString(i);
    const key = JSON.parse(text.slice(i, end));
    let j = end;
    while (/\s/.test(text[j])) j++;
    if (depth === 1 && text[j] === ':') {
      j++;
      while (/\s/.test(text[j])) j++;
      const valueEnd = skipValue(j);
      if (key === wanted) return text.slice(j, valueEnd);
      i = valueEnd - 1;
    } else {
      i = end - 1;
    }
  }
  return null;
}

function walk(value, visit) {
  visit(value);
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => walk(v, visit));
}

const decimalTexts = new Set();
const base58Texts = new Set();
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]{2,}$/;
function collectScalars(value) {
  walk(value, (v) => {
    if (typeof v === 'string' && DECIMAL.test(v) && v.length <= 60) decimalTexts.add(v);
    if (typeof v === 'number' && Number.isFinite(v)) decimalTexts.add(String(v));
  });
}

// ---- fixtures: every payload to its venue's parser, Lighter's also to the exact loader ----
for (const venue of ['pacifica', 'lighter', 'edgex']) {
  const dir = path.join(shared, 'fixtures', venue);
  if (!fs.existsSync(dir)) continue;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const payload = rawMember(text, 'payload');
    if (payload === null) continue;
    seed(`${venue}_parse`, file, payload);
    // fuzz_parse_bindings: the first byte picks the call; each venue's calls are a run of
    // selectors (pacifica 0-11, lighter 12-25, edgex 26-41), the payload goes behind each.
    const [first, count] = { pacifica: [0, 12], lighter: [12, 14], edgex: [26, 16] }[venue];
    for (let i = 0; i < count; i++) {
      seed('parse_bindings', `${venue}_${i}_${file}`, String.fromCharCode(first + i) + payload);
    }
    if (venue === 'lighter') seed('lighter_json_exact', file, payload);
    if (venue === 'pacifica') seed('canonical_json', `fixture_${file}`, payload);
    collectScalars(JSON.parse(text).payload);
    // Number literals as written (Lighter sends bare reals).
    for (const m of payload.matchAll(/-?\d+\.\d+(?:[eE][-+]?\d+)?/g)) if (m[0].length <= 60) decimalTexts.add(m[0]);
  }
}

// ---- vectors ----------------------------------------------------------------------------------
for (const venue of ['pacifica', 'lighter', 'edgex']) {
  const dir = path.join(shared, 'vectors', venue);
  if (!fs.existsSync(dir)) continue;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    collectScalars(doc.cases || doc);
    if (venue !== 'pacifica') continue;
    walk(doc.cases || doc, (v) => { if (typeof v === 'string' && BASE58.test(v) && v.length <= 120) base58Texts.add(v); });
    (doc.cases || []).forEach((c, i) => {
      for (const key of ['input', 'payload', 'header', 'body', 'request_body']) {
        if (c[key] && typeof c[key] === 'object') seed('canonical_json', `${file}_${i}_${key}`, JSON.stringify(c[key]));
      }
      if (typeof c.message === 'string' && c.message.startsWith('{')) seed('canonical_json', `${file}_${i}_message`, c.message);
    });
  }
}

[...base58Texts].sort().slice(0, 300).forEach((t, i) => seed('base58', `b58_${i}`, t));

// Decimals: single texts and pairs "A|B", each behind a rounding-mode byte.
const decimals = [...decimalTexts].sort();
decimals.slice(0, 400).forEach((t, i) => seed('decimal', `one_${i}`, Buffer.concat([Buffer.from([i % 8]), Buffer.from(t)])));
for (let i = 0; i < Math.min(decimals.length, 300); i++) {
  const a = decimals[i], b = decimals[(i * 7 + 3) % decimals.length];
  seed('decimal', `pair_${i}`, Buffer.concat([Buffer.from([i % 8]), Buffer.from(`${a}|${b}`)]));
}

// Redaction: made-up keys of the vectors as secrets, inside log-like texts and JSON.
const keys = [...base58Texts].filter((t) => t.length >= 40).slice(0, 6);
const hex = '76cc88d990d78188882f4fa274441c06cd610781c47fe4648c9df72603e27922551591f7f79acf1d';
const secretSets = [[hex], [hex, hex.toUpperCase()], keys.slice(0, 2), [`0x${hex}`, keys[0] || 'abcd']];
secretSets.forEach((set, i) => {
  const texts = [`signing with ${set[0]} now`, `{"key":"${set[set.length - 1]}","x":1}`, `${set.join('')}${set[0].slice(0, 9)}`];
  texts.forEach((text, j) => {
    const flags = Buffer.from([(set.length - 1) | (j % 2 ? 0x10 : 0)]);
    const parts = set.map((s) => Buffer.concat([Buffer.from(s), Buffer.from([0])]));
    seed('log_redact', `set${i}_${j}`, Buffer.concat([flags, ...parts, Buffer.from(text)]));
  });
});

// Configuration and .env texts: the repository's examples (run from the repository root).
for (const file of ['bot_config.example.json', '.env.example']) {
  if (fs.existsSync(file)) seed('config', file, fs.readFileSync(file));
}
seed('config', 'minimal.json', JSON.stringify({ venues: { lighter: { environment: 'testnet' }, pacifica: {
  environment: 'testnet' } }, symbols_to_monitor: ['BTC', 'ETH'], leverage: 3, notional_per_position: '100' }));
seed('config', 'dotenv_quotes', 'export API_PUBLIC="abc" # note\nAPI_PRIVATE=\'x y\'\n# comment\n\nA=1 #c\n');

// WebSocket byte streams after the handshake: server frames (unmasked) of every kind.
function frame(opcode, payload, { fin = true, mask = false } = {}) {
  const body = Buffer.from(payload);
  const n = body.length;
  const head = [(fin ? 0x80 : 0) | opcode];
  const m = mask ? 0x80 : 0;
  if (n < 126) head.push(m | n);
  else if (n < 65536) head.push(m | 126, n >> 8, n & 255);
  else head.push(m | 127, 0, 0, 0, 0, (n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255);
  const key = mask ? Buffer.from([1, 2, 3, 4]) : Buffer.alloc(0);
  const data = mask ? Buffer.from(body.map((b, i) => b ^ key[i % 4])) : body;
  return Buffer.concat([Buffer.from(head), key, data]);
}
const close = (code, reason) => frame(8, Buffer.concat([Buffer.from([code >> 8, code & 255]), Buffer.from(reason)]));
const wsPayloads = [];
for (const venue of ['pacifica', 'lighter', 'edgex']) {
  const dir = path.join(shared, 'fixtures', venue);
  if (!fs.existsSync(dir)) continue;
  for (const file of fs.readdirSync(dir).filter((f) => f.startsWith('ws_')).sort()) {
    const payload = rawMember(fs.readFileSync(path.join(dir, file), 'utf8'), 'payload');
    if (payload) wsPayloads.push(payload);
  }
}
wsPayloads.slice(0, 12).forEach((p, i) => {
  seed('ws_frames', `text_${i}`, frame(1, p));
  const half = p.length >> 1;
  seed('ws_frames', `fragmented_${i}`, Buffer.concat([frame(1, p.slice(0, half), { fin: false }), frame(9, 'ping'),
    frame(0, p.slice(half)), close(1000, 'bye')]));
});
seed('ws_frames', 'empty', Buffer.alloc(0));
seed('ws_frames', 'ping_pong_close', Buffer.concat([frame(9, 'x'), frame(10, ''), close(1001, 'going away')]));
seed('ws_frames', 'binary_and_empty', Buffer.concat([frame(2, Buffer.from([0, 1, 2, 255])), frame(1, '')]));
seed('ws_frames', 'long16', frame(1, 'y'.repeat(300)));
seed('ws_frames', 'masked_by_server', frame(1, '{"a":1}', { mask: true }));
seed('ws_frames', 'close_no_code', frame(8, ''));
seed('ws_frames', 'close_long_reason', close(4000, 'r'.repeat(123)));
seed('ws_frames', 'truncated', frame(1, 'hello world').subarray(0, 7));

for (const [target, n] of Object.entries(written).sort()) console.log(`${target}: ${n} seeds`);
