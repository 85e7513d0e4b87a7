import { test, expect } from 'vitest';
test('unit works', () => { expect(process.env.PUENTE_TEST_DB).toBeUndefined(); expect(1 + 1).toBe(2); });
test.skip('a skipped one', () => {});
