/**
 * The part-header scanner finds every part's header block however the body is cut into
 * chunks: a boundary may be split between two chunks, or spread over several short ones, and
 * bytes that only start like a boundary must not be taken for one.
 */
import fc from 'fast-check';
import { PartHeaderScanner } from '../../../server/edits/multipart-parts';

const BOUNDARY = '----sandbox7MA4YWxk';

/** The header blocks of a whole body, read the plain way: split it at every `CRLF--boundary`. */
function headersOf(body: Buffer): string[] {
  const pieces = `\r\n${body.toString('latin1')}`.split(`\r\n--${BOUNDARY}`).slice(1);
  return pieces.filter((piece) => !piece.startsWith('--')).map((piece) => piece.slice(2, piece.indexOf('\r\n\r\n')));
}

function scan(body: Buffer, cuts: number[]): string[] {
  const scanner = new PartHeaderScanner(BOUNDARY);
  let from = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < body.length)].sort((a, b) => a - b)) {
    scanner.push(body.subarray(from, cut));
    from = cut;
  }
  scanner.push(body.subarray(from));
  return scanner.headers.map((header) => header.toString('latin1'));
}

// Part data made of the boundary's own pieces, so near-misses (`\r\n--`, a boundary's prefix) are common.
const dataPiece = fc.constantFrom('\r\n', '--', '\r\n--', `\r\n--${BOUNDARY.slice(0, 9)}`, BOUNDARY.slice(4), 'x', '\r', 'PNG\0\x89');
const part = fc.record({
  name: fc.stringMatching(/^[a-z_]{1,12}$/),
  // A client picks a boundary its body does not contain (data follows its header block's CRLF).
  data: fc
    .array(dataPiece, { maxLength: 30 })
    .map((pieces) => pieces.join(''))
    .filter((data) => !`\r\n${data}`.includes(`\r\n--${BOUNDARY}`)),
});
const bodyOf = (parts: Array<{ name: string; data: string }>) =>
  Buffer.from(
    `${parts.map(({ name, data }) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${data}\r\n`).join('')}--${BOUNDARY}--\r\n`,
    'latin1',
  );

describe('PartHeaderScanner', () => {
  it('reads the header blocks of a body sent in one chunk', () => {
    const body = bodyOf([
      { name: 'prompt', data: 'a red rose' },
      { name: 'image', data: '\x89PNG' },
    ]);
    expect(scan(body, [])).toEqual(['Content-Disposition: form-data; name="prompt"', 'Content-Disposition: form-data; name="image"']);
  });

  it('finds a boundary cut at every one of its bytes', () => {
    const body = bodyOf([
      { name: 'prompt', data: 'x' },
      { name: 'mask', data: 'y' },
    ]);
    const expected = headersOf(body);
    for (let cut = 1; cut < body.length; cut++) expect([cut, scan(body, [cut])]).toEqual([cut, expected]);
  });

  it('finds a boundary spread over one-byte chunks', () => {
    const body = bodyOf([{ name: 'image', data: `\r\n--${BOUNDARY.slice(0, 5)}` }]);
    expect(scan(body, Array.from({ length: body.length }, (_, i) => i))).toEqual(headersOf(body));
  });

  it('gives the same headers however the body is cut (property)', () => {
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), fc.array(fc.nat({ max: 4000 }), { maxLength: 40 }), (parts, cuts) => {
        const body = bodyOf(parts);
        const expected = headersOf(body);
        expect(expected).toHaveLength(parts.length);
        expect(scan(body, cuts)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
