/** Without a DOM (server rendering), importing and mounting is harmless. */
import { describe, expect, it } from 'vitest';
import { mount } from '../src/index.js';

describe('SSR', () => {
  it('mount() returns a no-op handle when there is no document', () => {
    expect(typeof document).toBe('undefined');
    const unmount = mount({} as Element, {
      id: 'demo',
      fields: [{ name: 'email', type: 'email', label: 'Email' }],
    });
    expect(() => {
      unmount.open();
      unmount.close();
      unmount();
    }).not.toThrow();
  });

  it('importing the element entry without customElements defines nothing and does not throw', async () => {
    await expect(import('../src/element-entry.js')).resolves.toHaveProperty('TAG', 'leadkit-form');
  });
});
