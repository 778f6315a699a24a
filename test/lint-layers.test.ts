import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: fileURLToPath(new URL('..', import.meta.url)) });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('layer rules from DESIGN.md', () => {
  it('keeps core/pricing, core/model and the decision layers free of I/O, clocks and randomness', async () => {
    for (const file of ['core/pricing/probe.ts', 'core/model/probe.ts', 'core/quoting/probe.ts', 'core/risk/probe.ts', 'core/hedging/probe.ts']) {
      expect(await ruleIds(file, "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toContain('no-restricted-imports');
      expect(await ruleIds(file, "import { WebSocket } from 'ws';\nexport const a = WebSocket;\n")).toContain('no-restricted-imports');
      expect(await ruleIds(file, 'export const a = Date.now();\n')).toContain('no-restricted-properties');
      expect(await ruleIds(file, 'export const a = Math.random();\n')).toContain('no-restricted-properties');
      expect(await ruleIds(file, 'export const a = new Date();\n')).toContain('no-restricted-syntax');
      expect(await ruleIds(file, 'export const a = (x: number): number => Math.exp(x);\n')).toEqual([]);
    }
  });

  it('lets only venues, the simulator and the link server import ws', async () => {
    const code = "import { WebSocket } from 'ws';\nexport const a = WebSocket;\n";
    expect(await ruleIds('core/oms/probe.ts', code)).toContain('no-restricted-imports');
    expect(await ruleIds('core/engine/probe.ts', code)).toContain('no-restricted-imports');
    expect(await ruleIds('core/venues/deribit/probe.ts', code)).toEqual([]);
    expect(await ruleIds('core/sim/probe.ts', code)).toEqual([]);
    expect(await ruleIds('core/engine/web/probe.ts', code)).toEqual([]);
  });

  it('keeps Electron and React out of core', async () => {
    expect(await ruleIds('core/engine/probe.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('core/risk/probe.ts', "import { useState } from 'react';\nexport const a = useState;\n")).toContain('no-restricted-imports');
  });

  it('lets the renderer import only protocol, model and pricing from core, and no Node', async () => {
    expect(await ruleIds('renderer/probe.ts', "import { EngineHost } from '../core/engine/host.ts';\nexport const a = EngineHost;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('renderer/features/x/probe.ts', "import { x } from '../../../core/oms/x.ts';\nexport const a = x;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('renderer/probe.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('renderer/probe.ts', "import type { Command } from '../core/protocol/index.ts';\nexport type A = Command;\n")).toEqual([]);
    expect(await ruleIds('renderer/probe.ts', "import { x } from '../core/pricing/index.ts';\nexport const a = x;\n")).toEqual([]);
  });
});
