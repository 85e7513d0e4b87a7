import { describe, expect, it } from 'vitest';
import { pickDescription, sniffImage } from './profile.js';

describe('profile checks', () => {
  it('tells images by their magic bytes, not their name', () => {
    expect(sniffImage(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('image/png');
    expect(sniffImage(Buffer.from('ffd8ffe000104a464946', 'hex'))).toBe('image/jpeg');
    expect(sniffImage(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]))).toBe('image/webp');
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeNull();
    expect(sniffImage(Buffer.from('<!doctype html><p>hi'))).toBeNull();
    expect(sniffImage(Buffer.alloc(0))).toBeNull();
  });

  it('shows the viewer’s language, else the organisation’s first, else any', () => {
    const d = { es: 'Hola', en: 'Hello', de: 'Hallo' };
    expect(pickDescription(d, 'es', ['pt', 'es'], 'x')).toEqual({ text: 'Hola', language: 'es' });
    expect(pickDescription(d, 'fr', ['de', 'en'], 'x')).toEqual({ text: 'Hallo', language: 'de' });
    expect(pickDescription(d, 'fr', ['pt'], 'x')).toEqual({ text: 'Hello', language: 'en' });
    expect(pickDescription({ de: 'Hallo' }, 'fr', [], 'x')).toEqual({ text: 'Hallo', language: 'de' });
    expect(pickDescription({}, 'fr', ['fr'], 'legacy')).toEqual({ text: 'legacy', language: null });
  });
});
