/** Signed `data[].url`s: what any replica with the same secret accepts, and what nobody does. */
import { createUrlSigner } from '../../../server/http/signed-url';

const NAME = 'img-AAAAAAAAAAAAAAAAAAAAAAAA.png';
const query = (signed: string) => Object.fromEntries(new URLSearchParams(signed)) as { expires: string; signature: string };

describe('createUrlSigner', () => {
  const now = 1_767_225_600_000;
  const signer = createUrlSigner('a-shared-secret-0123');

  it('accepts its own url until its expiry, on any signer with the same secret', () => {
    const { expires, signature } = query(signer.sign(NAME, now + 60_000));
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(signer.check(NAME, expires, signature, now)).toBe('valid');
    expect(createUrlSigner('a-shared-secret-0123').check(NAME, expires, signature, now)).toBe('valid');
    expect(signer.check(NAME, expires, signature, now + 61_000)).toBe('expired');
  });

  it('refuses a changed name, expiry or signature, a missing part, and another secret', () => {
    const { expires, signature } = query(signer.sign(NAME, now + 60_000));
    const flipped = signature[0] === 'A' ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    expect(signer.check(NAME.replace('.png', '.webp'), expires, signature, now)).toBe('invalid');
    expect(signer.check(NAME, String(Number(expires) + 3600), signature, now)).toBe('invalid');
    expect(signer.check(NAME, expires, flipped, now)).toBe('invalid');
    expect(signer.check(NAME, undefined, signature, now)).toBe('invalid');
    expect(signer.check(NAME, expires, [signature, signature], now)).toBe('invalid');
    expect(signer.check(NAME, '1e12', signature, now)).toBe('invalid');
    expect(createUrlSigner('another-secret-4567').check(NAME, expires, signature, now)).toBe('invalid');
  });

  it('makes a key of its own without a secret: its urls are its alone', () => {
    const a = createUrlSigner(null);
    const { expires, signature } = query(a.sign(NAME, now + 60_000));
    expect(a.check(NAME, expires, signature, now)).toBe('valid');
    expect(createUrlSigner(null).check(NAME, expires, signature, now)).toBe('invalid');
  });
});
