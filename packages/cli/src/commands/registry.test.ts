import { expect, it } from 'vitest';
import { commandLoaders } from './registry.js';

it('each registry key is the name its module declares (main dispatches on the key)', async () => {
  for (const [name, load] of Object.entries(commandLoaders)) {
    expect((await load()).definition.name).toBe(name);
  }
});
