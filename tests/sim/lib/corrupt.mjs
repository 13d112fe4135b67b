// The "bad_payload" fault: turns a well-formed answer into the kind of payload a client must
// survive without crashing (truncated JSON, a missing field, a null, a wrong type, or any raw text).
// Works on the JSON value before serialisation, or on the text for truncate/raw.
//   { type: "bad_payload", mode: "truncate" }                      first half of the text
//   { type: "bad_payload", mode: "missing", field: "data.0.mark" }  delete that field
//   { type: "bad_payload", mode: "null", field: "data.*.mark" }     set it to null ('*' = every element)
//   { type: "bad_payload", mode: "wrong_type", field: "data.l" }    string->number, anything else->string
//   { type: "bad_payload", mode: "raw", body: "<html>oops" }        replace the whole text

export class CorruptError extends Error {}

const MODES = ['truncate', 'missing', 'null', 'wrong_type', 'raw'];

function wrongTypeOf(v) {
  if (typeof v === 'string') return 12345;
  return 'not-a-' + (Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v);
}

function edit(value, parts, mode) {
  if (parts.length === 0) throw new CorruptError('bad_payload needs a field path');
  const [head, ...rest] = parts;
  if (value === null || typeof value !== 'object') return 0;
  const keys = head === '*' ? Object.keys(value) : [head];
  let hits = 0;
  for (const k of keys) {
    if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
    if (rest.length) { hits += edit(value[k], rest, mode); continue; }
    hits++;
    if (mode === 'missing') {
      if (Array.isArray(value)) value.splice(Number(k), 1); else delete value[k];
    } else if (mode === 'null') value[k] = null;
    else value[k] = wrongTypeOf(value[k]);
  }
  return hits;
}

export function checkBadPayload(action) {
  if (!MODES.includes(action.mode)) throw new CorruptError(`bad_payload mode must be one of ${MODES.join(', ')}`);
  if (['missing', 'null', 'wrong_type'].includes(action.mode) && typeof action.field !== 'string') throw new CorruptError(`bad_payload mode ${action.mode} needs "field"`);
  if (action.mode === 'raw' && typeof action.body !== 'string') throw new CorruptError('bad_payload mode raw needs "body" (a string)');
}

// value: the JSON value about to be sent (or undefined when the answer is text); text: its
// serialisation. Returns { text, changed }: the text to send instead, and whether the field path
// matched anything (the request log records it, so a test can see a no-op).
export function corruptPayload(action, value, text) {
  checkBadPayload(action);
  if (action.mode === 'raw') return { text: action.body, changed: true };
  if (action.mode === 'truncate') return { text: text.slice(0, Math.max(1, Math.floor(text.length / 2))), changed: true };
  if (value === undefined) return { text, changed: false };
  const copy = JSON.parse(JSON.stringify(value));
  const hits = edit(copy, action.field.split('.'), action.mode);
  return hits === 0 ? { text, changed: false } : { text: JSON.stringify(copy), changed: true };
}
