// The parameter rendering edgeX signs (specs/edgex.md §6.1, V.5), rebuilt on the server side from
// what actually arrived: a JSON body (parsed with the number-preserving parser) or the query
// string. Written from the spec, independently of the client's request_render.c.
//
// Where the two SDKs disagree the simulator refuses the ambiguous input instead of guessing, so a
// client that passes here signs something every reading agrees on:
//   - an empty query value (Python signs "offsetData=", Go drops it)  -> GATEWAY_PARAM_INVALID
//   - the same query parameter twice                                   -> GATEWAY_PARAM_INVALID
//   - a JSON number in a signed body (SDKs print numbers differently)   -> INVALID_PARAMETER
import { JsonNumber } from '../../lib/json_exact.mjs';

export class RenderError extends Error {
  constructor(kind, message) { super(message); this.kind = kind; }
}

const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// R(v): object -> sorted key=R(value) joined by "&" (nested objects inline), array -> R(element)
// joined by "&", string as is, booleans as true/false, null as the empty string.
export function renderValue(v, path = 'body') {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (v === true || v === false) return String(v);
  if (v instanceof JsonNumber) throw new RenderError('invalid_parameter', `${path} is a JSON number (${v.raw}); edgeX signs numbers as strings`);
  if (Array.isArray(v)) return v.map((x, i) => renderValue(x, `${path}[${i}]`)).join('&');
  if (typeof v === 'object') {
    return Object.keys(v).sort(byCodeUnit).map((k) => `${k}=${renderValue(v[k], `${path}.${k}`)}`).join('&');
  }
  throw new RenderError('invalid_parameter', `${path} has an unsupported type`);
}

// Query string -> { params: Map(name -> decoded value), rendered }. `strict` (private endpoints):
// refuse empty values and repeated names.
export function renderQuery(rawQuery, { strict }) {
  const params = new Map();
  if (rawQuery) {
    for (const part of rawQuery.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      let name;
      let value;
      try {
        name = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
        value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
      } catch {
        throw new RenderError('param_invalid', `query parameter "${part}" is not valid percent-encoding`);
      }
      if (params.has(name)) {
        if (strict) throw new RenderError('param_invalid', `query parameter ${name} is given more than once`);
        continue;
      }
      if (value === '') {
        if (strict) throw new RenderError('param_invalid', `query parameter ${name} is empty (the SDKs sign empty values differently: omit it)`);
        continue;
      }
      params.set(name, value);
    }
  }
  const rendered = [...params.keys()].sort(byCodeUnit).map((k) => `${k}=${params.get(k)}`).join('&');
  return { params, rendered };
}
